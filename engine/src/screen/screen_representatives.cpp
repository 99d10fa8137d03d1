// Screening, step 4: the readings of one quantity, and the one that represents it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "screen_steps.hpp"
#include "screen_text.hpp"

namespace kepler::screening {

namespace {

// How much a channel moves from one row to the next, against its spread: the median
// |x[i+1] - x[i]| over consecutive rows with values, over the standard deviation. In a log
// (rows in time order) a reading with more sensor noise is rougher than another reading of the
// same quantity; in a table of independent rows every channel is equally rough, and a pure
// change of unit changes nothing.
double roughness(const Eigen::Ref<const Eigen::VectorXd>& x) {
    std::vector<double> steps;
    double sum = 0.0, ss = 0.0;
    std::size_t n = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        if (!std::isfinite(x(i))) continue;
        sum += x(i);
        ss += x(i) * x(i);
        ++n;
        if (i + 1 < x.size() && std::isfinite(x(i + 1))) steps.push_back(std::abs(x(i + 1) - x(i)));
    }
    if (steps.empty() || n < 2) return std::numeric_limits<double>::quiet_NaN();
    const double mean = sum / static_cast<double>(n);
    const double sd = std::sqrt(std::max(0.0, ss / static_cast<double>(n) - mean * mean));
    auto mid = steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2);
    std::nth_element(steps.begin(), mid, steps.end());
    return sd > 0.0 ? *mid / sd : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

// 4. Readings of one quantity: channels with |r| >= redundant_correlation. One reading
// represents the quantity: the one that explains the target best next to the other relevant
// channels (those the power law took in, else the most relevant), compared on the rows
// where every reading and every context channel has a value, so gaps and noise are judged
// like for like. That is what keeps the pendulum's length L rather than the winch position
// 2450 - 1000*L: both are exact copies up to scale and offset, but only one gives the law
// without an inner constant. Among readings that fit as well (a pure change of unit), the
// smoothest from row to row (less sensor noise), then the one with fewer gaps, then the
// earlier column. Groups are stars around their representative (every member has
// |r| >= redundant_correlation with it), not chains: a channel that follows a follower of
// a quantity is not a reading of it. The others are exact duplicates (1 - |r| <=
// duplicate_tolerance against the representative) or interchangeable readings.
void ChannelScreening::choose_representatives() {
    std::map<std::size_t, std::vector<std::size_t>> components;  // root -> live positions
    link_readings(components);
    target_scale = channel_scale(y);
    representative_of.assign(live.size(), SIZE_MAX);
    unexplained.assign(live.size(), std::numeric_limits<double>::quiet_NaN());
    rough.assign(live.size(), std::numeric_limits<double>::quiet_NaN());
    rows_compared.assign(live.size(), 2.0);
    for (auto& [root, members] : components) {
        std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
            const ChannelScreen& ca = report.channels[live[a]];
            const ChannelScreen& cb = report.channels[live[b]];
            if (ca.gaps != cb.gaps) return ca.gaps < cb.gaps;
            return ca.column < cb.column;
        });
        if (members.size() < 2) {
            representative_of[members.front()] = members.front();
            continue;
        }
        compare_readings(root, members);
        pick_representatives(members);
    }
    name_interchangeable_readings();
    refit_power_law();
}

// The components of the correlated pairs (channels still in the running), the most relevant
// channels first.
void ChannelScreening::link_readings(std::map<std::size_t, std::vector<std::size_t>>& components) {
    connected = UnionFind(live.size());
    for (const auto& p : pairs)
        if (!out_of_running[p.a] && !out_of_running[p.b]) {
            connected.join(p.a, p.b);
            pair_r[{std::min(p.a, p.b), std::max(p.a, p.b)}] = p.r;
        }
    for (std::size_t l : scored) components[connected.find(l)].push_back(l);
    by_relevance = scored;
    std::stable_sort(by_relevance.begin(), by_relevance.end(), [&](std::size_t a, std::size_t b) {
        return report.channels[live[a]].relevance > report.channels[live[b]].relevance;
    });
}

bool ChannelScreening::linked(std::size_t a, std::size_t b) const {
    return pair_r.count({std::min(a, b), std::max(a, b)}) > 0;
}

