// The stages of discover(), in the order it runs them (discover.cpp is their table of
// contents). Each takes the run's state (run_state.hpp), decides for itself whether it runs
// (a stage after an exact formula, a cancel, or with no time or evaluations left does not),
// and hands what it found to the pool and its report to RunState::absorb (private to the
// pipeline).
//
// The budget (budget.hpp) is shared like this: stage 1 gets half of the time and evaluations
// and stage 2 what is left; after them the structure split gets 40 % of the time left (the
// groups and the inputs half each) and half of the evaluations left per split; the evolution
// gets the rest, half on the groups problem when stage 1 ran.
#pragma once

#include "kepler/pipeline/discover.hpp"
#include "run_state.hpp"

namespace kepler::pipeline {

// The inputs and target in the unit system's coherent units, and the dimensional plan (the
// monomial, the Buckingham Pi groups, the constants that complete the target's dimension).
void plan_units(RunState& run);
// Stage 0: a power law and a sparse low-degree polynomial, in milliseconds.
void run_quick_fits(RunState& run);
// Stage 1: the enumeration over the dimensionless groups, when Buckingham Pi removes inputs;
// again over the balanced monomial when the first finds nothing exact.
void search_groups(RunState& run);
// Stage 2: the enumeration over the inputs, dimensionally typed.
void search_inputs(RunState& run);
// A model-free estimate of the target's noise (structure/noise_estimate.hpp), in the table's
// units: reported in the result and the explanation; no stop uses it yet.
void estimate_noise_level(RunState& run);
// Whether the best formula so far is as close to the rows as a smooth model of a noisy table.
void check_noise_floor(RunState& run);
// Stage 2b: the structure-guided split (structure_split.hpp) of the groups and the inputs.
void split_by_structure(RunState& run);
// Stage 3: the evolution, seeded with the enumerators' fronts.
void evolve(RunState& run);
// The pool simplified, polished, tidied, snapped and scored on the table: the result's front.
DiscoveryResult finish(RunState& run);
// The safety net after finish (consistent_front.cpp): with units, drops the front members
// that no units for their numbers make dimensionally consistent (units/front_consistency.hpp),
// moves the pick to the best one left if it was dropped, and says so in the explanation
// ("2 inconsistent formulas dropped ..."). A no-op without units.
void drop_inconsistent(const RunState& run, DiscoveryResult& result);
// With units, a note for each number of the best law whose unit the dimensional rules fix
// (units/front_consistency.hpp: number_dimensions) and no earlier note gives, written in the
// table's column units where a product of their powers (-2..2) makes it: "the number 82.7
// carries the unit kPa*mm/K" (number_units.cpp).
void note_number_units(const RunState& run, DiscoveryResult& result);
// With units, a front member N/(k*x + d) (k, d numbers, no named constant) is written
// (N/k)/(x + d/k) when that fixes more of its numbers' units (front_consistency.hpp:
// number_dimensions): P = 2.7761*T/(0.033599*x + 1) becomes P = 82.625*T/(x + 29.763), whose
// 29.763 is a length in x's unit and 82.625 carries P*x/T. The new numbers are rounded to 6
// significant digits (about the precision tidying gave the old ones); the member keeps its
// scores (monic_offsets.cpp).
void write_offsets_in_units(const RunState& run, DiscoveryResult& result);

}  // namespace kepler::pipeline
