// The state of one discover() run, shared by its stages (discover_stages.hpp): the problem,
// its coherent-unit form and dimensional plan, the budget, the pool of candidate formulas,
// what the evolution starts from, and the result being filled in (private to the pipeline).
// Each stage's report comes in through absorb(), the one place where the run's evaluations,
// flags and exactness change (the rule: stage_report.hpp). Stages run through run_stage(),
// which skips those a resumed run has done and reports each boundary as a checkpoint
// (kepler/pipeline/run_checkpoint.hpp).
#pragma once

#include <Eigen/Core>
#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "budget.hpp"
#include "discover_problem.hpp"
#include "kepler/core/complexity.hpp"
#include "kepler/core/expression.hpp"
#include "kepler/core/table.hpp"
#include "kepler/pipeline/dimensional_plan.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/pipeline/run_checkpoint.hpp"
#include "kepler/search/pareto_front.hpp"
#include "kepler/search/search_options.hpp"
#include "progress_relay.hpp"
#include "stage_report.hpp"

namespace kepler::pipeline {

// Candidates of every stage, as formulas over the inputs in coherent units.
struct Pool {
    std::vector<Expression> formulas;
    void add(const ParetoFront& front);
};

class RunState {
public:
    using Clock = std::chrono::steady_clock;

    // Starts the clock and the budget and selects the problem (select_problem's throws).
    RunState(const Table& table, std::string_view target, const DiscoverOptions& options);
    RunState(const RunState&) = delete;
    RunState& operator=(const RunState&) = delete;

    // Takes in a stage's report: its evaluations are spent from the budget and counted, its
    // flags merged by stage_report.hpp's rule, its exactness kept.
    void absorb(const StageReport& stage);

    // The search's own options with the dimensional constraints: the base of every stage's.
    const SearchOptions& search() const { return search_; }
    // Sets the units the search works in (the dimensional-plan stage): the inputs and target
    // scaled to coherent units, the plan, and with them the progress relay.
    void set_coherent_units(Eigen::MatrixXd X, Eigen::VectorXd y, std::vector<double> scales, double target_scale,
                            std::optional<DimensionalPlan> plan);
    // A formula over the inputs in coherent units, back in the table's units.
    Expression in_table_units(const Expression& f) const;
    // A stage's progress callback (empty without SearchOptions::progress); see ProgressRelay.
    std::function<void(const SearchProgress&)> progress(ProgressRelay::Map to_inputs);

    // After the dimensional plan (which a resume needs): takes in DiscoverOptions::resume_from,
    // its pool, seeds, flags, notes and evaluations; or, for a new run, reports the first
    // boundary (nothing done) to DiscoverOptions::on_stage_done. Throws std::invalid_argument
    // when a formula of the checkpoint reads a column the problem does not have.
    void start_or_resume();
    // Runs `body` as `stage` unless a resumed run has done it. When the stage leaves the run's
    // budget unspent (no cancel, time and evaluations left), the run moves past it and
    // DiscoverOptions::on_stage_done gets the checkpoint; once a stage is cut short, none after it counts.
    void run_stage(RunStage stage, void (*body)(RunState&));
    // The run as it stands, to go on from `next_stage`.
    RunCheckpoint checkpoint(RunStage next_stage) const;

    const Table& table;
    const DiscoverOptions& options;
    const Clock::time_point start;
    Budget budget;
    DiscoveryResult result;
    const Problem problem;
    ComplexityModel model;

    // In coherent units (set_coherent_units): the searches' rows and the unit scales.
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    std::vector<double> scales;
    double target_scale = 1.0;
    std::optional<DimensionalPlan> plan;

    Pool pool;
    // What the evolution starts from: the groups problem searched last and the enumerators' fronts.
    std::optional<DimensionalPlan> group_plan;
    std::vector<Expression> group_seeds, input_seeds;
    bool exact = false;           // some stage found an exact formula
    bool quick_exact = false;     // a quick fit was exact and SearchOptions::stop_when_exact: no enumeration
    bool at_noise_floor = false;  // the best formula is as good as the table's noise allows
    double seconds_before = 0.0;  // spent by the runs this one resumes

private:
    SearchOptions search_;
    std::vector<Expression> to_table_;
    std::optional<ProgressRelay> relay_;
    RunStage next_stage_ = RunStage::quick_fits;  // stages before it are done
    bool stage_cut_ = false;                      // some stage ended with the budget spent
    bool budget_limited_ = false;                 // a search stopped at its time or evaluation limit
};

}  // namespace kepler::pipeline
