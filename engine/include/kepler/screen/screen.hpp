// Screening of wide logs: a rig logs hundreds of channels and the law uses a few of them.
// screen_channels() finds the few before any search starts:
//
//  1. drops channels that cannot matter: constant ones (or varying by less than a part per
//     million), ones with too few readings, and exact duplicates of another channel up to scale
//     and offset (the one with fewer gaps, else the earlier column, is kept);
//  2. groups redundant readings of one quantity (two thermometers side by side, a volume and
//     the piston position it is computed from: |r| >= redundant_correlation); the most relevant
//     one represents the group, the others are reported as interchangeable with it; a channel
//     of the target's own unit that reads the target (its backup) is set aside as circular;
//  3. ranks the rest by relevance to the target: a stepwise power-law fit in log space (what a
//     channel adds to those already in), the correlation ratio (any smooth dependence, also
//     non-monotone), and on a short list the sensitivity of a smooth surrogate model of the
//     target (the Gaussian process of structure/surrogate.hpp), which credits interactions;
//  4. proposes a few small subsets (1 to 4 channels) of the short list, ordered by the BIC of a
//     cubic response surface with pairwise products (in log space for one-signed quantities),
//     each one able to make the target's dimension with or without one constant of the unit
//     system (unit_feasibility.hpp); a subset the units rule out may be rescued by an
//     interchangeable reading of another unit.
//
// Everything in the report says why. Rows with no target value are ignored; a channel's gaps
// only cost that channel its rows (pairwise complete rows).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/units/table_units.hpp"

namespace kepler {

struct ScreenOptions {
    std::size_t max_rows = 5000;     // rows (with a target value) the scores use; a seeded random sample beyond
    std::size_t pair_rows = 2000;    // rows the all-pairs correlation (duplicates, redundancy) uses
    std::size_t subset_rows = 2000;  // rows each subset's response surface is fitted on
    std::uint64_t seed = 1;
    std::size_t min_readings = 30;        // a channel with fewer readings (where the target has one) is dropped
    double constant_spread = 1e-6;        // std/|mean| at or below: constant to noise level
    double duplicate_tolerance = 1e-6;    // 1 - |r| at or below: a duplicate (same reading up to scale and offset)
    double redundant_correlation = 0.98;  // |r| at or above: redundant readings of one quantity
    std::size_t short_list = 12;          // channels scored by the surrogate and combined into subsets
    std::size_t subset_pool = 10;         // the first this many of the short list form the subsets
    std::size_t max_subset_size = 4;
    std::size_t max_subsets = 5;
    bool interaction_scores = true;  // fit the surrogate on the short list
    double low_relevance = 0.01;     // below this relevance a channel is reported as of low relevance
};

enum class ChannelVerdict {
    Kept,             // ranked (see rank)
    Constant,         // no variation, or below constant_spread
    FewReadings,      // fewer than min_readings values where the target has one
    Duplicate,        // same reading as same_as up to scale and offset
    Interchangeable,  // redundant reading of the quantity same_as represents
    TargetReading,    // another reading of the target itself (same unit, |r| >= redundant_correlation)
    Timestamp,        // the table's time column: not a physical input unless named with --inputs
};

const char* to_string(ChannelVerdict verdict);

struct ChannelScreen {
    std::size_t column = 0;  // table column
    std::string name;
    std::string unit;  // the table's unit text
    ChannelVerdict verdict = ChannelVerdict::Kept;
    std::string reason;                  // why, in words
    std::size_t readings = 0;            // finite values where the target is finite (all rows)
    std::size_t gaps = 0;                // missing values where the target is finite (all rows)
    std::optional<std::size_t> same_as;  // Duplicate / Interchangeable: the column kept for the quantity
    double correlation = std::numeric_limits<double>::quiet_NaN();  // with same_as, or with the target (TargetReading)
    // Scores, NaN where not computed. All in [0, 1].
    double power_law_gain =
        std::numeric_limits<double>::quiet_NaN();  // R^2 of log|y| gained at entry (0: not taken in)
    double power_law_unique = std::numeric_limits<double>::quiet_NaN();  // R^2 the final power law loses without it
    double exponent = std::numeric_limits<double>::quiet_NaN();          // its exponent in that fit, when taken in
    double dependence = std::numeric_limits<double>::quiet_NaN();        // correlation ratio
    double interaction = std::numeric_limits<double>::quiet_NaN();  // share of the surrogate's sensitivity (short list)
    // Short-listed channels: conditional relevance, what the channel adds given the others (the
    // larger of power_law_unique and interaction). Others: marginal relevance, the larger of
    // power_law_gain and dependence. A redundant reading's representative counts the best of
    // its group's marginal scores.
    double relevance = 0.0;
    bool short_listed = false;
    std::size_t rank = 0;  // 1 = first of the kept channels (the short list first); 0 for those not kept
};

struct ChannelSubset {
    std::vector<std::size_t> columns;  // table columns, in the table's order
    std::vector<std::string> names;
    double r2 = 0.0;    // of the response surface (in its scale: log|y| or y)
    double rmse = 0.0;  // of the response surface's predictions, in the target's units
    double bic = 0.0;
    double delta_bic = 0.0;  // against the first subset (0 for it)
    std::size_t rows = 0;
    double power_law_r2 = std::numeric_limits<double>::quiet_NaN();  // log-linear fit, when everything is one-signed
    std::vector<double> exponents;                                   // its exponents, one per column
    bool units_checked = false;                                      // false: the table has no units
    // false: the units rule it out (units_problem says why), proposed because nothing the units
    // allow fits nearly as well (BIC lower by more than 10), or nothing the units allow at all
    bool units_ok = true;
    std::string units_problem;
    std::vector<std::string> constants;      // constants of the unit system that complete the dimension (symbols)
    std::vector<std::string> substitutions;  // "x7 for x7b (interchangeable; x7b [K] cannot enter)"
    std::string reason;
};

// Channels that read one quantity: the representative and the others, interchangeable with it.
struct ChannelGroup {
    std::size_t representative = 0;
    std::vector<std::size_t> members;  // duplicates and interchangeable readings, table columns
};

struct ScreenReport {
    std::string target;
    std::size_t candidates = 0;  // channels screened
    std::size_t rows_with_target = 0;
    std::size_t rows_scored = 0;          // after sampling
    std::vector<ChannelScreen> channels;  // one per candidate, in the candidates' order
    std::vector<ChannelGroup> groups;
    std::vector<std::size_t> short_list;  // table columns
    std::vector<ChannelSubset> subsets;   // most likely first
    std::vector<std::string> rejected;    // subsets of the pool the units ruled out, with why (the first few)
    bool power_law_fitted = false;
    double power_law_r2 = 0.0;  // of the stepwise fit over all kept channels
    bool interaction_scored = false;
    double surrogate_error = std::numeric_limits<double>::quiet_NaN();  // relative validation error on the short list
    std::vector<std::string> notes;
    double seconds = 0.0;

    const ChannelScreen* channel(std::size_t column) const;
    // Kept channels, most relevant first.
    std::vector<std::size_t> ranking() const;
    // The other readings of the quantity `column` measures (empty if none).
    std::vector<std::size_t> interchangeable_with(std::size_t column) const;
};

// Throws std::invalid_argument for a bad column index, the target among the candidates, or
// fewer than min_readings rows with a target value. `units`, when given, holds one entry per
// table column.
ScreenReport screen_channels(const Table& table, std::size_t target, const std::vector<std::size_t>& candidates,
                             const std::optional<TableUnits>& units, const ScreenOptions& options = {});

}  // namespace kepler
