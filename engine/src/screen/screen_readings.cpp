// Screening, before the steps and step 1: the arguments, the rows, the readings of each channel.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>

#include "screen_steps.hpp"
#include "screen_text.hpp"

namespace kepler::screening {

namespace {

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

}  // namespace

ChannelScreening::ChannelScreening(const Table& table_, std::size_t target_,
                                   const std::vector<std::size_t>& candidates_, const std::optional<TableUnits>& units_,
                                   const ScreenOptions& options_)
    : table(table_), target(target_), candidates(candidates_), units(units_), options(options_) {
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
    report.target = table.names[target];
    report.candidates = candidates.size();

    t = static_cast<Eigen::Index>(target);
    for (Eigen::Index r = 0; r < table.data.rows(); ++r)
        if (std::isfinite(table.data(r, t))) target_rows.push_back(r);
    report.rows_with_target = target_rows.size();
    if (target_rows.size() < options.min_readings)
        throw std::invalid_argument(std::string("screening: only ") + std::to_string(target_rows.size()) +
                                    " rows have a value of '" + report.target + "'; at least " +
                                    std::to_string(options.min_readings) + " are needed");
    rows = sample_rows(target_rows, options.max_rows, options.seed);
    report.rows_scored = rows.size();
    m = static_cast<Eigen::Index>(rows.size());
    y.resize(m);
    for (Eigen::Index i = 0; i < m; ++i) y(i) = table.data(rows[static_cast<std::size_t>(i)], t);
}

// 1. Per channel: readings and gaps over every row with a target value; constant channels.
void ChannelScreening::count_readings() {
    report.channels.resize(candidates.size());
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
    sample_live_channels();
}

// The sampled values of the live channels (NaN where missing).
void ChannelScreening::sample_live_channels() {
    X.resize(m, static_cast<Eigen::Index>(live.size()));
    for (std::size_t l = 0; l < live.size(); ++l) {
        const auto c = static_cast<Eigen::Index>(candidates[live[l]]);
        for (Eigen::Index i = 0; i < m; ++i) {
            const double v = table.data(rows[static_cast<std::size_t>(i)], c);
            X(i, static_cast<Eigen::Index>(l)) = std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN();
        }
    }
}

}  // namespace kepler::screening
