// Turns the stages' progress reports into discover()'s: the stage's best formula is mapped to
// the inputs in the table's units, simplified and scored on the table, and kept on a front of
// its own, so the formula shown is the best of all stages so far. Runs on the calling thread
// (the stages call it between chunks), at most as often as the stages report (private to the
// pipeline).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>

#include "discover_problem.hpp"
#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/expression.hpp"
#include "kepler/search/pareto_front.hpp"
#include "kepler/search/search_options.hpp"

namespace kepler::pipeline {

class ProgressRelay {
public:
    using Clock = std::chrono::steady_clock;
    using Map = std::function<Expression(const Expression&)>;

    // `callback` may be empty (then every stage() is empty); `to_table` maps a formula over
    // the inputs in coherent units to the table's units. `problem` and `model` must outlive it.
    ProgressRelay(std::function<void(const SearchProgress&)> callback, Clock::time_point start, const Problem& problem,
                  const ComplexityModel& model, Map to_table);

    // The callback for a stage whose formulas `to_inputs` maps to the inputs (coherent units),
    // after `evaluations_before` evaluations of the earlier stages. Empty if there is no callback.
    std::function<void(const SearchProgress&)> stage(Map to_inputs, std::size_t evaluations_before);

private:
    std::function<void(const SearchProgress&)> callback_;
    Clock::time_point start_;
    const Problem& problem_;
    const ComplexityModel& model_;
    Map to_table_;
    ParetoFront front_;
    Evaluator evaluator_;
};

}  // namespace kepler::pipeline
