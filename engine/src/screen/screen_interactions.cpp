// Screening, step 6: the interaction scores of the short list (a smooth surrogate's
// sensitivities), and the short list's conditional relevance.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>

#include "kepler/structure/surrogate.hpp"
#include "screen_steps.hpp"

namespace kepler::screening {

namespace {

// The surrogate's sensitivity shares of the short list: mean |d v / d u_j| over the rows, each
// input standardised, as a share of their sum. Empty (with a note) if it cannot be fitted.
// Nothing is swallowed: a surrogate that throws comes back as a note that says why (its
// message), and the caller puts the note in the report.
std::optional<std::vector<double>> surrogate_shares(const Eigen::MatrixXd& U, const Eigen::VectorXd& v,
                                                    std::uint64_t seed, double& relative_error, std::string& note) {
    try {
        SurrogateOptions options;
        options.max_rows = 1000;
        options.seed = seed;
        const Surrogate model = Surrogate::fit(U, v, options);
        relative_error = model.relative_validation_error();
        const Eigen::Index probe = std::min<Eigen::Index>(U.rows(), 400);
        const Eigen::Index stride = std::max<Eigen::Index>(1, U.rows() / probe);
        Eigen::MatrixXd P(probe, U.cols());
        for (Eigen::Index r = 0; r < probe; ++r) P.row(r) = U.row(std::min(U.rows() - 1, r * stride));
        const Eigen::MatrixXd g = model.gradient(P);
        Eigen::VectorXd s = g.cwiseAbs().colwise().mean().transpose();
        const double total = s.sum();
        if (!(total > 0.0) || !s.allFinite()) {
            note = "the surrogate is flat on the short list: no interaction scores";
            return std::nullopt;
        }
        s /= total;
        return std::vector<double>(s.data(), s.data() + s.size());
    } catch (const std::exception& e) {
        note = "no interaction scores: the surrogate could not be fitted (";
        note += e.what();
        note += ")";
        return std::nullopt;
    }
}

}  // namespace

// 6. Interaction scores: the surrogate on the short list.
void ChannelScreening::score_interactions() {
    if (options.interaction_scores && short_list.size() >= 2) {
        std::vector<Eigen::Index> complete;
        Eigen::MatrixXd S(m, static_cast<Eigen::Index>(short_list.size()));
        for (std::size_t s = 0; s < short_list.size(); ++s) {
            const Eigen::VectorXd x = sampled_column(short_list[s]);
            S.col(static_cast<Eigen::Index>(s)) = to_scale(channel_scale(x), x);
        }
        for (Eigen::Index i = 0; i < m; ++i)
            if (S.row(i).allFinite()) complete.push_back(i);
        if (complete.size() >= 50) {
            Eigen::MatrixXd U(static_cast<Eigen::Index>(complete.size()), S.cols());
            Eigen::VectorXd v(U.rows());
            for (std::size_t r = 0; r < complete.size(); ++r) {
                U.row(static_cast<Eigen::Index>(r)) = S.row(complete[r]);
                const double yt = y(complete[r]);
                v(static_cast<Eigen::Index>(r)) = target_scale.log ? std::log(std::abs(yt)) : yt;
            }
            std::string note;
            double error = std::numeric_limits<double>::quiet_NaN();
            if (auto shares = surrogate_shares(U, v, options.seed, error, note)) {
                report.interaction_scored = true;
                report.surrogate_error = error;
                for (std::size_t s = 0; s < short_list.size(); ++s)
                    report.channels[short_list[s]].interaction = (*shares)[s];
            } else {
                report.notes.push_back(note);
            }
        } else {
            report.notes.push_back("no interaction scores: fewer than 50 rows have every short-listed channel");
        }
    }
    condition_relevance();
}

// Conditional relevance of the short list: what a channel adds given the others (the power
// law's drop-one gain, the surrogate's sensitivity share). It replaces the marginal one
// there, so a channel that merely follows the target (taken in first by the power law, high
// correlation ratio) falls behind the channels of the law. The short list ranks first.
void ChannelScreening::condition_relevance() {
    conditional = report.interaction_scored || power.fitted;
    for (std::size_t k : short_list) {
        ChannelScreen& ch = report.channels[k];
        ch.short_listed = true;
        if (!conditional) continue;
        double r = 0.0;
        if (power.fitted) r = std::isfinite(ch.power_law_unique) ? ch.power_law_unique : 0.0;
        if (std::isfinite(ch.interaction)) r = std::max(r, ch.interaction);
        ch.relevance = r;
    }
    rank_kept();
    std::stable_sort(short_list.begin(), short_list.end(),
                     [&](std::size_t a, std::size_t b) { return report.channels[a].rank < report.channels[b].rank; });
    for (std::size_t k : short_list) report.short_list.push_back(candidates[k]);
}

}  // namespace kepler::screening
