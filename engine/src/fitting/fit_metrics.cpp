#include "kepler/fitting/fit_metrics.hpp"

#include <cmath>
#include <limits>

namespace kepler {

FitMetrics fit_metrics(const Eigen::Ref<const Eigen::VectorXd>& observed,
                       const Eigen::Ref<const Eigen::VectorXd>& predicted) {
    FitMetrics m;
    const Eigen::Index n = observed.size();
    if (n == 0) return m;
    const double mean = observed.mean();
    double sse = 0.0, sst = 0.0, worst = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double p = predicted(i), o = observed(i);
        if (!std::isfinite(p)) {
            ++m.non_finite;
            continue;
        }
        const double r = p - o;
        sse += r * r;
        sst += (o - mean) * (o - mean);
        worst = std::max(worst, std::abs(r) / std::max(std::abs(o), 1e-300));
    }
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (m.non_finite > 0) {
        m.rmse = inf;
        m.max_relative_error = inf;
        m.r2 = -inf;
        return m;
    }
    m.rmse = std::sqrt(sse / static_cast<double>(n));
    m.max_relative_error = worst;
    m.r2 = sst > 0.0 ? 1.0 - sse / sst : (sse == 0.0 ? 1.0 : -inf);
    return m;
}

}  // namespace kepler
