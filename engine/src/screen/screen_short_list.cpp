// Screening, step 5: the ranking of the kept channels, and the short list.
#include <algorithm>
#include <cmath>
#include <limits>

#include "screen_steps.hpp"

namespace kepler::screening {

// 5. Ranking of the kept channels, and the short list: the channels the power law took in
// first (in their order), then the most relevant others.
void ChannelScreening::rank_and_short_list() {
    for (std::size_t l : scored)
        if (report.channels[live[l]].verdict == ChannelVerdict::Kept) kept.push_back(live[l]);
    rank_kept();
    auto add_short = [&](std::size_t k) {
        if (short_list.size() < options.short_list &&
            std::find(short_list.begin(), short_list.end(), k) == short_list.end())
            short_list.push_back(k);
    };
    for (const PowerLawStep& step : power.steps) add_short(live[kept_live[step.column]]);
    for (std::size_t k : kept)
        if (report.channels[k].relevance > 0.0 || short_list.size() < 2) add_short(k);
}

// The short list first, then by relevance; ranks from 1.
void ChannelScreening::rank_kept() {
    std::stable_sort(kept.begin(), kept.end(), [&](std::size_t a, std::size_t b) {
        const ChannelScreen& ca = report.channels[a];
        const ChannelScreen& cb = report.channels[b];
        if (ca.short_listed != cb.short_listed) return ca.short_listed;
        return ca.relevance > cb.relevance;
    });
    for (std::size_t r = 0; r < kept.size(); ++r) report.channels[kept[r]].rank = r + 1;
}

// The channel at candidate position k on the sampled rows (NaN where missing).
Eigen::VectorXd ChannelScreening::sampled_column(std::size_t k) const {
    const auto c = static_cast<Eigen::Index>(candidates[k]);
    Eigen::VectorXd x(m);
    for (Eigen::Index i = 0; i < m; ++i) {
        const double v = table.data(rows[static_cast<std::size_t>(i)], c);
        x(i) = std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN();
    }
    return x;
}

}  // namespace kepler::screening
