// Screening, step 2: channels that read the target itself (2a), and the pairs of channels that
// read one quantity (2b).
#include <cmath>

#include "screen_steps.hpp"
#include "screen_text.hpp"

namespace kepler::screening {

// 2a. Readings of the target itself: a channel of the target's dimension, linear in it.
void ChannelScreening::set_aside_target_readings() {
    out_of_running.assign(live.size(), false);
    if (!units) return;
    const Dimension& td = units->columns[target].dimension;
    for (std::size_t l = 0; l < live.size(); ++l) {
        ChannelScreen& ch = report.channels[live[l]];
        if (!(units->columns[ch.column].dimension == td)) continue;
        const double r = pearson(X.col(static_cast<Eigen::Index>(l)), y);
        if (std::isfinite(r) && std::abs(r) >= options.redundant_correlation) {
            ch.verdict = ChannelVerdict::TargetReading;
            ch.correlation = r;
            ch.reason = std::string("another reading of the target: same unit as ") + report.target +
                        " and |r| = " + correlation_text(r) +
                        " with it; a law from it would be circular (name it with --inputs to use it)";
            out_of_running[l] = true;
        }
    }
}

// 2b. Duplicates and redundant readings: the pairs nearly linear in each other.
void ChannelScreening::find_correlated_pairs() {
    pairs = correlated_pairs(X, options.redundant_correlation, options.min_readings, options.pair_rows);
}

}  // namespace kepler::screening
