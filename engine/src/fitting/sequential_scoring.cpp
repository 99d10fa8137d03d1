#include "kepler/fitting/sequential_scoring.hpp"

#include <cmath>

#include "kepler/fitting/magnitude.hpp"

namespace kepler {

SequentialScore score_candidate_sequential(Expression expression, const Eigen::Ref<const Eigen::MatrixXd>& X,
                                           const Eigen::Ref<const Eigen::VectorXd>& y, const ComplexityModel& model,
                                           Evaluator& evaluator, double rmse_to_beat,
                                           const SequentialScoringOptions& options) {
    SequentialScore out;
    const Eigen::Index n = y.size();
    Eigen::VectorXd predicted(n);
    // Residuals in units of 2^e, y's power of two, where y is not of ordinary magnitude
    // (magnitude.hpp): no underflow or overflow in the squares; exact, and 1 elsewhere.
    const int e = unit_scale_exponent(y.array()) == 0 ? 0 : max_abs_exponent(y.array());
    const double unit = std::ldexp(1.0, e);
    const double scaled_bar = rmse_to_beat / unit;
    const double bar = scaled_bar * scaled_bar;
    // Running sums of the squared residuals and of their squares over the rows seen so far.
    double sum = 0.0, sum_sq = 0.0;
    Eigen::Index done = 0;
    auto look = static_cast<Eigen::Index>(std::max<std::size_t>(options.first_look, 1));
    while (done < n) {
        const Eigen::Index next = std::isfinite(bar) ? std::min(n, look) : n;
        evaluator.evaluate(expression, X.middleRows(done, next - done), predicted.segment(done, next - done));
        for (Eigen::Index i = done; i < next; ++i) {
            const double r = (predicted(i) - y(i)) / unit;
            const double r2 = r * r;
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
