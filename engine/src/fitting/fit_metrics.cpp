#include "kepler/fitting/fit_metrics.hpp"

#include <cmath>
#include <limits>

#include "kepler/fitting/magnitude.hpp"

namespace kepler {

namespace {

struct Sums {
    double sse = 0.0, sst = 0.0;
};

// SSE and SST with the residuals scaled by 2^-er and the deviations from the mean by 2^-ec
// (both 0: the plain sums).
Sums sums_of_squares(const Eigen::Ref<const Eigen::VectorXd>& observed,
                     const Eigen::Ref<const Eigen::VectorXd>& predicted, double mean, int er, int ec) {
    Sums s;
    const bool plain = er == 0 && ec == 0;
    for (Eigen::Index i = 0; i < observed.size(); ++i) {
        double r = predicted(i) - observed(i), c = observed(i) - mean;
        if (!plain) {
            // ldexp on each value: 2^-er itself need not be a double.
            r = std::ldexp(r, -er);
            c = std::ldexp(c, -ec);
        }
        s.sse += r * r;
        s.sst += c * c;
    }
    return s;
}

// The mean, scaled by a power of two when the plain sum overflows.
double mean_of(const Eigen::Ref<const Eigen::VectorXd>& v) {
    const double plain = v.mean();
    if (std::isfinite(plain)) return plain;
    const int e = max_abs_exponent(v.array());
    return std::ldexp(scaled_by_power_of_two(v.array(), -e).mean(), e);
}

}  // namespace

FitMetrics fit_metrics(const Eigen::Ref<const Eigen::VectorXd>& observed,
                       const Eigen::Ref<const Eigen::VectorXd>& predicted) {
    FitMetrics m;
    const Eigen::Index n = observed.size();
    if (n == 0) return m;
    double worst = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double p = predicted(i), o = observed(i);
        if (!std::isfinite(p)) {
            ++m.non_finite;
            continue;
        }
        // The floor only stands in for an observed 0.
        worst = std::max(worst, std::abs(p - o) / (o != 0.0 ? std::abs(o) : 1e-300));
    }
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (m.non_finite > 0) {
        m.rmse = inf;
        m.max_relative_error = inf;
        m.r2 = -inf;
        return m;
    }
    const double mean = mean_of(observed);
    Sums s = sums_of_squares(observed, predicted, mean, 0, 0);
    // Underflow or overflow in the plain sums: again on values brought near 1 by powers of
    // two (exact), and SSE/SST rescaled by the ratio of those powers.
    int er = 0, ec = 0;
    const bool sse_safe = s.sse == 0.0 ? (predicted.array() == observed.array()).all() : sum_of_squares_is_safe(s.sse);
    const bool sst_safe = s.sst == 0.0 ? (observed.array() == mean).all() : sum_of_squares_is_safe(s.sst);
    if (!sse_safe || !sst_safe) {
        er = max_abs_exponent((predicted - observed).array());
        ec = max_abs_exponent(observed.array() - mean);
        s = sums_of_squares(observed, predicted, mean, er, ec);
    }
    m.rmse = std::ldexp(std::sqrt(s.sse / static_cast<double>(n)), er);
    m.max_relative_error = worst;
    m.r2 = s.sst > 0.0 ? 1.0 - std::ldexp(s.sse / s.sst, 2 * (er - ec)) : (s.sse == 0.0 ? 1.0 : -inf);
    return m;
}

}  // namespace kepler
