// Screening, step 7: small subsets of the pool (the head of the short list), each fitted by the
// response surface and ordered by its BIC; then the ones proposed (screen_subset_choice.cpp).
#include <algorithm>
#include <cstdint>
#include <numeric>

#include "screen_steps.hpp"

namespace kepler::screening {

namespace {

// Every subset of {0..n-1} with 1..k elements, in lexicographic order of size then members.
std::vector<std::vector<std::size_t>> small_subsets(std::size_t n, std::size_t k) {
    std::vector<std::vector<std::size_t>> out;
    std::vector<std::size_t> current;
    auto grow = [&](auto&& self, std::size_t start, std::size_t size) -> void {
        if (current.size() == size) {
            out.push_back(current);
            return;
        }
        for (std::size_t i = start; i < n; ++i) {
            current.push_back(i);
            self(self, i + 1, size);
            current.pop_back();
        }
    };
    for (std::size_t size = 1; size <= std::min(n, k); ++size) grow(grow, 0, size);
    return out;
}

}  // namespace

// 7. Subsets of the pool (the head of the short list), by BIC of the response surface.
void ChannelScreening::propose_subsets() {
    sample_subset_rows();
    fit_subsets();
    choose_subsets();
    add_ruled_out_subsets();
    // Most likely first: by BIC (after substitutions), fewer channels on a tie.
    std::stable_sort(report.subsets.begin(), report.subsets.end(), [](const ChannelSubset& a, const ChannelSubset& b) {
        if (a.bic != b.bic) return a.bic < b.bic;
        return a.columns.size() < b.columns.size();
    });
}

// The pool, the subset rows (every subset_stride-th sampled row) and the pool's scaled columns.
void ChannelScreening::sample_subset_rows() {
    const std::size_t pool_size = std::min(short_list.size(), options.subset_pool);
    pool.assign(short_list.begin(), short_list.begin() + static_cast<std::ptrdiff_t>(pool_size));
    subset_stride =
        std::max<Eigen::Index>(1, (m + static_cast<Eigen::Index>(options.subset_rows) - 1) /
                                      static_cast<Eigen::Index>(std::max<std::size_t>(options.subset_rows, 1)));
    ms = (m + subset_stride - 1) / subset_stride;
    ys.resize(ms);
    for (Eigen::Index i = 0; i < ms; ++i) ys(i) = y(i * subset_stride);
    Us.resize(ms, 0);
    for (std::size_t k : pool) slot_of(k);
}

// The column of Us of the channel at candidate position k, filled on first use (a substitute
// reading of another unit is not in the pool).
std::size_t ChannelScreening::slot_of(std::size_t k) {
    if (auto it = slot.find(k); it != slot.end()) return it->second;
    const Eigen::VectorXd x = sampled_column(k);
    Eigen::VectorXd xs(ms);
    for (Eigen::Index i = 0; i < ms; ++i) xs(i) = x(i * subset_stride);
    const ChannelScale s = channel_scale(xs);
    Us.conservativeResize(Eigen::NoChange, Us.cols() + 1);
    Us.col(Us.cols() - 1) = to_scale(s, xs);
    scales.push_back(s);
    slot[k] = static_cast<std::size_t>(Us.cols() - 1);
    return slot[k];
}

// Every subset of the pool with 1 to max_subset_size channels that can be fitted, by BIC,
// fewer channels on a tie.
void ChannelScreening::fit_subsets() {
    for (const auto& combo : small_subsets(pool.size(), options.max_subset_size)) {
        Scored s;
        std::vector<std::size_t> slots;
        for (std::size_t i : combo) {
            s.members.push_back(pool[i]);
            slots.push_back(slot_of(pool[i]));
        }
        s.fit = fit_subset(Us, scales, ys, target_scale, slots);
        if (s.fit.rows > 0) fits.push_back(std::move(s));
    }
    std::stable_sort(fits.begin(), fits.end(), [](const Scored& a, const Scored& b) {
        if (a.fit.bic != b.fit.bic) return a.fit.bic < b.fit.bic;
        return a.members.size() < b.members.size();
    });
}

std::vector<Dimension> ChannelScreening::dims_of(const std::vector<std::size_t>& members) const {
    std::vector<Dimension> d;
    for (std::size_t k : members) d.push_back(units->columns[candidates[k]].dimension);
    return d;
}

std::vector<std::string> ChannelScreening::names_of(const std::vector<std::size_t>& members) const {
    std::vector<std::string> n;
    for (std::size_t k : members) n.push_back(report.channels[k].name);
    return n;
}

// The candidate position of a table column (SIZE_MAX if it is no candidate).
std::size_t ChannelScreening::position_of(std::size_t column) const {
    for (std::size_t k = 0; k < candidates.size(); ++k)
        if (candidates[k] == column) return k;
    return SIZE_MAX;
}

// The subset as the report gives it: in the table's column order (the exponents follow the
// members).
ChannelSubset ChannelScreening::make_subset(const std::vector<std::size_t>& unordered, const SubsetFit& fit) const {
    std::vector<std::size_t> order(unordered.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return candidates[unordered[a]] < candidates[unordered[b]]; });
    std::vector<std::size_t> members;
    std::vector<double> exponents;
    for (std::size_t i : order) {
        members.push_back(unordered[i]);
        if (i < fit.exponents.size()) exponents.push_back(fit.exponents[i]);
    }
    ChannelSubset out;
    for (std::size_t k : members) out.columns.push_back(candidates[k]);
    out.names = names_of(members);
    out.r2 = fit.r2;
    out.rmse = fit.rmse;
    out.bic = fit.bic;
    out.rows = fit.rows;
    out.power_law_r2 = fit.power_law_r2;
    out.exponents = exponents;
    return out;
}

}  // namespace kepler::screening
