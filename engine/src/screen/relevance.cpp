#include "kepler/screen/relevance.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace kepler {

bool one_signed(const Eigen::Ref<const Eigen::VectorXd>& values) {
    bool positive = false, negative = false;
    for (Eigen::Index i = 0; i < values.size(); ++i) {
        const double v = values(i);
        if (!std::isfinite(v)) continue;
        if (v == 0.0) return false;
        (v > 0.0 ? positive : negative) = true;
    }
    return positive != negative;
}

namespace {

// log|x| standardised over its finite values, missing values set to 0 (the mean). Empty when
// the column has no spread in log space.
std::optional<Eigen::VectorXd> standardised_log(const Eigen::Ref<const Eigen::VectorXd>& x) {
    Eigen::VectorXd z(x.size());
    double sum = 0.0;
    Eigen::Index count = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        if (std::isfinite(x(i))) {
            z(i) = std::log(std::abs(x(i)));
            sum += z(i);
            ++count;
        } else {
            z(i) = std::numeric_limits<double>::quiet_NaN();
        }
    }
    if (count < 3) return std::nullopt;
    const double mean = sum / static_cast<double>(count);
    double ss = 0.0;
    for (Eigen::Index i = 0; i < z.size(); ++i)
        if (std::isfinite(z(i))) ss += (z(i) - mean) * (z(i) - mean);
    const double sd = std::sqrt(ss / static_cast<double>(count));
    if (!(sd > 1e-12 * std::max(1.0, std::abs(mean)))) return std::nullopt;
    for (Eigen::Index i = 0; i < z.size(); ++i) z(i) = std::isfinite(z(i)) ? (z(i) - mean) / sd : 0.0;
    return z;
}

}  // namespace

PowerLawSelection select_power_law(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::size_t max_steps) {
    PowerLawSelection out;
    const Eigen::Index n = y.size();
    if (!one_signed(y) || !y.allFinite()) {
        out.why_not = "the target takes the value zero or both signs, so it has no logarithm";
        return out;
    }
    if (n < 8) {
        out.why_not = "too few rows";
        return out;
    }
    Eigen::VectorXd ly = y.array().abs().log().matrix();
    ly.array() -= ly.mean();
    const double tss = ly.squaredNorm();
    out.fitted = true;
    if (!(tss > 0.0)) {
        out.why_not = "the target is constant";
        return out;
    }

    // The eligible columns, standardised in log space; Z is residualised against the columns
    // taken in as the selection goes (Gram-Schmidt, one projection per step).
    std::vector<std::size_t> eligible;
    std::vector<Eigen::VectorXd> logs;
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        if (!one_signed(X.col(j))) continue;
        if (auto z = standardised_log(X.col(j))) {
            eligible.push_back(static_cast<std::size_t>(j));
            logs.push_back(std::move(*z));
        }
    }
    if (eligible.empty()) return out;
    Eigen::MatrixXd Z(n, static_cast<Eigen::Index>(eligible.size()));
    for (std::size_t k = 0; k < eligible.size(); ++k) Z.col(static_cast<Eigen::Index>(k)) = logs[k];
    logs.clear();
    const Eigen::VectorXd original_norms = Z.colwise().squaredNorm().transpose();
    Eigen::VectorXd norms = original_norms;
    std::vector<bool> taken(eligible.size(), false);

    Eigen::VectorXd residual = ly;
    double rss = tss;
    const double penalty = std::log(static_cast<double>(n)) + 2.0 * std::log(static_cast<double>(eligible.size()));
    std::vector<std::size_t> chosen;  // positions in `eligible`
    while (chosen.size() < max_steps && rss > 1e-14 * tss) {
        const Eigen::VectorXd dots = Z.transpose() * residual;
        Eigen::Index best = -1;
        double best_gain = 0.0;
        for (Eigen::Index k = 0; k < Z.cols(); ++k) {
            // A column (almost) in the span of those taken in adds nothing new.
            if (taken[static_cast<std::size_t>(k)] || norms(k) < 1e-8 * original_norms(k)) continue;
            const double gain = dots(k) * dots(k) / norms(k);
            if (gain > best_gain) {
                best_gain = gain;
                best = k;
            }
        }
        if (best < 0) break;
        const double rss_after = std::max(rss - best_gain, 1e-300);
        const bool exact = rss_after <= 1e-14 * tss;
        if (!exact && static_cast<double>(n) * std::log(rss / rss_after) < penalty) break;
        taken[static_cast<std::size_t>(best)] = true;
        chosen.push_back(static_cast<std::size_t>(best));
        out.steps.push_back({eligible[static_cast<std::size_t>(best)], best_gain / tss});
        const Eigen::VectorXd q = Z.col(best) / std::sqrt(norms(best));
        residual -= q * q.dot(residual);
        rss = residual.squaredNorm();
        Z -= q * (q.transpose() * Z);
        norms = Z.colwise().squaredNorm().transpose();
    }
    out.r2 = std::clamp(1.0 - rss / tss, 0.0, 1.0);

    // Drop-one gains, on the same (imputed, standardised) columns as the selection.
    if (chosen.size() > 1) {
        Eigen::MatrixXd S(n, static_cast<Eigen::Index>(chosen.size()));
        for (std::size_t k = 0; k < chosen.size(); ++k)
            S.col(static_cast<Eigen::Index>(k)) =
                *standardised_log(X.col(static_cast<Eigen::Index>(eligible[chosen[k]])));
        for (std::size_t k = 0; k < chosen.size(); ++k) {
            Eigen::MatrixXd D(n, S.cols() - 1);
            for (Eigen::Index c = 0, d = 0; c < S.cols(); ++c)
                if (c != static_cast<Eigen::Index>(k)) D.col(d++) = S.col(c);
            const Eigen::VectorXd coef = D.colPivHouseholderQr().solve(ly);
            const double rss_without = (ly - D * coef).squaredNorm();
            out.steps[k].unique_gain = std::clamp((rss_without - rss) / tss, 0.0, 1.0);
        }
    } else if (chosen.size() == 1) {
        out.steps[0].unique_gain = out.steps[0].r2_gain;
    }

    // Exponents: ordinary least squares of log|y| on the chosen columns' logs, on the rows
    // where all of them have a value.
    if (!chosen.empty()) {
        std::vector<Eigen::Index> rows;
        for (Eigen::Index i = 0; i < n; ++i) {
            bool ok = true;
            for (const PowerLawStep& s : out.steps) ok = ok && std::isfinite(X(i, static_cast<Eigen::Index>(s.column)));
            if (ok) rows.push_back(i);
        }
        out.exponents.assign(out.steps.size(), std::numeric_limits<double>::quiet_NaN());
        const auto m = static_cast<Eigen::Index>(rows.size());
        const auto p = static_cast<Eigen::Index>(out.steps.size());
        if (m > p + 1) {
            Eigen::MatrixXd A(m, p + 1);
            Eigen::VectorXd b(m);
            for (Eigen::Index r = 0; r < m; ++r) {
                A(r, 0) = 1.0;
                for (Eigen::Index c = 0; c < p; ++c)
                    A(r, c + 1) =
                        std::log(std::abs(X(rows[static_cast<std::size_t>(r)],
                                            static_cast<Eigen::Index>(out.steps[static_cast<std::size_t>(c)].column))));
                b(r) = std::log(std::abs(y(rows[static_cast<std::size_t>(r)])));
            }
            const Eigen::VectorXd coef = A.colPivHouseholderQr().solve(b);
            for (Eigen::Index c = 0; c < p; ++c) out.exponents[static_cast<std::size_t>(c)] = coef(c + 1);
        }
    }
    return out;
}

