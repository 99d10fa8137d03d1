#include "sensor_log.hpp"

#include <tbb/parallel_for.h>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "sensor_log_rigs.hpp"
#include "sensor_log_signals.hpp"

namespace kepler::datasets {

namespace {

using signals::RandomStream;
using signals::Series;

using RigBuilder = rigs::RigRecipe (*)(const rigs::RigContext&);

struct RigEntry {
    RigInfo info;
    RigBuilder build;
};

const std::vector<RigEntry>& rig_entries() {
    static const std::vector<RigEntry> entries = {
        {{"gas-piston", "ideal gas in a cylinder: P = n*R*T/V (n = 0.05 mol)", 120, 3}, rigs::gas_piston},
        {{"heated-wire", "wire resistance: U = I*R0*(1 + alpha*(T_wire - T0))", 100, 3}, rigs::heated_wire},
        {{"pendulum", "period = 2*pi*sqrt(L/g), g = 9.81 m/s^2", 100, 2}, rigs::pendulum},
    };
    return entries;
}

// Padding distractors: families of generic rig channels, each with a plausible level, drift
// and noise. Some follow one of the rig's hidden quantities (lagged, scaled, with drift of
// their own), some have spikes or set-point steps, so that screening has real work to do.
struct PadFamily {
    const char* prefix;
    const char* unit;
    double low, high;  // range of the channel's level
    double drift_sd;
    double noise_sd;
    int decimals;
};

constexpr PadFamily kPadFamilies[] = {
    {"T_aux", "K", 285.0, 330.0, 0.8, 0.05, 2},      {"p_aux", "kPa", 95.0, 700.0, 5.0, 0.3, 2},
    {"I_aux", "A", 0.1, 8.0, 0.15, 0.01, 3},         {"U_aux", "V", 3.0, 48.0, 0.2, 0.01, 3},
    {"acc_aux", "m/s^2", 0.02, 0.5, 0.02, 0.005, 4}, {"pos_aux", "mm", 0.0, 200.0, 2.0, 0.02, 2},
    {"RH_aux", "1", 0.2, 0.7, 0.04, 0.003, 3},       {"flow_aux", "L/min", 0.5, 20.0, 0.4, 0.05, 3},
    {"f_aux", "Hz", 5.0, 60.0, 0.5, 0.05, 2},        {"P_aux", "W", 5.0, 500.0, 8.0, 0.5, 1},
};
constexpr std::size_t kPadFamilyCount = sizeof kPadFamilies / sizeof kPadFamilies[0];

std::string pad_name(std::size_t index) {
    const PadFamily& family = kPadFamilies[index % kPadFamilyCount];
    char number[32];
    std::snprintf(number, sizeof number, "_%03zu", index / kPadFamilyCount + 1);
    std::string name = family.prefix;
    name += number;
    return name;
}

Series standardised(const Series& x) {
    const double mean = x.mean();
    const double sd = std::sqrt((x.array() - mean).square().mean());
    return sd > 0.0 ? Series((x.array() - mean) / sd) : Series(Series::Zero(x.size()));
}

rigs::ChannelRecipe pad_channel(std::size_t index, const rigs::RigContext& context,
                                const std::vector<Series>& hidden_states) {
    const PadFamily& family = kPadFamilies[index % kPadFamilyCount];
    rigs::ChannelRecipe recipe;
    recipe.name = pad_name(index);
    recipe.unit = family.unit;
    recipe.decimals = family.decimals;
    recipe.values = [family, name = recipe.name, context, &hidden_states] {
        RandomStream r = context.stream("channel:" + name);
        const auto rows = context.rows;
        const double dt = context.dt;
        const double level = r.uniform(family.low, family.high);
        const double drift_sd = family.drift_sd * r.uniform(0.5, 2.0);
        const double tau = r.uniform(20.0 * 60.0, 6.0 * 3600.0);
        const double daily = r.uniform(0.0, drift_sd);
        const double phase = r.uniform(0.0, 6.283185307179586);
        const double noise_sd = family.noise_sd * r.uniform(0.5, 2.0);
        Series x = Series::Constant(context.t().size(), level) + signals::drift(r, rows, dt, tau, drift_sd) +
                   signals::cycle(context.t(), daily, 86400.0, phase) + signals::white_noise(r, rows, noise_sd);
        const double kind = r.uniform();
        if (kind < 0.15 && !hidden_states.empty()) {
            // Follows a hidden quantity of the rig, loosely.
            const Series& state = hidden_states[r.below(hidden_states.size())];
            const double gain = (r.uniform() < 0.5 ? -1.0 : 1.0) * r.uniform(1.0, 4.0) * drift_sd;
            x += gain * signals::lag(standardised(state), dt, r.uniform(60.0, 1800.0));
        } else if (kind < 0.25) {
            x += signals::spikes(r, rows, 0.002, 10.0 * family.noise_sd + drift_sd);
        } else if (kind < 0.35) {
            x += signals::schedule(r, context.t(), 10.0 * 60.0, 60.0 * 60.0, -2.0 * drift_sd, 2.0 * drift_sd);
        }
        return x;
    };
    return recipe;
}

// Gaps: half of them single empty cells, half drop-outs of 3 to 40 rows, so that the fraction
// of empty cells is about `fraction` (a little less where the two overlap).
void punch_gaps(Series& x, RandomStream& r, double fraction) {
    if (fraction <= 0.0) return;
    constexpr double kMeanBurst = 21.5;
    const double single = fraction / 2.0;
    const double burst_start = fraction / 2.0 / kMeanBurst;
    const Eigen::Index n = x.size();
    for (Eigen::Index i = 0; i < n; ++i) {
        if (r.uniform() < burst_start) {
            const auto length = static_cast<Eigen::Index>(3 + r.below(38));
            for (Eigen::Index k = i; k < std::min(n, i + length); ++k) x(k) = std::nan("");
        }
        if (r.uniform() < single) x(i) = std::nan("");
    }
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

void validate(const SensorLogSpec& spec, const RigInfo& info) {
    if (spec.rows == 0) throw std::invalid_argument("a sensor log needs at least one row");
    if (spec.channels != 0 && spec.channels < info.min_channels)
        throw std::invalid_argument("rig '" + info.name + "' needs at least " + std::to_string(info.min_channels) +
                                    " channels (its law's), got " + std::to_string(spec.channels));
    if (!(spec.noise >= 0.0) || !std::isfinite(spec.noise))
        throw std::invalid_argument("noise must be a finite fraction >= 0");
    if (!(spec.gaps >= 0.0 && spec.gaps <= 0.5)) throw std::invalid_argument("gaps must be a fraction in [0, 0.5]");
    if (!(spec.sample_period_seconds > 0.0) || !std::isfinite(spec.sample_period_seconds))
        throw std::invalid_argument("sample period must be a positive number of seconds");
    // The timestamps are whole milliseconds in 64 bits and are written as dates: the log must
    // end within a few centuries of its start.
    constexpr double kMaxSpanSeconds = 1e10;
    if (static_cast<double>(spec.rows - 1) * spec.sample_period_seconds > kMaxSpanSeconds) {
        char period[32];
        std::snprintf(period, sizeof period, "%g", spec.sample_period_seconds);
        throw std::invalid_argument("expected a log spanning at most 1e10 seconds (about 317 years), found " +
                                    std::to_string(spec.rows) + " rows every " + period +
                                    " s; use a shorter period or fewer rows");
    }
}

}  // namespace

const std::vector<RigInfo>& sensor_log_rigs() {
    static const std::vector<RigInfo> infos = [] {
        std::vector<RigInfo> out;
        for (const auto& entry : rig_entries()) out.push_back(entry.info);
        return out;
    }();
    return infos;
}

SensorLog generate_sensor_log(std::string_view rig_name, const SensorLogSpec& spec) {
    const auto& entries = rig_entries();
    auto entry =
        std::find_if(entries.begin(), entries.end(), [&](const RigEntry& e) { return e.info.name == rig_name; });
    if (entry == entries.end()) {
        std::string message = "unknown rig '";
        message += rig_name;
        message += "'; expected one of:";
        for (const auto& e : entries) {
            message += &e == &entries.front() ? " " : ", ";
            message += e.info.name;
        }
        throw std::invalid_argument(message);
    }
    validate(spec, entry->info);

    rigs::RigContext context;
    context.seed = spec.seed;
    context.rig = entry->info.name;
    context.rows = spec.rows;
    context.dt = spec.sample_period_seconds;
    context.noise = spec.noise;
    context.times = std::make_shared<const Series>(signals::sample_times(spec.rows, spec.sample_period_seconds));
    rigs::RigRecipe rig = entry->build(context);

    // Which channels: all the rig's at its default count; fewer keeps the law's channels and
    // the first of the others; more adds padding distractors.
    const std::size_t wanted = spec.channels == 0 ? entry->info.default_channels : spec.channels;
    std::size_t in_law = 0;
    for (const auto& ch : rig.channels) in_law += ch.in_law ? 1 : 0;
    std::vector<const rigs::ChannelRecipe*> chosen;
    std::size_t others_left = wanted > in_law ? wanted - in_law : 0;
    for (const auto& ch : rig.channels) {
        if (ch.in_law) {
            chosen.push_back(&ch);
        } else if (others_left > 0) {
            chosen.push_back(&ch);
            --others_left;
        }
    }
    std::vector<rigs::ChannelRecipe> pads;
    for (std::size_t i = 0; i < others_left; ++i) pads.push_back(pad_channel(i, context, rig.hidden_states));
    for (const auto& pad : pads) chosen.push_back(&pad);

    SensorLog log;
    log.rig = entry->info.name;
    log.unix_ms.resize(spec.rows);
    for (std::size_t r = 0; r < spec.rows; ++r)
        log.unix_ms[r] =
            spec.start_unix_ms + std::llround(static_cast<double>(r) * spec.sample_period_seconds * 1000.0);
    log.table.data.resize(static_cast<Eigen::Index>(spec.rows), static_cast<Eigen::Index>(chosen.size()));
    for (const auto* ch : chosen) {
        log.table.names.push_back(ch->name);
        log.table.units.push_back(ch->unit);
    }
    // Channels in parallel: each draws only from its own streams and reads the rig's shared
    // state, so the log is the same for any thread count.
    tbb::parallel_for(std::size_t{0}, chosen.size(), [&](std::size_t j) {
        const rigs::ChannelRecipe& ch = *chosen[j];
        Series x = ch.values();
        if (ch.name == rig.target && spec.noise > 0.0) {
            RandomStream r = context.stream("noise:" + ch.name);
            const double rms = std::sqrt(x.squaredNorm() / static_cast<double>(x.size()));
            x += signals::white_noise(r, spec.rows, spec.noise * rms);
        }
        x = signals::to_resolution(x, ch.decimals);
        RandomStream gaps = context.stream("gaps:" + ch.name);
        punch_gaps(x, gaps, spec.gaps);
        log.table.data.col(static_cast<Eigen::Index>(j)) = x;
    });

    const auto& names = log.table.names;
    log.target = rig.target;
    log.law_inputs = rig.law_inputs;
    log.law = rig.law;
    for (const auto& relation : rig.relations)
        if (contains(names, relation.channel) && contains(names, relation.source)) log.relations.push_back(relation);
    for (const auto& name : rig.constants)
        if (contains(names, name)) log.constant_channels.push_back(name);
    for (const auto& name : rig.correlated)
        if (contains(names, name)) log.correlated_channels.push_back(name);
    return log;
}

std::string iso8601_utc(std::int64_t unix_ms) {
    using namespace std::chrono;
    const sys_time<milliseconds> time{milliseconds{unix_ms}};
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const auto ms_of_day = (time - day).count();
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<long long>(ms_of_day / 3600000), static_cast<long long>(ms_of_day / 60000 % 60),
                  static_cast<long long>(ms_of_day / 1000 % 60), static_cast<long long>(ms_of_day % 1000));
    return text;
}

void write_csv(std::ostream& out, const SensorLog& log, bool with_time) {
    const Table& table = log.table;
    std::string line;
    if (with_time) line += "time";
    for (std::size_t j = 0; j < table.columns(); ++j) {
        if (with_time || j > 0) line += ',';
        line += table.names[j];
        if (!table.units[j].empty()) {
            line += " [";
            line += table.units[j];
            line += ']';
        }
    }
    line += '\n';
    out << line;
    // Rows are formatted into one buffer and written in blocks: a gigabyte log is written at
    // disk speed, without a second copy of it in memory.
    std::string block;
    char number[32];
    for (Eigen::Index r = 0; r < table.data.rows(); ++r) {
        if (with_time) block += iso8601_utc(log.unix_ms[static_cast<std::size_t>(r)]);
        for (Eigen::Index j = 0; j < table.data.cols(); ++j) {
            if (with_time || j > 0) block += ',';
            const double v = table.data(r, j);
            if (std::isnan(v)) continue;  // a gap: an empty cell
            auto [end, ec] = std::to_chars(number, number + sizeof number, v);
            block.append(number, ec == std::errc() ? end : number);
        }
        block += '\n';
        if (block.size() > (1u << 20)) {
            out.write(block.data(), static_cast<std::streamsize>(block.size()));
            block.clear();
        }
    }
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
}

std::string to_csv(const SensorLog& log, bool with_time) {
    std::ostringstream out;
    write_csv(out, log, with_time);
    return std::move(out).str();
}

}  // namespace kepler::datasets
