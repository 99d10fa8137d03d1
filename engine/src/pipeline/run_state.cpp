#include "run_state.hpp"

#include <string>
#include <utility>

#include "kepler/search/enumerator.hpp"

namespace kepler::pipeline {

namespace {

// Each input k as scales[k]*x_k: from the table's units to coherent ones (bare where the scale is 1).
std::vector<Expression> scaled_inputs(const std::vector<double>& scales) {
    std::vector<Expression> out;
    for (std::size_t k = 0; k < scales.size(); ++k) {
        Expression x = Expression::variable(static_cast<std::uint16_t>(k));
        out.push_back(scales[k] == 1.0 ? x : Expression::binary(Op::Mul, Expression::constant(scales[k]), x));
    }
    return out;
}

DiscoveryResult started(std::string_view target) {
    DiscoveryResult r;
    r.target = std::string(target);
    return r;
}

}  // namespace

void Pool::add(const ParetoFront& front) {
    for (const Candidate& c : front.members()) formulas.push_back(c.expression);
}

RunState::RunState(const Table& table_, std::string_view target, const DiscoverOptions& options_)
    : table(table_),
      options(options_),
      start(Clock::now()),
      budget(options_.search.time_limit_seconds, options_.search.max_evaluations, options_.search.cancel),
      result(started(target)),
      problem(select_problem(table_, target, options_, result)),
      search_(options_.search) {
    model.operator_count =
        static_cast<int>(search_.operators.empty() ? default_search_operators().size() : search_.operators.size());
    model.variable_count = static_cast<int>(problem.columns.size());
}

void RunState::absorb(const StageReport& stage) {
    budget.spend(stage.evaluations);
    pipeline::absorb(result, stage);
    exact = exact || stage.exact;
    // A search that stopped at its time or evaluation limit went as far as its budget let it:
    // its stage is cut short, not done, so a resume with another budget runs it again.
    if (stage.limits && (stage.limits->timed_out || stage.limits->evaluation_limit_reached)) budget_limited_ = true;
}

void RunState::set_coherent_units(Eigen::MatrixXd X_, Eigen::VectorXd y_, std::vector<double> scales_,
                                  double target_scale_, std::optional<DimensionalPlan> plan_) {
    X = std::move(X_);
    y = std::move(y_);
    scales = std::move(scales_);
    target_scale = target_scale_;
    plan = std::move(plan_);
    if (plan) search_.dimensions = plan->constraints;
    to_table_ = scaled_inputs(scales);
    relay_.emplace(options.search.progress, start, problem, model,
                   [this](const Expression& f) { return in_table_units(f); });
}

Expression RunState::in_table_units(const Expression& f) const {
    // x_coherent = s*x, y = y_coherent / s_y.
    Expression e = substitute_variables(f, to_table_);
    if (target_scale != 1.0) e = Expression::binary(Op::Div, e, Expression::constant(target_scale));
    return e;
}

std::function<void(const SearchProgress&)> RunState::progress(ProgressRelay::Map to_inputs) {
    return relay_->stage(std::move(to_inputs), result.evaluations);
}

}  // namespace kepler::pipeline
