// The public entry point: a table and a target column in, the laws found out.
#pragma once

#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/core/table.hpp"
#include "kepler/fitting/constant_uncertainty.hpp"
#include "kepler/pipeline/run_checkpoint.hpp"
#include "kepler/search/search_options.hpp"
#include "kepler/units/table_units.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler {

struct DiscoverOptions {
    // Columns the law may use; empty = every column but the target and the timestamp columns
    // (Table::is_timestamp), which are inputs only when named here.
    std::vector<std::string> inputs;
    // search.dimensions is filled by discover() from `units`. search.time_limit_seconds and
    // search.max_evaluations are for the whole discovery: stage 1 (the dimensionless groups,
    // when it runs) gets half of each, stage 2 what is left, so the evaluations reported are
    // at most max_evaluations. search.progress is called as SearchProgress describes: seconds
    // since discover() started, evaluations of all stages so far, the best formula so far
    // over the inputs in the table's units.
    // search.max_memory_mb caps every stage (README "--max-memory"): discover() gives it to every
    // enumeration (the structure split's too) and screened_discover() sizes screening by it
    // (screen/screen_memory.hpp); the evolution holds under a thousand trees and the other
    // stages a few thousand rows, far below any cap.
    SearchOptions search;
    // Units of the columns: dimensional analysis on. Without them every formula is allowed.
    std::optional<TableUnits> units;
    // After tidying, replace constants that are closed forms of pi (2*pi, 1/(4*pi)) or of the
    // unit system's constants (snap_constants.hpp), and name the unit system's constants in
    // the laws (FoundLaw::named_expression).
    bool snap_constants = true;
    // Search (and polish constants) on a random sample of this many of the usable rows, drawn
    // with search.seed; the front is then scored on all usable rows. 0 = search on all rows.
    std::size_t sample_rows = 0;
    // Leave out the rows whose target is a spike, a glitch its neighbours do not share
    // (structure/spike_rows.hpp), before the search; the notes say how many.
    bool reject_spikes = true;
    // With units: when the inputs' dimensionless groups do not explain the target and one or
    // two constants of the unit system complete them (omega and T meet only in
    // hbar*omega/(k_B*T)), bring those constants in as constant columns and name them in the
    // laws (README "Constants the groups need"; pipeline/group_constants.hpp).
    bool group_constants = true;
    // Checkpoints (run_checkpoint.hpp): called from the calling thread before the first stage
    // of a new run and after each stage that is done, with the state from which the run could
    // go on. A stage is done when it ended with no cancel, none of its searches stopped at a
    // time or evaluation limit (their results depend on the budget) and the run has 0.2 s and
    // an evaluation left; once a stage is cut short no later one is reported, so the last
    // checkpoint is the boundary before it. The evolution, which always ends at a limit or a
    // cancel, is reported when cut as well: still before it, with its formulas so far in the
    // pool and among the seeds over the inputs and its evaluations counted. Empty = none.
    std::function<void(const RunCheckpoint&)> on_stage_done;
    // Continue a run from its checkpoint: the stages before resume_from->next_stage are
    // skipped, its pool, seeds, flags and notes taken in; its evaluations and seconds are added
    // to the result's. search.max_evaluations stays the limit of the whole run, both parts
    // counted; search.time_limit_seconds is this part's. The table, target, inputs, units and
    // other options must be the checkpointed run's (not checked beyond the formulas' columns).
    // screened_discover() refuses both.
    std::optional<RunCheckpoint> resume_from;
};

// A constant of the unit system that a law writes by name (README "Named constants").
struct NamedConstant {
    std::string symbol;       // "g_n", as the unit system's table spells it
    double value = 0.0;       // in the system's coherent units
    std::string unit;         // those units: "m*s^-2"
    std::string description;  // "standard acceleration of gravity"
};

// One formula of the Pareto front, with its scores on all rows used.
struct FoundLaw {
    Expression expression;  // Var k is inputs[k]; the numeric form (every constant a number)
    // formula, latex and sympy print the named form when there is one ("2*pi*sqrt(L/g_n)"),
    // else `expression` ("m*a"); numeric_formula always prints `expression`.
    std::string formula;
    std::string latex;
    std::string sympy;
    std::string numeric_formula;
    // The named form: Var k is inputs[k] for k < inputs.size(), then named_constants[k -
    // inputs.size()]; in the table's units like `expression`, which is it with each constant's
    // value substituted. Empty (and named_constants too) when the law names no constant.
    Expression named_expression;
    std::vector<NamedConstant> named_constants;
    double complexity_bits = 0.0;
    double error_bits = 0.0;
    double rmse = 0.0;
    double r2 = 0.0;
    double max_relative_error = 0.0;
    // The fitted constants (fitting/constant_uncertainty.hpp: not integers, 1/2 or simple
    // rationals), in node order, each with its standard error from a fit on all rows used.
    std::vector<FittedConstant> constants;
};

struct DiscoveryResult {
    std::string target;
    std::vector<std::string> inputs;
    std::vector<FoundLaw> front;  // by increasing complexity; the non-dominated formulas
    std::size_t best = 0;         // index into front of the pick by minimum total description length
    std::size_t rows_used = 0;
    std::size_t rows_dropped = 0;  // rows left out because the target or an input was not finite
    std::size_t rows_sampled = 0;  // rows the search ran on when sampled (sample_rows), else 0
    std::size_t rows_spikes = 0;   // rows left out as spikes in the target (reject_spikes), not in rows_used
    std::size_t evaluations = 0;
    double seconds = 0.0;
    // Dimensional analysis (when the table has units).
    bool dimensional_analysis = false;
    std::string unit_system;
    std::string target_monomial;                    // inputs' product with the target's dimension ("" if none)
    std::vector<std::string> dimensionless_groups;  // the Buckingham Pi groups searched over
    std::vector<std::string> constants_introduced;  // constants brought in to make the target's dimension
    std::vector<std::string> scales_absorbed;       // unit scale factors folded into the constants
    // Why the run stopped. cancelled: some stage was stopped by SearchOptions::cancel (Ctrl-C).
    // timed_out, evaluation_limit_reached: the last search stage stopped at the time limit or
    // at SearchOptions::max_evaluations (earlier stages stop at their share, which does not end
    // the run).
    bool cancelled = false;
    bool timed_out = false;
    bool evaluation_limit_reached = false;
    std::vector<std::string> notes;
    // The standard deviation of the target's noise in the table's units, estimated from the
    // rows alone (structure/noise_estimate.hpp); NaN when there were too few rows. The snapping
    // rule (fitting/snap_evidence.hpp) bounds its residual spread by it.
    double noise_estimate = std::numeric_limits<double>::quiet_NaN();
    // The steps taken, one a line, for `kepler fit --explain`: each search stage with its
    // evaluations and best formula, the surrogate's validation error and noise estimate, each
    // structure test with its score, threshold and verdict, each split and its parts' formulas.
    std::vector<std::string> explanation;

    const FoundLaw* best_law() const { return front.empty() ? nullptr : &front[best]; }
};

// Throws std::invalid_argument for an unknown target or input column, a table with no
// usable rows, or a resume_from whose formulas read columns the problem does not have.
DiscoveryResult discover(const Table& table, std::string_view target, const DiscoverOptions& options = {});

}  // namespace kepler