// Clearly better: n*log(ratio of unexplained variance) > 2 log n; chance differences between
// readings that do not matter, or a pure change of unit, are ties.
bool ChannelScreening::fits_clearly_better(std::size_t a, std::size_t b) const {
    const double n_rows = rows_compared[a];
    return std::isfinite(unexplained[a]) && std::isfinite(unexplained[b]) &&
           n_rows * std::log(unexplained[b] / unexplained[a]) > 2.0 * std::log(n_rows);
}

bool ChannelScreening::clearly_smoother(std::size_t a, std::size_t b) const {
    return std::isfinite(rough[a]) && std::isfinite(rough[b]) && rough[b] > 1.25 * rough[a];
}

// The readings of one component, each fitted next to the context (the channels of the other
// quantities that matter), on the rows where all of them have values; and their roughness.
void ChannelScreening::compare_readings(std::size_t root, const std::vector<std::size_t>& members) {
    for (std::size_t l : members) rough[l] = roughness(table.data.col(static_cast<Eigen::Index>(candidates[live[l]])));

    // The fits, next to the context, on the rows where all of them have values.
    std::vector<std::size_t> context;        // live positions outside the component
    auto add_context = [&](std::size_t l) {  // one reading per quantity, none of this one
        if (context.size() >= 3 || connected.find(l) == root) return;
        for (std::size_t c : context)
            if (connected.find(c) == connected.find(l)) return;
        context.push_back(l);
    };
    for (const PowerLawStep& step : first_pass.steps) add_context(scored[step.column]);
    for (std::size_t l : by_relevance) add_context(l);
    std::vector<Eigen::Index> common;
    for (Eigen::Index i = 0; i < m; ++i) {
        bool ok = true;
        for (std::size_t l : members) ok = ok && std::isfinite(X(i, static_cast<Eigen::Index>(l)));
        for (std::size_t l : context) ok = ok && std::isfinite(X(i, static_cast<Eigen::Index>(l)));
        if (ok) common.push_back(i);
    }
    if (common.size() < 50) return;
    std::vector<std::size_t> columns = members;
    columns.insert(columns.end(), context.begin(), context.end());
    Eigen::MatrixXd U(static_cast<Eigen::Index>(common.size()), static_cast<Eigen::Index>(columns.size()));
    Eigen::VectorXd yc(U.rows());
    std::vector<ChannelScale> cs;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        Eigen::VectorXd x(U.rows());
        for (std::size_t r = 0; r < common.size(); ++r)
            x(static_cast<Eigen::Index>(r)) = X(common[r], static_cast<Eigen::Index>(columns[c]));
        cs.push_back(channel_scale(x));
        U.col(static_cast<Eigen::Index>(c)) = to_scale(cs.back(), x);
    }
    for (std::size_t r = 0; r < common.size(); ++r) yc(static_cast<Eigen::Index>(r)) = y(common[r]);
    // Compared by the pure power law when every reading and the target are one-signed (a
    // rigid model: what it misses is structure, an offset, noise, not chance), else by
    // the response surface.
    std::vector<SubsetFit> reading_fits;
    bool all_power = true;
    for (std::size_t a = 0; a < members.size(); ++a) {
        std::vector<std::size_t> subset{a};
        for (std::size_t c = members.size(); c < columns.size(); ++c) subset.push_back(c);
        reading_fits.push_back(fit_subset(U, cs, yc, target_scale, subset));
        all_power = all_power && reading_fits.back().rows > 0 && std::isfinite(reading_fits.back().power_law_r2);
    }
    for (std::size_t l : members) rows_compared[l] = static_cast<double>(common.size());
    for (std::size_t a = 0; a < members.size(); ++a)
        if (reading_fits[a].rows > 0)  // below 1e-12: exact, a tie
            unexplained[members[a]] =
                std::max(1.0 - (all_power ? reading_fits[a].power_law_r2 : reading_fits[a].r2), 1e-12);
}

// Stars: the best remaining reading, and every remaining one linked to it.
void ChannelScreening::pick_representatives(const std::vector<std::size_t>& members) {
    std::vector<std::size_t> remaining = members;
    while (!remaining.empty()) {
        std::vector<std::size_t> best;  // those no other remaining reading fits clearly better
        for (std::size_t a : remaining) {
            bool beaten = false;
            for (std::size_t b : remaining) beaten = beaten || fits_clearly_better(b, a);
            if (!beaten) best.push_back(a);
        }
        std::size_t rep = best.front();  // the first, in the order above, that no other is clearly smoother than
        for (std::size_t a : best) {
            bool beaten = false;
            for (std::size_t b : best) beaten = beaten || clearly_smoother(b, a);
            if (!beaten) {
                rep = a;
                break;
            }
        }
        std::vector<std::size_t> rest;
        for (std::size_t a : remaining) {
            if (a == rep || linked(a, rep))
                representative_of[a] = rep;
            else
                rest.push_back(a);
        }
        remaining = std::move(rest);
    }
}

