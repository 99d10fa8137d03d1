#include "kepler/screen/screen.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

#include "channel_pairs.hpp"
#include "kepler/screen/relevance.hpp"
#include "kepler/screen/subset_fit.hpp"
#include "kepler/screen/unit_feasibility.hpp"
#include "kepler/structure/surrogate.hpp"

namespace kepler {

const char* to_string(ChannelVerdict verdict) {
    switch (verdict) {
        case ChannelVerdict::Kept:
            return "kept";
        case ChannelVerdict::Constant:
            return "constant";
        case ChannelVerdict::FewReadings:
            return "few readings";
        case ChannelVerdict::Duplicate:
            return "duplicate";
        case ChannelVerdict::Interchangeable:
            return "interchangeable";
        case ChannelVerdict::TargetReading:
            return "reads the target";
        case ChannelVerdict::Timestamp:
            return "timestamp";
    }
    return "?";
}

const ChannelScreen* ScreenReport::channel(std::size_t column) const {
    for (const ChannelScreen& c : channels)
        if (c.column == column) return &c;
    return nullptr;
}

std::vector<std::size_t> ScreenReport::ranking() const {
    std::vector<const ChannelScreen*> kept;
    for (const ChannelScreen& c : channels)
        if (c.verdict == ChannelVerdict::Kept) kept.push_back(&c);
    std::sort(kept.begin(), kept.end(),
              [](const ChannelScreen* a, const ChannelScreen* b) { return a->rank < b->rank; });
    std::vector<std::size_t> out;
    for (const ChannelScreen* c : kept) out.push_back(c->column);
    return out;
}

std::vector<std::size_t> ScreenReport::interchangeable_with(std::size_t column) const {
    for (const ChannelGroup& g : groups) {
        const bool rep = g.representative == column;
        const bool member = std::find(g.members.begin(), g.members.end(), column) != g.members.end();
        if (!rep && !member) continue;
        std::vector<std::size_t> out;
        if (!rep) out.push_back(g.representative);
        for (std::size_t m : g.members)
            if (m != column) out.push_back(m);
        return out;
    }
    return {};
}

namespace {

using Clock = std::chrono::steady_clock;

std::string fmt(const char* format, double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, v);
    return buffer;
}

// "1 - 3e-12" for a correlation that close to one, else "0.9993".
std::string correlation_text(double r) {
    const double a = std::abs(r);
    std::string s = r < 0 ? "-" : "";
    if (1.0 - a < 1e-4) {
        s += "(1 - ";
        s += fmt("%.1g", std::max(1.0 - a, 1e-16));
        s += ")";
    } else {
        s += fmt("%.4f", a);
    }
    return s;
}

struct UnionFind {
    std::vector<std::size_t> parent;
    explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    std::size_t find(std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }
    void join(std::size_t a, std::size_t b) {
        a = find(a);
        b = find(b);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
};

// The rows screening works on: rows with a target value, a seeded random sample of at most
// max_rows of them, in table order.
std::vector<Eigen::Index> sample_rows(const std::vector<Eigen::Index>& rows, std::size_t max_rows, std::uint64_t seed) {
    if (rows.size() <= max_rows) return rows;
    std::vector<Eigen::Index> shuffled = rows;
    std::mt19937_64 rng(seed);
    for (std::size_t i = 0; i < max_rows; ++i) {
        std::uniform_int_distribution<std::size_t> pick(i, shuffled.size() - 1);
        std::swap(shuffled[i], shuffled[pick(rng)]);
    }
    shuffled.resize(max_rows);
    std::sort(shuffled.begin(), shuffled.end());
    return shuffled;
}

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

std::string join_names(const std::vector<std::string>& names, const char* separator = ", ") {
    std::string s;
    for (const auto& n : names) {
        if (!s.empty()) s += separator;
        s += n;
    }
    return s;
}

std::string with_unit(const Table& table, std::size_t column) {
    std::string s = table.names[column];
    if (!table.units[column].empty()) {
        s += " [";
        s += table.units[column];
        s += "]";
    }
    return s;
}

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

// The surrogate's sensitivity shares of the short list: mean |d v / d u_j| over the rows, each
// input standardised, as a share of their sum. Empty (with a note) if it cannot be fitted.
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

ScreenReport screen_channels(const Table& table, std::size_t target, const std::vector<std::size_t>& candidates,
                             const std::optional<TableUnits>& units, const ScreenOptions& options) {
    const Clock::time_point start = Clock::now();
    if (target >= table.columns())
        throw std::invalid_argument(std::string("screening: no target column ") + std::to_string(target));
    if (units && units->columns.size() != table.columns())
        throw std::invalid_argument("screening: one unit per table column is needed");
    for (std::size_t c : candidates) {
        if (c >= table.columns()) throw std::invalid_argument(std::string("screening: no column ") + std::to_string(c));
        if (c == target)
            throw std::invalid_argument(std::string("screening: the target '") + table.names[target] +
                                        "' cannot be a candidate");
    }
    ScreenReport report;
    report.target = table.names[target];
    report.candidates = candidates.size();

    const auto t = static_cast<Eigen::Index>(target);
    std::vector<Eigen::Index> target_rows;
    for (Eigen::Index r = 0; r < table.data.rows(); ++r)
        if (std::isfinite(table.data(r, t))) target_rows.push_back(r);
    report.rows_with_target = target_rows.size();
    if (target_rows.size() < options.min_readings)
        throw std::invalid_argument(std::string("screening: only ") + std::to_string(target_rows.size()) +
                                    " rows have a value of '" + report.target + "'; at least " +
                                    std::to_string(options.min_readings) + " are needed");
    const std::vector<Eigen::Index> rows = sample_rows(target_rows, options.max_rows, options.seed);
    report.rows_scored = rows.size();
    const auto m = static_cast<Eigen::Index>(rows.size());
    Eigen::VectorXd y(m);
    for (Eigen::Index i = 0; i < m; ++i) y(i) = table.data(rows[static_cast<std::size_t>(i)], t);

    // 1. Per channel: readings and gaps over every row with a target value; constant channels.
    report.channels.resize(candidates.size());
    std::vector<std::size_t> live;  // positions into candidates still in the running
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        ChannelScreen& ch = report.channels[k];
        const std::size_t col = candidates[k];
        const auto c = static_cast<Eigen::Index>(col);
        ch.column = col;
        ch.name = table.names[col];
        ch.unit = table.units[col];
        if (table.is_timestamp(col)) {
            ch.verdict = ChannelVerdict::Timestamp;
            ch.reason = "the time of the row, not a physical input (name it with --inputs to use it)";
            continue;
        }
        double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0.0;
        for (Eigen::Index r : target_rows) {
            const double v = table.data(r, c);
            if (!std::isfinite(v)) continue;
            ++ch.readings;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            sum += v;
        }
        ch.gaps = target_rows.size() - ch.readings;
        if (ch.readings < options.min_readings) {
            ch.verdict = ChannelVerdict::FewReadings;
            ch.reason = std::string("only ") + std::to_string(ch.readings) + " readings where " + report.target +
                        " has one (fewer than " + std::to_string(options.min_readings) + ")";
            continue;
        }
        if (lo == hi) {
            ch.verdict = ChannelVerdict::Constant;
            ch.reason = std::string("constant: every reading is ") + fmt("%.6g", lo);
            continue;
        }
        const double mean = sum / static_cast<double>(ch.readings);
        double ss = 0.0;
        for (Eigen::Index r : target_rows) {
            const double v = table.data(r, c);
            if (std::isfinite(v)) ss += (v - mean) * (v - mean);
        }
        const double spread = std::sqrt(ss / static_cast<double>(ch.readings)) / std::abs(mean);
        if (spread <= options.constant_spread) {
            ch.verdict = ChannelVerdict::Constant;
            ch.reason = std::string("constant to noise level: relative spread ") + fmt("%.2g", spread) + " (at most " +
                        fmt("%.2g", options.constant_spread) + ")";
            continue;
        }
        live.push_back(k);
    }

