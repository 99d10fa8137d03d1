#include "kepler/screen/subset_fit.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>

#include "kepler/screen/relevance.hpp"

namespace kepler {

ChannelScale channel_scale(const Eigen::Ref<const Eigen::VectorXd>& x) {
    ChannelScale s;
    s.log = one_signed(x);
    double sum = 0.0, ss = 0.0;
    std::size_t n = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        if (!std::isfinite(x(i))) continue;
        const double v = s.log ? std::log(std::abs(x(i))) : x(i);
        sum += v;
        ++n;
    }
    if (n == 0) return s;
    s.center = sum / static_cast<double>(n);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        if (!std::isfinite(x(i))) continue;
        const double v = (s.log ? std::log(std::abs(x(i))) : x(i)) - s.center;
        ss += v * v;
    }
    const double sd = std::sqrt(ss / static_cast<double>(n));
    s.scale = sd > 0.0 ? sd : 1.0;
    return s;
}

Eigen::VectorXd to_scale(const ChannelScale& s, const Eigen::Ref<const Eigen::VectorXd>& x) {
    Eigen::VectorXd u(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i)
        u(i) = std::isfinite(x(i)) ? ((s.log ? std::log(std::abs(x(i))) : x(i)) - s.center) / s.scale : x(i);
    return u;
}

SubsetFit fit_subset(const Eigen::MatrixXd& U, const std::vector<ChannelScale>& scales, const Eigen::VectorXd& y,
                     const ChannelScale& target, std::span<const std::size_t> subset) {
    SubsetFit fit;
    const std::size_t k = subset.size();
    fit.parameters = 1 + 3 * k + k * (k - 1) / 2;
    std::vector<Eigen::Index> rows;
    rows.reserve(static_cast<std::size_t>(U.rows()));
    for (Eigen::Index i = 0; i < U.rows(); ++i) {
        bool ok = true;
        for (std::size_t c : subset) ok = ok && std::isfinite(U(i, static_cast<Eigen::Index>(c)));
        if (ok) rows.push_back(i);
    }
    const auto m = static_cast<Eigen::Index>(rows.size());
    if (rows.size() < 2 * fit.parameters) return fit;
    fit.rows = rows.size();

    // The target in its scale (not standardised: the power law's exponents come out directly).
    const double sign = target.log && y(0) < 0.0 ? -1.0 : 1.0;
    Eigen::VectorXd v(m);
    for (Eigen::Index r = 0; r < m; ++r) {
        const double t = y(rows[static_cast<std::size_t>(r)]);
        v(r) = target.log ? std::log(std::abs(t)) : t;
    }
    const double tss = (v.array() - v.mean()).square().sum();

    const auto p = static_cast<Eigen::Index>(fit.parameters);
    Eigen::MatrixXd A(m, p);
    for (Eigen::Index r = 0; r < m; ++r) {
        const Eigen::Index i = rows[static_cast<std::size_t>(r)];
        Eigen::Index c = 0;
        A(r, c++) = 1.0;
        for (std::size_t a = 0; a < k; ++a) {
            const double u = U(i, static_cast<Eigen::Index>(subset[a]));
            A(r, c++) = u;
            A(r, c++) = u * u;
            A(r, c++) = u * u * u;
        }
        for (std::size_t a = 0; a < k; ++a)
            for (std::size_t b = a + 1; b < k; ++b)
                A(r, c++) = U(i, static_cast<Eigen::Index>(subset[a])) * U(i, static_cast<Eigen::Index>(subset[b]));
    }
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
    const Eigen::VectorXd coef = qr.solve(v);
    const Eigen::VectorXd fitted = A * coef;
    const double rss = (v - fitted).squaredNorm();
    fit.r2 = tss > 0.0 ? std::clamp(1.0 - rss / tss, 0.0, 1.0) : 0.0;
    // BIC with the residual floored at a relative 1e-20 of the target's variance: exact fits
    // tie there and the one with fewer parameters wins.
    const double floor = std::max(1e-20 * tss, 1e-300);
    const double md = static_cast<double>(m);
    fit.bic = md * std::log(std::max(rss, floor) / md) + static_cast<double>(p) * std::log(md);

    double se = 0.0;
    for (Eigen::Index r = 0; r < m; ++r) {
        const double predicted = target.log ? sign * std::exp(fitted(r)) : fitted(r);
        const double d = predicted - y(rows[static_cast<std::size_t>(r)]);
        se += d * d;
    }
    fit.rmse = std::sqrt(se / md);

    // The pure power law: log|y| linear in the channels' logs.
    bool all_log = target.log;
    for (std::size_t c : subset) all_log = all_log && scales[c].log;
    if (all_log) {
        Eigen::MatrixXd L(m, static_cast<Eigen::Index>(k) + 1);
        L.col(0).setOnes();
        for (std::size_t a = 0; a < k; ++a)
            L.col(static_cast<Eigen::Index>(a) + 1) = A.col(1 + 3 * static_cast<Eigen::Index>(a));
        const Eigen::VectorXd lc = L.colPivHouseholderQr().solve(v);
        const double lrss = (v - L * lc).squaredNorm();
        fit.power_law_r2 = tss > 0.0 ? std::clamp(1.0 - lrss / tss, 0.0, 1.0) : 0.0;
        // u = (log|x| - center) / scale, so the exponent of x is the coefficient over the scale.
        for (std::size_t a = 0; a < k; ++a)
            fit.exponents.push_back(lc(static_cast<Eigen::Index>(a) + 1) / scales[subset[a]].scale);
    }
    return fit;
}

}  // namespace kepler
