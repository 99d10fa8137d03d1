#include "kepler/fitting/sequential_scoring.hpp"

#include <cmath>

namespace kepler {

SequentialScore score_candidate_sequential(Expression expression, const Eigen::Ref<const Eigen::MatrixXd>& X,
                                           const Eigen::Ref<const Eigen::VectorXd>& y, const ComplexityModel& model,
                                           Evaluator& evaluator, double rmse_to_beat,
                                           const SequentialScoringOptions& options) {
    SequentialScore out;
    const Eigen::Index n = y.size();
    Eigen::VectorXd predicted(n);
    const double bar = rmse_to_beat * rmse_to_beat;
    // Running sums of the squared residuals and of their squares over the rows seen so far.
    double sum = 0.0, sum_sq = 0.0;
    Eigen::Index done = 0;
    auto look = static_cast<Eigen::Index>(std::max<std::size_t>(options.first_look, 1));
    while (done < n) {
        const Eigen::Index next = std::isfinite(bar) ? std::min(n, look) : n;
        evaluator.evaluate(expression, X.middleRows(done, next - done), predicted.segment(done, next - done));
        for (Eigen::Index i = done; i < next; ++i) {
            const double r2 = (predicted(i) - y(i)) * (predicted(i) - y(i));
            sum += r2;
            sum_sq += r2 * r2;
        }
        done = next;
        out.rows_evaluated = static_cast<std::size_t>(done);
        if (!std::isfinite(sum)) return out;  // not finite somewhere: score_candidate refuses it too
        if (done == n) break;
        const double k = static_cast<double>(done);
        const double mean = sum / k;
        const double variance = std::max(0.0, sum_sq / k - mean * mean);
        if (mean - options.z * std::sqrt(variance / k) > bar) {
            out.rejected_early = true;
            return out;
        }
        look *= 4;
    }
    out.candidate = candidate_from_predictions(std::move(expression), y, predicted, model);
    return out;
}

}  // namespace kepler
