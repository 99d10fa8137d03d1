#include "channel_pairs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kepler::screening {

double pearson(const Eigen::Ref<const Eigen::VectorXd>& a, const Eigen::Ref<const Eigen::VectorXd>& b,
               std::size_t* common) {
    double sa = 0.0, sb = 0.0;
    std::size_t n = 0;
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a(i)) || !std::isfinite(b(i))) continue;
        sa += a(i);
        sb += b(i);
        ++n;
    }
    if (common) *common = n;
    if (n < 3) return std::numeric_limits<double>::quiet_NaN();
    const double ma = sa / static_cast<double>(n), mb = sb / static_cast<double>(n);
    double saa = 0.0, sbb = 0.0, sab = 0.0;
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a(i)) || !std::isfinite(b(i))) continue;
        const double da = a(i) - ma, db = b(i) - mb;
        saa += da * da;
        sbb += db * db;
        sab += da * db;
    }
    if (!(saa > 0.0) || !(sbb > 0.0)) return std::numeric_limits<double>::quiet_NaN();
    return std::clamp(sab / std::sqrt(saa * sbb), -1.0, 1.0);
}

std::vector<CorrelatedPair> correlated_pairs(const Eigen::MatrixXd& X, double threshold, std::size_t min_common,
                                             std::size_t max_rows) {
    std::vector<CorrelatedPair> pairs;
    const Eigen::Index q = X.cols();
    if (q < 2 || X.rows() == 0) return pairs;

    // Evenly spaced rows: a log's rows are in time order, so a prefix would see one stretch only.
    const Eigen::Index stride =
        std::max<Eigen::Index>(1, (X.rows() + static_cast<Eigen::Index>(max_rows) - 1) /
                                      static_cast<Eigen::Index>(std::max<std::size_t>(max_rows, 1)));
    const Eigen::Index m = (X.rows() + stride - 1) / stride;
    Eigen::MatrixXd S(m, q);
    for (Eigen::Index r = 0; r < m; ++r) S.row(r) = X.row(r * stride);

    // Standardised columns, missing values at 0 (the mean), and whether any value is missing.
    Eigen::MatrixXd Z(m, q);
    Eigen::MatrixXd mask(m, q);
    bool any_gap = false;
    for (Eigen::Index j = 0; j < q; ++j) {
        double sum = 0.0;
        std::size_t n = 0;
        for (Eigen::Index i = 0; i < m; ++i)
            if (std::isfinite(S(i, j))) {
                sum += S(i, j);
                ++n;
            }
        const double mean = n ? sum / static_cast<double>(n) : 0.0;
        double ss = 0.0;
        for (Eigen::Index i = 0; i < m; ++i)
            if (std::isfinite(S(i, j))) ss += (S(i, j) - mean) * (S(i, j) - mean);
        const double sd = n ? std::sqrt(ss / static_cast<double>(n)) : 0.0;
        for (Eigen::Index i = 0; i < m; ++i) {
            const bool ok = std::isfinite(S(i, j));
            any_gap = any_gap || !ok;
            mask(i, j) = ok ? 1.0 : 0.0;
            Z(i, j) = ok && sd > 0.0 ? (S(i, j) - mean) / sd : 0.0;
        }
    }
    Eigen::MatrixXd G = Eigen::MatrixXd::Zero(q, q);
    G.selfadjointView<Eigen::Lower>().rankUpdate(Z.transpose());
    Eigen::MatrixXd C;
    if (any_gap) {
        C = Eigen::MatrixXd::Zero(q, q);
        C.selfadjointView<Eigen::Lower>().rankUpdate(mask.transpose());
    }

    // With gaps the product is only an estimate (the columns were standardised over their own
    // rows, not the pair's), so pairs a little below the threshold are measured exactly too.
    const double screen_at = any_gap ? threshold - 0.05 : threshold - 1e-9;
    for (Eigen::Index b = 0; b < q; ++b) {
        for (Eigen::Index a = 0; a < b; ++a) {
            const double common = any_gap ? C(b, a) : static_cast<double>(m);
            if (common < static_cast<double>(min_common) || common < 3.0) continue;
            const double estimate = G(b, a) / common;
            if (std::abs(estimate) < screen_at) continue;
            std::size_t n = 0;
            const double r = any_gap ? pearson(S.col(a), S.col(b), &n) : std::clamp(estimate, -1.0, 1.0);
            if (any_gap && n < min_common) continue;
            if (std::isfinite(r) && std::abs(r) >= threshold)
                pairs.push_back({static_cast<std::size_t>(a), static_cast<std::size_t>(b), r});
        }
    }
    return pairs;
}

}  // namespace kepler::screening
