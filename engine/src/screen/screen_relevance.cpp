// Screening, step 3: the relevance of every channel still in the running, a first pass of the
// power law over every reading and each channel's correlation ratio.
#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "screen_steps.hpp"

namespace kepler::screening {

// Marginal relevance: what the channel explains as it enters the power law, or on its own.
double ChannelScreening::relevance_of(const ChannelScreen& ch) {
    double r = 0.0;
    for (double s : {ch.power_law_gain, ch.dependence})
        if (std::isfinite(s)) r = std::max(r, s);
    return r;
}

// 3. Relevance of every channel still in the running.
void ChannelScreening::score_relevance() {
    for (std::size_t l = 0; l < live.size(); ++l)
        if (!out_of_running[l]) scored.push_back(l);
    Eigen::MatrixXd Xs(m, static_cast<Eigen::Index>(scored.size()));
    for (std::size_t s = 0; s < scored.size(); ++s)
        Xs.col(static_cast<Eigen::Index>(s)) = X.col(static_cast<Eigen::Index>(scored[s]));
    // First pass of the power law, over every reading: it tells which quantities matter, the
    // context in which the readings of one quantity are compared below.
    first_pass = select_power_law(Xs, y);
    const Eigen::VectorXd y_ranks = average_ranks(y);
    for (std::size_t s = 0; s < scored.size(); ++s) {
        ChannelScreen& ch = report.channels[live[scored[s]]];
        ch.dependence = correlation_ratio(Xs.col(static_cast<Eigen::Index>(s)), y_ranks);
        if (first_pass.fitted) ch.power_law_gain = 0.0;
    }
    for (std::size_t k = 0; k < first_pass.steps.size(); ++k) {
        ChannelScreen& ch = report.channels[live[scored[first_pass.steps[k].column]]];
        ch.power_law_gain = first_pass.steps[k].r2_gain;
        ch.power_law_unique = first_pass.steps[k].unique_gain;
        if (k < first_pass.exponents.size()) ch.exponent = first_pass.exponents[k];
    }
    for (std::size_t l : scored) {
        ChannelScreen& ch = report.channels[live[l]];
        ch.relevance = relevance_of(ch);
    }
}

}  // namespace kepler::screening
