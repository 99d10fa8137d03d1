#include "progress_relay.hpp"

#include <cstdint>
#include <optional>
#include <utility>

#include "kepler/core/textbook_form.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/fitting/exact_fit.hpp"

namespace kepler::pipeline {

ProgressRelay::ProgressRelay(std::function<void(const SearchProgress&)> callback, Clock::time_point start,
                             const Problem& problem, const ComplexityModel& model, Map to_table)
    : callback_(std::move(callback)),
      start_(start),
      problem_(problem),
      model_(model),
      to_table_(std::move(to_table)),
      front_(exact_rmse_bound(root_mean_square(problem.y))) {}

std::function<void(const SearchProgress&)> ProgressRelay::stage(Map to_inputs, std::size_t evaluations_before) {
    if (!callback_) return {};
    return [this, to_inputs = std::move(to_inputs), evaluations_before,
            last = std::optional<std::uint64_t>()](const SearchProgress& s) mutable {
        SearchProgress out;
        out.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
        out.evaluations = evaluations_before + s.evaluations;
        if (s.has_best && last != s.best.hash()) {
            last = s.best.hash();
            Expression e = textbook_form(to_table_(to_inputs(s.best)));  // as the result will print it
            if (auto c = score_candidate(std::move(e), problem_.X, problem_.y, model_, evaluator_))
                front_.insert(std::move(*c));
        }
        if (!front_.empty()) {
            out.has_best = true;
            out.best = front_.best().expression;
            out.rmse = front_.best().rmse;
        }
        callback_(out);
    };
}

}  // namespace kepler::pipeline
