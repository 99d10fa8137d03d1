// Screening, last: the reasons of the proposed subsets and of the kept channels, in words.
#include <algorithm>
#include <cmath>

#include "screen_steps.hpp"
#include "screen_text.hpp"

namespace kepler::screening {

// Reasons of the subsets and of the kept channels.
void ChannelScreening::explain() {
    explain_subsets();
    explain_kept_channels();
    if (!report.interaction_scored && options.interaction_scores && short_list.size() < 2)
        report.notes.push_back("no interaction scores: the short list has fewer than two channels");
}

void ChannelScreening::explain_subsets() {
    for (ChannelSubset& sub : report.subsets) {
        sub.delta_bic = sub.bic - report.subsets.front().bic;
        std::string& why = sub.reason;
        why = std::string("response surface R2 ") + fmt("%.6f", sub.r2) + " on " + std::to_string(sub.rows) + " rows";
        if (&sub != &report.subsets.front())
            why += std::string(", BIC +") + fmt("%.1f", sub.delta_bic) + " against the first";
        if (std::isfinite(sub.power_law_r2)) {
            why += "; power law ";
            for (std::size_t a = 0; a < sub.names.size(); ++a) {
                if (a) why += "*";
                why += sub.names[a] + "^" + fmt("%.2f", sub.exponents[a]);
            }
            why += std::string(" has R2 ") + fmt("%.6f", sub.power_law_r2);
        }
        if (!sub.units_checked) {
            why += "; no units to check";
        } else if (!sub.units_ok) {
            why += std::string("; units: ") + sub.units_problem;
        } else if (sub.constants.empty()) {
            why += std::string("; units: they make the unit of ") + report.target;
        } else {
            why += std::string("; units: they make the unit of ") + report.target + " with one of the constants " +
                   join_names(sub.constants);
        }
        for (const auto& s : sub.substitutions) why += std::string("; uses ") + s;
    }
}

void ChannelScreening::explain_kept_channels() {
    for (std::size_t k : kept) {
        ChannelScreen& ch = report.channels[k];
        std::string why = std::string("rank ") + std::to_string(ch.rank) + ": ";
        why += std::string("relevance ") + fmt("%.3f", ch.relevance) +
               (ch.short_listed && conditional ? " (given the others)" : "") + "; ";
        if (std::isfinite(ch.power_law_gain)) {
            why += std::string("power-law gain ") + fmt("%.3f", ch.power_law_gain);
            if (ch.power_law_gain > 0.0) {
                why += std::string(" (exponent ") + fmt("%.2f", ch.exponent) + ", " + fmt("%.3f", ch.power_law_unique) +
                       " given the others)";
            }
            why += ", ";
        }
        why += std::string("correlation ratio ") + fmt("%.3f", ch.dependence);
        if (std::isfinite(ch.interaction)) why += std::string(", interaction ") + fmt("%.3f", ch.interaction);
        std::vector<std::string> in;
        for (std::size_t s = 0; s < report.subsets.size(); ++s)
            if (std::find(report.subsets[s].columns.begin(), report.subsets[s].columns.end(), ch.column) !=
                report.subsets[s].columns.end())
                in.push_back(std::to_string(s + 1));
        if (!in.empty())
            why += std::string("; in subset ") + join_names(in);
        else if (ch.relevance < options.low_relevance)
            why += "; low relevance";
        else
            why += "; in no proposed subset";
        ch.reason = std::move(why);
    }
}

}  // namespace kepler::screening
