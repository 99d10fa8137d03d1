#include "kepler/fitting/candidate.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "kepler/fitting/fit_metrics.hpp"
#include "kepler/fitting/magnitude.hpp"

namespace kepler {

double error_bits(const Eigen::Ref<const Eigen::VectorXd>& observed, const Eigen::Ref<const Eigen::VectorXd>& predicted,
                  double residual_scale) {
    const Eigen::Index n = observed.size();
    if (n == 0) return 0.0;
    const double rms = rms_at_any_magnitude(observed.array());
    // 1e-300 only stands in for an all-zero target; at 1e-300 itself the scale is rms's.
    double eps = rms > 0.0 ? 1e-9 * rms : 1e-300;
    // At the noise scale: Student's t with kNoiseDegreesOfFreedom, whose standard deviation is
    // the noise's; below it (or without it): the Cauchy code at eps.
    const bool at_noise = std::isfinite(residual_scale) && residual_scale > eps;
    const double nu = at_noise ? kNoiseDegreesOfFreedom : 1.0;
    const double weight = at_noise ? 0.5 * (nu + 1.0) : 0.5;  // bits per log2(1 + q^2/nu)
    if (at_noise) eps = residual_scale * std::sqrt((nu - 2.0) / nu);
    double total = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double q = (predicted(i) - observed(i)) / eps;
        if (!std::isfinite(q)) return std::numeric_limits<double>::infinity();
        // log1p keeps precision for tiny residuals; past 1e150 q*q would overflow, and there
        // log2(1+q^2/nu) is 2*log2|q| - log2(nu) to double precision anyway.
        total += weight *
                 (std::abs(q) < 1e150 ? std::log1p(q * q / nu) / std::numbers::ln2 : 2.0 * std::log2(std::abs(q)) - std::log2(nu));
    }
    return total / static_cast<double>(n);
}

std::optional<Candidate> candidate_from_predictions(Expression expression, const Eigen::Ref<const Eigen::VectorXd>& y,
                                                    const Eigen::Ref<const Eigen::VectorXd>& predicted,
                                                    const ComplexityModel& model) {
    const FitMetrics m = fit_metrics(y, predicted);
    if (m.non_finite > 0 || !std::isfinite(m.rmse)) return std::nullopt;
    Candidate c;
    c.complexity_bits = model.bits(expression);
    c.error_bits = error_bits(y, predicted);
    c.error_rows = static_cast<std::size_t>(y.size());
    c.rmse = m.rmse;
    c.r2 = m.r2;
    c.max_relative_error = m.max_relative_error;
    c.expression = std::move(expression);
    return c;
}

std::optional<Candidate> score_candidate(Expression expression, const Eigen::Ref<const Eigen::MatrixXd>& X,
                                         const Eigen::Ref<const Eigen::VectorXd>& y, const ComplexityModel& model,
                                         Evaluator& evaluator) {
    Eigen::VectorXd predicted(y.size());
    evaluator.evaluate(expression, X, predicted);
    return candidate_from_predictions(std::move(expression), y, predicted, model);
}

}  // namespace kepler
