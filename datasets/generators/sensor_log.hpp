// Wide sensor logs of simulated test rigs: a few channels obey a hidden physical law, and
// around them are the channels a real rig also logs (pressures and temperatures elsewhere,
// vibration, humidity, currents, a backup thermometer, a heater that follows the temperature,
// a redundant reading of a law input, a constant channel, an exact duplicate), with slow
// drift, noise and empty cells. They are the example data of issue #7 (screening of wide logs)
// and of the figures of fit time against channels and rows.
//
// Every channel has its own random stream (named by the seed and the channel), so the same
// seed gives the same log byte for byte, and a log with more channels holds the columns of a
// log with fewer, unchanged: only padding distractors are added. The CSV has a first column
// `time` (ISO 8601 UTC, milliseconds) and then `name [unit]` columns; a gap is an empty cell.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "kepler/core/table.hpp"

namespace kepler::datasets {

struct SensorLogSpec {
    std::size_t rows = 2000;
    std::size_t channels = 0;  // channels besides time; 0 = the rig's default
    double sample_period_seconds = 5.0;
    std::uint64_t seed = 1;
    double noise = 0.01;                         // target noise sd, a fraction of RMS(target)
    double gaps = 0.02;                          // fraction of empty cells, in every channel
    std::int64_t start_unix_ms = 1795420800000;  // 2026-11-23T08:00:00.000Z
};

// One channel repeats another: channel = scale * source + offset, up to noise of standard
// deviation `tolerance` in the channel's units (0 for an exact duplicate: equal up to rounding).
struct ChannelRelation {
    std::string channel;
    std::string source;
    double scale = 1.0;
    double offset = 0.0;
    double tolerance = 0.0;
    std::string kind;  // "redundant reading", "backup sensor" or "exact duplicate"
};

struct SensorLog {
    std::string rig;
    std::vector<std::int64_t> unix_ms;  // the time of each row
    Table table;                        // the channels; NaN marks an empty cell

    // The ground truth.
    std::string target;                            // the channel the law gives
    std::vector<std::string> law_inputs;           // the channels it uses
    std::string law;                               // infix formula in the column names and the log's units
    std::vector<ChannelRelation> relations;        // redundant readings, backups, duplicates
    std::vector<std::string> constant_channels;    // one value throughout
    std::vector<std::string> correlated_channels;  // designed to follow a law channel (not a copy)
};

struct RigInfo {
    std::string name;
    std::string summary;
    std::size_t default_channels = 0;
    std::size_t min_channels = 0;  // the law's channels
};

// The rigs `generate_sensor_log` knows: gas-piston, heated-wire, pendulum.
const std::vector<RigInfo>& sensor_log_rigs();

// Throws std::invalid_argument for an unknown rig or a spec out of range (no rows, fewer
// channels than the law needs, negative noise, gaps outside [0, 0.5], non-positive period).
SensorLog generate_sensor_log(std::string_view rig, const SensorLogSpec& spec);

// 2026-11-23T08:00:00.000Z
std::string iso8601_utc(std::int64_t unix_ms);

// The log as CSV: `time,P [kPa],...` (without the time column when with_time is false), gaps
// as empty cells, numbers as the shortest text that reads back exactly. Written row by row,
// so a gigabyte log needs no second copy in memory.
void write_csv(std::ostream& out, const SensorLog& log, bool with_time = true);
std::string to_csv(const SensorLog& log, bool with_time = true);

}  // namespace kepler::datasets
