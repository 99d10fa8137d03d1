// The state of a discover() run at a stage boundary, so that a long search can be saved and
// continued later (DiscoverOptions::on_stage_done, DiscoverOptions::resume_from). The engine
// knows no files: `kepler fit --checkpoint` writes this as JSON (kepler/api/checkpoint.hpp).
//
// What is kept: the stage to run next, every candidate formula found so far (the pool), what
// the evolution starts from (the enumerators' fronts), the flags and notes, and the evaluations
// and seconds spent. What is not: the enumeration's bank (a stage is resumed from its start, so
// a stage cut short by a cancel or by the run's budget runs again), the evolution's populations
// (it starts again from its seeds, which then include the formulas a cut evolution had found),
// and the random state, which needs none: every stage draws
// from SearchOptions::seed alone. The table, its units and the options are the caller's to keep
// the same; resume_from with others gives a run that is wrong, not a crash (the formulas are
// checked against the inputs).
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler {

// The stages of discover() that a checkpoint can stand between, in the order they run
// (engine/src/pipeline/discover_stages.hpp). `finish` (the polish and the front) always runs.
enum class RunStage : int {
    quick_fits = 0,
    search_groups,
    search_inputs,
    estimate_noise_level,
    check_noise_floor,
    split_by_structure,
    evolve,
    finish,
};

// "search_inputs", ...; stage_from_name is its inverse (nullopt for an unknown name).
const char* stage_name(RunStage stage);
std::optional<RunStage> stage_from_name(std::string_view name);

struct RunCheckpoint {
    RunStage next_stage = RunStage::quick_fits;  // every stage before it is done
    // The names Var k of the formulas below stands for: DiscoveryResult::inputs of the run,
    // then the constants discover() brought in as columns for the groups (README "Constants
    // the groups need"), which a resumed run brings in again.
    std::vector<std::string> inputs;
    // Every stage's candidates so far, over the inputs in the unit system's coherent units
    // (Var k = DiscoveryResult::inputs[k]).
    std::vector<Expression> pool;
    // The evolution's seeds: over the dimensionless groups (Var k = group k) and over the inputs.
    std::vector<Expression> group_seeds, input_seeds;
    // The groups problem searched last (stage 1 ran): its monomial over the inputs (Buckingham
    // Pi's, or the balanced one); the groups themselves come from the units again.
    std::optional<Expression> group_monomial;
    bool exact = false;
    bool quick_exact = false;
    bool at_noise_floor = false;
    bool timed_out = false;
    bool evaluation_limit_reached = false;
    std::size_t evaluations = 0;  // spent by the stages done (and by the runs this one resumed)
    double seconds = 0.0;         // likewise
    double noise_estimate = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::string> notes;
    std::vector<std::string> explanation;
};

}  // namespace kepler