    // The sampled values of the live channels (NaN where missing).
    Eigen::MatrixXd X(m, static_cast<Eigen::Index>(live.size()));
    for (std::size_t l = 0; l < live.size(); ++l) {
        const auto c = static_cast<Eigen::Index>(candidates[live[l]]);
        for (Eigen::Index i = 0; i < m; ++i) {
            const double v = table.data(rows[static_cast<std::size_t>(i)], c);
            X(i, static_cast<Eigen::Index>(l)) = std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN();
        }
    }

    // 2a. Readings of the target itself: a channel of the target's dimension, linear in it.
    std::vector<bool> out_of_running(live.size(), false);
    if (units) {
        const Dimension& td = units->columns[target].dimension;
        for (std::size_t l = 0; l < live.size(); ++l) {
            ChannelScreen& ch = report.channels[live[l]];
            if (!(units->columns[ch.column].dimension == td)) continue;
            const double r = screening::pearson(X.col(static_cast<Eigen::Index>(l)), y);
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
    const std::vector<screening::CorrelatedPair> pairs =
        screening::correlated_pairs(X, options.redundant_correlation, options.min_readings, options.pair_rows);

    // 3. Relevance of every channel still in the running.
    std::vector<std::size_t> scored;  // live positions
    for (std::size_t l = 0; l < live.size(); ++l)
        if (!out_of_running[l]) scored.push_back(l);
    Eigen::MatrixXd Xs(m, static_cast<Eigen::Index>(scored.size()));
    for (std::size_t s = 0; s < scored.size(); ++s)
        Xs.col(static_cast<Eigen::Index>(s)) = X.col(static_cast<Eigen::Index>(scored[s]));
    // First pass of the power law, over every reading: it tells which quantities matter, the
    // context in which the readings of one quantity are compared below.
    const PowerLawSelection first_pass = select_power_law(Xs, y);
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
    // Marginal relevance: what the channel explains as it enters the power law, or on its own.
    auto relevance_of = [](const ChannelScreen& ch) {
        double r = 0.0;
        for (double s : {ch.power_law_gain, ch.dependence})
            if (std::isfinite(s)) r = std::max(r, s);
        return r;
    };
    for (std::size_t l : scored) {
        ChannelScreen& ch = report.channels[live[l]];
        ch.relevance = relevance_of(ch);
    }

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
    std::map<std::pair<std::size_t, std::size_t>, double> pair_r;  // (a, b) with a < b, live positions
    UnionFind connected(live.size());
    for (const auto& p : pairs)
        if (!out_of_running[p.a] && !out_of_running[p.b]) {
            connected.join(p.a, p.b);
            pair_r[{std::min(p.a, p.b), std::max(p.a, p.b)}] = p.r;
        }
    auto linked = [&](std::size_t a, std::size_t b) { return pair_r.count({std::min(a, b), std::max(a, b)}) > 0; };
    std::map<std::size_t, std::vector<std::size_t>> components;  // root -> live positions
    for (std::size_t l : scored) components[connected.find(l)].push_back(l);
    std::vector<std::size_t> by_relevance = scored;  // live positions
    std::stable_sort(by_relevance.begin(), by_relevance.end(), [&](std::size_t a, std::size_t b) {
        return report.channels[live[a]].relevance > report.channels[live[b]].relevance;
    });
    const ChannelScale target_scale = channel_scale(y);
    std::vector<std::size_t> representative_of(live.size(), SIZE_MAX);  // live position -> its representative
    std::vector<double> unexplained(live.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<double> rough(live.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<double> rows_compared(live.size(), 2.0);  // rows the fits of its component used
    // Clearly better: n*log(ratio of unexplained variance) > 2 log n; chance differences between
    // readings that do not matter, or a pure change of unit, are ties.
    auto fits_clearly_better = [&](std::size_t a, std::size_t b) {
        const double n_rows = rows_compared[a];
        return std::isfinite(unexplained[a]) && std::isfinite(unexplained[b]) &&
               n_rows * std::log(unexplained[b] / unexplained[a]) > 2.0 * std::log(n_rows);
    };
    auto clearly_smoother = [&](std::size_t a, std::size_t b) {
        return std::isfinite(rough[a]) && std::isfinite(rough[b]) && rough[b] > 1.25 * rough[a];
    };
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
        for (std::size_t l : members)
            rough[l] = roughness(table.data.col(static_cast<Eigen::Index>(candidates[live[l]])));

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
        if (common.size() >= 50) {
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
            std::vector<SubsetFit> fits;
            bool all_power = true;
            for (std::size_t a = 0; a < members.size(); ++a) {
                std::vector<std::size_t> subset{a};
                for (std::size_t c = members.size(); c < columns.size(); ++c) subset.push_back(c);
                fits.push_back(fit_subset(U, cs, yc, target_scale, subset));
                all_power = all_power && fits.back().rows > 0 && std::isfinite(fits.back().power_law_r2);
            }
            for (std::size_t l : members) rows_compared[l] = static_cast<double>(common.size());
            for (std::size_t a = 0; a < members.size(); ++a)
                if (fits[a].rows > 0)  // below 1e-12: exact, a tie
                    unexplained[members[a]] = std::max(1.0 - (all_power ? fits[a].power_law_r2 : fits[a].r2), 1e-12);
        }
        // Stars: the best remaining reading, and every remaining one linked to it.
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
    // The power law again, on the kept channels only: with one reading per quantity its gains
    // and exponents belong to the representatives (two thermometers would split them).
    std::vector<std::size_t> kept_live;  // live positions
    for (std::size_t l : scored)
        if (report.channels[live[l]].verdict == ChannelVerdict::Kept) kept_live.push_back(l);
    Eigen::MatrixXd Xk(m, static_cast<Eigen::Index>(kept_live.size()));
    for (std::size_t k = 0; k < kept_live.size(); ++k)
        Xk.col(static_cast<Eigen::Index>(k)) = X.col(static_cast<Eigen::Index>(kept_live[k]));
    const PowerLawSelection power = select_power_law(Xk, y);
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

    // 5. Ranking of the kept channels, and the short list: the channels the power law took in
    // first (in their order), then the most relevant others.
    std::vector<std::size_t> kept;  // candidate positions
    for (std::size_t l : scored)
        if (report.channels[live[l]].verdict == ChannelVerdict::Kept) kept.push_back(live[l]);
    auto rank_kept = [&] {
        std::stable_sort(kept.begin(), kept.end(), [&](std::size_t a, std::size_t b) {
            const ChannelScreen& ca = report.channels[a];
            const ChannelScreen& cb = report.channels[b];
            if (ca.short_listed != cb.short_listed) return ca.short_listed;
            return ca.relevance > cb.relevance;
        });
        for (std::size_t r = 0; r < kept.size(); ++r) report.channels[kept[r]].rank = r + 1;
    };
    rank_kept();
    std::vector<std::size_t> short_list;  // candidate positions
    auto add_short = [&](std::size_t k) {
        if (short_list.size() < options.short_list &&
            std::find(short_list.begin(), short_list.end(), k) == short_list.end())
            short_list.push_back(k);
    };
    for (const PowerLawStep& step : power.steps) add_short(live[kept_live[step.column]]);
    for (std::size_t k : kept)
        if (report.channels[k].relevance > 0.0 || short_list.size() < 2) add_short(k);

    // The short list in the response surface's scales.
    auto scaled = [&](std::size_t k) {
        const auto c = static_cast<Eigen::Index>(candidates[k]);
        Eigen::VectorXd x(m);
        for (Eigen::Index i = 0; i < m; ++i) {
            const double v = table.data(rows[static_cast<std::size_t>(i)], c);
            x(i) = std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN();
        }
        return x;
    };

    // 6. Interaction scores: the surrogate on the short list.
    if (options.interaction_scores && short_list.size() >= 2) {
        std::vector<Eigen::Index> complete;
        Eigen::MatrixXd S(m, static_cast<Eigen::Index>(short_list.size()));
        for (std::size_t s = 0; s < short_list.size(); ++s) {
            const Eigen::VectorXd x = scaled(short_list[s]);
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
    // Conditional relevance of the short list: what a channel adds given the others (the power
    // law's drop-one gain, the surrogate's sensitivity share). It replaces the marginal one
    // there, so a channel that merely follows the target (taken in first by the power law, high
    // correlation ratio) falls behind the channels of the law. The short list ranks first.
    const bool conditional = report.interaction_scored || power.fitted;
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

    // 7. Subsets of the pool (the head of the short list), by BIC of the response surface.
    const std::size_t pool_size = std::min(short_list.size(), options.subset_pool);
    std::vector<std::size_t> pool(short_list.begin(), short_list.begin() + static_cast<std::ptrdiff_t>(pool_size));
    // The channels' scaled columns on the subset rows, by candidate position; filled on demand
    // (a substitute reading of another unit is not in the pool).
    const Eigen::Index subset_stride =
        std::max<Eigen::Index>(1, (m + static_cast<Eigen::Index>(options.subset_rows) - 1) /
                                      static_cast<Eigen::Index>(std::max<std::size_t>(options.subset_rows, 1)));
    const Eigen::Index ms = (m + subset_stride - 1) / subset_stride;
    Eigen::VectorXd ys(ms);
    for (Eigen::Index i = 0; i < ms; ++i) ys(i) = y(i * subset_stride);
    std::map<std::size_t, std::size_t> slot;  // candidate position -> column of Us
    Eigen::MatrixXd Us(ms, 0);
    std::vector<ChannelScale> scales;
    auto slot_of = [&](std::size_t k) {
        if (auto it = slot.find(k); it != slot.end()) return it->second;
        const Eigen::VectorXd x = scaled(k);
        Eigen::VectorXd xs(ms);
        for (Eigen::Index i = 0; i < ms; ++i) xs(i) = x(i * subset_stride);
        const ChannelScale s = channel_scale(xs);
        Us.conservativeResize(Eigen::NoChange, Us.cols() + 1);
        Us.col(Us.cols() - 1) = to_scale(s, xs);
        scales.push_back(s);
        slot[k] = static_cast<std::size_t>(Us.cols() - 1);
        return slot[k];
    };
    for (std::size_t k : pool) slot_of(k);

    struct Scored {
        std::vector<std::size_t> members;  // candidate positions
        SubsetFit fit;
    };
    std::vector<Scored> fits;
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

    auto dims_of = [&](const std::vector<std::size_t>& members) {
        std::vector<Dimension> d;
        for (std::size_t k : members) d.push_back(units->columns[candidates[k]].dimension);
        return d;
    };
    auto names_of = [&](const std::vector<std::size_t>& members) {
        std::vector<std::string> n;
        for (std::size_t k : members) n.push_back(report.channels[k].name);
        return n;
    };
    auto position_of = [&](std::size_t column) {
        for (std::size_t k = 0; k < candidates.size(); ++k)
            if (candidates[k] == column) return k;
        return SIZE_MAX;
    };
    auto make_subset = [&](const std::vector<std::size_t>& unordered, const SubsetFit& fit) {
        // In the table's column order (the exponents follow the members).
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
    };

    std::vector<std::vector<std::size_t>> accepted;  // candidate positions, sorted
    std::vector<std::size_t> supersets_taken;        // per accepted subset: how many of its supersets were taken
    struct RuledOut {
        std::vector<std::size_t> sorted;  // candidate positions
        const Scored* scored = nullptr;
        std::string why;
    };
    std::vector<RuledOut> ruled_out;  // by BIC
    auto note_rejected = [&](std::string why) {
        if (report.rejected.size() < 5) report.rejected.push_back(std::move(why));
    };
    for (const Scored& s : fits) {
        if (report.subsets.size() >= options.max_subsets) break;
        std::vector<std::size_t> members = s.members;
        SubsetFit fit = s.fit;
        ChannelSubset proposal;
        std::vector<std::string> substitutions;
        UnitFeasibility feasibility;
        if (units) {
            feasibility = check_unit_feasibility(dims_of(members), units->columns[target].dimension, units->system);
            // A reading of the same quantity in another unit may make it work, or make it work
            // without a constant (0: no constant needed, 1: one constant, 2: impossible).
            auto unit_cost = [](const UnitFeasibility& f) { return !f.feasible ? 2 : f.constants.empty() ? 0 : 1; };
            for (std::size_t a = 0; a < members.size() && unit_cost(feasibility) > 0; ++a) {
                for (std::size_t alt_column : report.interchangeable_with(candidates[members[a]])) {
                    const std::size_t alt = position_of(alt_column);
                    if (alt == SIZE_MAX || report.channels[alt].readings < options.min_readings) continue;
                    if (units->columns[alt_column].dimension == units->columns[candidates[members[a]]].dimension)
                        continue;
                    std::vector<std::size_t> trial = members;
                    trial[a] = alt;
                    UnitFeasibility f =
                        check_unit_feasibility(dims_of(trial), units->columns[target].dimension, units->system);
                    if (unit_cost(f) >= unit_cost(feasibility)) continue;
                    substitutions.push_back(report.channels[alt].name + " for " + report.channels[members[a]].name +
                                            " (interchangeable readings; " + with_unit(table, candidates[members[a]]) +
                                            (feasibility.feasible
                                                 ? std::string(" needs a constant to make the target's unit")
                                                 : std::string(" cannot make the target's unit with the others")) +
                                            ")");
                    std::vector<std::size_t> slots;
                    for (std::size_t k : trial) slots.push_back(slot_of(k));
                    fit = fit_subset(Us, scales, ys, target_scale, slots);
                    members = trial;
                    feasibility = f;
                    break;
                }
            }
            if (!feasibility.feasible) {
                {
                    std::string why;
                    if (!feasibility.target_reachable) {
                        why += std::string(
                                   "no product of these channels, with or without one constant of the unit system, has "
                                   "the unit of ") +
                               report.target;
                    } else if (feasibility.unusable.empty()) {
                        why +=
                            std::string("no single constant lets every one of them into a formula with the unit of ") +
                            report.target;
                    } else {
                        std::vector<std::string> bad;
                        for (std::size_t u : feasibility.unusable)
                            bad.push_back(with_unit(table, candidates[s.members[u]]));
                        why += join_names(bad) + (bad.size() == 1 ? " cannot" : " cannot each") +
                               " enter a formula with the unit of " + report.target + " (its unit cannot cancel)";
                    }
                    RuledOut r;
                    r.sorted = s.members;
                    std::sort(r.sorted.begin(), r.sorted.end());
                    r.scored = &s;
                    r.why = why;
                    note_rejected(join_names(names_of(s.members)) + ": " + why + " (response surface R2 " +
                                  fmt("%.6f", s.fit.r2) + ")");
                    ruled_out.push_back(std::move(r));
                }
                continue;
            }
            proposal.units_checked = true;
            for (const PhysicalConstant* c : feasibility.constants) proposal.constants.push_back(c->symbol);
        }
        std::vector<std::size_t> sorted = members;
        std::sort(sorted.begin(), sorted.end());
        if (std::find(accepted.begin(), accepted.end(), sorted) != accepted.end()) continue;
        // A subset the units allow only because of channels that add nothing to a better-fitting
        // subset the units rule out: those channels are there to make the units, not the law.
        if (units) {
            const RuledOut* covered = nullptr;
            for (const RuledOut& r : ruled_out)
                if (r.scored->fit.bic < fit.bic && r.sorted.size() < sorted.size() &&
                    std::includes(sorted.begin(), sorted.end(), r.sorted.begin(), r.sorted.end())) {
                    covered = &r;
                    break;
                }
            if (covered) {
                std::vector<std::size_t> extra;
                std::set_difference(sorted.begin(), sorted.end(), covered->sorted.begin(), covered->sorted.end(),
                                    std::back_inserter(extra));
                note_rejected(join_names(names_of(members)) + ": " + join_names(names_of(extra)) +
                              (extra.size() == 1 ? " adds" : " add") + " nothing to " +
                              join_names(names_of(covered->scored->members)) + " (BIC +" +
                              fmt("%.1f", fit.bic - covered->scored->fit.bic) + ") but a way to make the unit of " +
                              report.target);
                continue;
            }
        }
        // Variety: at most one superset of each subset already proposed (an extra channel is
        // worth one try, not four).
        bool crowded = false;
        for (std::size_t a = 0; a < accepted.size(); ++a) {
            if (!std::includes(sorted.begin(), sorted.end(), accepted[a].begin(), accepted[a].end())) continue;
            if (supersets_taken[a] >= 1) crowded = true;
        }
        if (crowded) continue;
        for (std::size_t a = 0; a < accepted.size(); ++a)
            if (std::includes(sorted.begin(), sorted.end(), accepted[a].begin(), accepted[a].end()))
                ++supersets_taken[a];
        accepted.push_back(sorted);
        supersets_taken.push_back(0);

        ChannelSubset out = make_subset(members, fit);
        out.units_checked = proposal.units_checked;
        out.constants = proposal.constants;
        out.substitutions = substitutions;
        report.subsets.push_back(std::move(out));
    }
    if (units && report.subsets.empty()) {
        report.notes.push_back(std::string("no subset of the short list can make the unit of ") + report.target +
                               " with or without one constant; the subsets below ignore the units");
        for (const RuledOut& r : ruled_out) {
            if (report.subsets.size() >= options.max_subsets) break;
            ChannelSubset out = make_subset(r.scored->members, r.scored->fit);
            out.units_checked = true;
            out.units_ok = false;
            out.units_problem = r.why;
            report.subsets.push_back(std::move(out));
        }
    } else if (units && !ruled_out.empty()) {
        // The data may still prefer a subset the units rule out: a law with a material constant
        // of its own (a resistance, a temperature coefficient) needs a dimensional constant the
        // unit system's table lacks. When they prefer it strongly (BIC lower by more than 10)
        // over everything the units allow, it is proposed too, flagged; discover() then fits an
        // unknown dimensional constant.
        double best_allowed = std::numeric_limits<double>::infinity();
        for (const ChannelSubset& sub : report.subsets) best_allowed = std::min(best_allowed, sub.bic);
        const RuledOut& r = ruled_out.front();
        if (r.scored->fit.bic < best_allowed - 10.0) {
            ChannelSubset out = make_subset(r.scored->members, r.scored->fit);
            out.units_checked = true;
            out.units_ok = false;
            out.units_problem =
                r.why + "; the data prefer these channels by BIC " + fmt("%.1f", best_allowed - r.scored->fit.bic) +
                " over every subset the units allow, so the law may hold a dimensional constant the table lacks";
            report.subsets.push_back(std::move(out));
            if (report.subsets.size() > options.max_subsets) report.subsets.erase(report.subsets.end() - 2);
        }
    }
    // Most likely first: by BIC (after substitutions), fewer channels on a tie.
    std::stable_sort(report.subsets.begin(), report.subsets.end(), [](const ChannelSubset& a, const ChannelSubset& b) {
        if (a.bic != b.bic) return a.bic < b.bic;
        return a.columns.size() < b.columns.size();
    });

    // Reasons of the subsets and of the kept channels.
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
    if (!report.interaction_scored && options.interaction_scores && short_list.size() < 2)
        report.notes.push_back("no interaction scores: the short list has fewer than two channels");
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return report;
}

}  // namespace kepler
