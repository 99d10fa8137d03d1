// Checkpoints of a discover() run (kepler/pipeline/run_checkpoint.hpp): the stage guard that
// skips what a resumed run has done and reports each stage boundary, and the state taken in
// on resume.
#include "kepler/pipeline/run_checkpoint.hpp"

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "run_state.hpp"

namespace kepler {

namespace {

constexpr std::array<const char*, 8> kStageNames = {
    "quick_fits",        "search_groups",      "search_inputs", "estimate_noise_level",
    "check_noise_floor", "split_by_structure", "evolve",        "finish",
};

}  // namespace

const char* stage_name(RunStage stage) { return kStageNames.at(static_cast<std::size_t>(stage)); }

std::optional<RunStage> stage_from_name(std::string_view name) {
    for (std::size_t k = 0; k < kStageNames.size(); ++k)
        if (name == kStageNames[k]) return static_cast<RunStage>(k);
    return std::nullopt;
}

}  // namespace kepler

namespace kepler::pipeline {

namespace {

// Less time left than this and the split and the evolution do not start (discover_stages.cpp's
// kMinEvolutionSeconds): a stage that leaves less has spent the run's time.
constexpr double kMinStageSeconds = 0.2;

// Throws unless every variable of every formula is below `columns`.
void require_columns(const std::vector<Expression>& formulas, std::size_t columns, const char* what) {
    for (const Expression& f : formulas)
        for (const Node& n : f.nodes())
            if (n.op == Op::Var && n.index >= columns)
                throw std::invalid_argument(std::string("the checkpoint's ") + what + " read column " +
                                            std::to_string(n.index + 1) + " of " + std::to_string(columns));
}

}  // namespace

void RunState::start_or_resume() {
    if (!options.resume_from) {
        if (options.on_stage_done) options.on_stage_done(checkpoint(RunStage::quick_fits));
        return;
    }
    const RunCheckpoint& c = *options.resume_from;
    const std::size_t inputs = problem.columns.size();
    require_columns(c.pool, inputs, "formulas");
    require_columns(c.input_seeds, inputs, "seeds over the inputs");
    if (c.group_monomial) {
        if (!plan || plan->groups.empty())
            throw std::invalid_argument("the checkpoint searched dimensionless groups this table's units do not have");
        require_columns({*c.group_monomial}, inputs, "monomial");
        group_plan = *plan;
        group_plan->monomial = *c.group_monomial;
    }
    require_columns(c.group_seeds, plan ? plan->groups.size() : 0, "seeds over the groups");
    next_stage_ = c.next_stage;
    pool.formulas = c.pool;
    group_seeds = c.group_seeds;
    input_seeds = c.input_seeds;
    exact = c.exact;
    quick_exact = c.quick_exact;
    at_noise_floor = c.at_noise_floor;
    result.timed_out = c.timed_out;
    result.evaluation_limit_reached = c.evaluation_limit_reached;
    result.evaluations = c.evaluations;
    result.noise_estimate = c.noise_estimate;
    // The checkpoint's notes and steps include those the problem and the plan just wrote again.
    result.notes = c.notes;
    result.explanation = c.explanation;
    result.explanation.push_back("resumed before " + std::string(stage_name(c.next_stage)) + " after " +
                                 std::to_string(c.evaluations) + " evaluations");
    seconds_before = c.seconds;
    budget.spend(c.evaluations);
}

void RunState::run_stage(RunStage stage, void (*body)(RunState&)) {
    if (stage < next_stage_) return;
    const std::size_t pool_before = pool.formulas.size();
    body(*this);
    // With peers the ranks decide together (the clock and a cancel differ per rank): the next
    // stage's searches are collectives.
    const bool cut = !all_agree(search().peers, !(budget_limited_ || result.cancelled || budget.cancelled() ||
                                                        budget.seconds_left() < kMinStageSeconds ||
                                                        !budget.has_evaluations_left()));
    if (cut && !stage_cut_ && stage == RunStage::evolve && options.on_stage_done) {
        // The evolution always ends at a limit or a cancel. Its populations are not kept, but
        // its formulas are: the checkpoint stays before it, with them in the pool and among
        // the seeds (and their evaluations counted), so a resumed evolution starts from them.
        RunCheckpoint c = checkpoint(RunStage::evolve);
        c.input_seeds.insert(c.input_seeds.end(), pool.formulas.begin() + static_cast<std::ptrdiff_t>(pool_before),
                             pool.formulas.end());
        options.on_stage_done(c);
    }
    stage_cut_ = stage_cut_ || cut;
    if (stage_cut_) return;
    next_stage_ = static_cast<RunStage>(static_cast<int>(stage) + 1);
    if (options.on_stage_done) options.on_stage_done(checkpoint(next_stage_));
}

RunCheckpoint RunState::checkpoint(RunStage next_stage) const {
    RunCheckpoint c;
    c.next_stage = next_stage;
    c.inputs = result.inputs;
    c.pool = pool.formulas;
    c.group_seeds = group_seeds;
    c.input_seeds = input_seeds;
    if (group_plan) c.group_monomial = group_plan->monomial;
    c.exact = exact;
    c.quick_exact = quick_exact;
    c.at_noise_floor = at_noise_floor;
    c.timed_out = result.timed_out;
    c.evaluation_limit_reached = result.evaluation_limit_reached;
    c.evaluations = result.evaluations;
    c.seconds = seconds_before + std::chrono::duration<double>(Clock::now() - start).count();
    c.noise_estimate = result.noise_estimate;
    c.notes = result.notes;
    c.explanation = result.explanation;
    return c;
}

}  // namespace kepler::pipeline