// The verdicts and reasons of the readings that do not represent their quantity, and the groups.
void ChannelScreening::name_interchangeable_readings() {
    std::map<std::size_t, ChannelGroup> groups;  // by representative's live position
    for (std::size_t l : scored) {
        const std::size_t rep = representative_of[l];
        if (rep == l) continue;
        ChannelScreen& ch = report.channels[live[l]];
        const ChannelScreen& kept = report.channels[live[rep]];
        ch.same_as = kept.column;
        ch.correlation = pair_r[{std::min(l, rep), std::max(l, rep)}];
        const std::string why = fits_clearly_better(rep, l)
                                    ? std::string("it explains the target better next to the other relevant channels")
                                : clearly_smoother(rep, l)
                                    ? std::string("less noise from row to row: median step ") +
                                          fmt("%.2g", rough[rep]) + " of its spread against " + fmt("%.2g", rough[l])
                                : kept.gaps < ch.gaps  ? std::string("fewer gaps")
                                : kept.gaps == ch.gaps ? std::string("earlier column")
                                                       : std::string("listed first");
        if (std::isfinite(ch.correlation) && 1.0 - std::abs(ch.correlation) <= options.duplicate_tolerance) {
            ch.verdict = ChannelVerdict::Duplicate;
            ch.reason = std::string("duplicate of ") + kept.name +
                        " up to scale and offset (|r| = " + correlation_text(ch.correlation) + "); " + kept.name +
                        " is kept (" + why + ")";
        } else {
            ch.verdict = ChannelVerdict::Interchangeable;
            ch.reason = std::string("reads the same quantity as ") + kept.name +
                        " (|r| = " + correlation_text(ch.correlation) + "); " + kept.name + " represents it (" + why +
                        "); interchangeable";
        }
        groups[rep].representative = kept.column;
        groups[rep].members.push_back(ch.column);
    }
    for (auto& [rep, g] : groups) {
        std::sort(g.members.begin(), g.members.end());
        report.groups.push_back(g);
    }
}

// The power law again, on the kept channels only: with one reading per quantity its gains
// and exponents belong to the representatives (two thermometers would split them).
void ChannelScreening::refit_power_law() {
    for (std::size_t l : scored)
        if (report.channels[live[l]].verdict == ChannelVerdict::Kept) kept_live.push_back(l);
    Eigen::MatrixXd Xk(m, static_cast<Eigen::Index>(kept_live.size()));
    for (std::size_t k = 0; k < kept_live.size(); ++k)
        Xk.col(static_cast<Eigen::Index>(k)) = X.col(static_cast<Eigen::Index>(kept_live[k]));
    power = select_power_law(Xk, y);
    report.power_law_fitted = power.fitted;
    report.power_law_r2 = power.r2;
    if (!power.fitted) report.notes.push_back(std::string("no power-law scores: ") + power.why_not);
    for (std::size_t l : kept_live) {
        ChannelScreen& ch = report.channels[live[l]];
        ch.power_law_gain = power.fitted ? 0.0 : std::numeric_limits<double>::quiet_NaN();
        ch.power_law_unique = ch.exponent = std::numeric_limits<double>::quiet_NaN();
    }
    for (std::size_t k = 0; k < power.steps.size(); ++k) {
        ChannelScreen& ch = report.channels[live[kept_live[power.steps[k].column]]];
        ch.power_law_gain = power.steps[k].r2_gain;
        ch.power_law_unique = power.steps[k].unique_gain;
        if (k < power.exponents.size()) ch.exponent = power.exponents[k];
    }
    for (std::size_t l : kept_live) report.channels[live[l]].relevance = relevance_of(report.channels[live[l]]);
    // A representative ranks as its quantity: the most relevant of its readings.
    for (std::size_t l : scored) {
        const std::size_t rep = representative_of[l];
        ChannelScreen& r = report.channels[live[rep]];
        r.relevance = std::max(r.relevance, report.channels[live[l]].relevance);
    }
}

}  // namespace kepler::screening