Eigen::VectorXd average_ranks(const Eigen::Ref<const Eigen::VectorXd>& v) {
    Eigen::VectorXd ranks = Eigen::VectorXd::Constant(v.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<Eigen::Index> order;
    order.reserve(static_cast<std::size_t>(v.size()));
    for (Eigen::Index i = 0; i < v.size(); ++i)
        if (std::isfinite(v(i))) order.push_back(i);
    std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return v(a) < v(b); });
    for (std::size_t start = 0; start < order.size();) {
        std::size_t end = start + 1;
        while (end < order.size() && v(order[end]) == v(order[start])) ++end;
        const double rank = 0.5 * static_cast<double>(start + 1 + end);  // mean of start+1 .. end
        for (std::size_t k = start; k < end; ++k) ranks(order[k]) = rank;
        start = end;
    }
    return ranks;
}

double correlation_ratio(const Eigen::Ref<const Eigen::VectorXd>& x,
                         const Eigen::Ref<const Eigen::VectorXd>& target_ranks) {
    std::vector<Eigen::Index> order;
    order.reserve(static_cast<std::size_t>(x.size()));
    for (Eigen::Index i = 0; i < x.size(); ++i)
        if (std::isfinite(x(i)) && std::isfinite(target_ranks(i))) order.push_back(i);
    const std::size_t m = order.size();
    const std::size_t bins =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(m)) / 2.0)), 8, 40);
    if (m < 3 * bins) return 0.0;
    std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return x(a) < x(b); });

    double total = 0.0;
    for (Eigen::Index i : order) total += target_ranks(i);
    const double mean = total / static_cast<double>(m);
    double ss_total = 0.0;
    for (Eigen::Index i : order) ss_total += (target_ranks(i) - mean) * (target_ranks(i) - mean);
    if (!(ss_total > 0.0)) return 0.0;

    std::vector<double> sums(bins, 0.0);
    std::vector<std::size_t> counts(bins, 0);
    for (std::size_t start = 0; start < m;) {
        std::size_t end = start + 1;
        while (end < m && x(order[end]) == x(order[start])) ++end;
        const std::size_t bin = std::min(bins - 1, start * bins / m);  // a tie group stays in one bin
        for (std::size_t k = start; k < end; ++k) {
            sums[bin] += target_ranks(order[k]);
            ++counts[bin];
        }
        start = end;
    }
    double ss_between = 0.0;
    std::size_t used_bins = 0;
    for (std::size_t b = 0; b < bins; ++b) {
        if (counts[b] == 0) continue;
        ++used_bins;
        const double d = sums[b] / static_cast<double>(counts[b]) - mean;
        ss_between += static_cast<double>(counts[b]) * d * d;
    }
    if (used_bins < 2) return 0.0;
    const double eta2 = ss_between / ss_total;
    const double adjusted = 1.0 - (1.0 - eta2) * static_cast<double>(m - 1) / static_cast<double>(m - used_bins);
    return std::clamp(adjusted, 0.0, 1.0);
}

}  // namespace kepler
