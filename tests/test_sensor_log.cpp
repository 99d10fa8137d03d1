// The sensor-log generator (datasets/generators/sensor_log.hpp) and `kepler gen rig`: the
// hidden law holds to the noise level, the designed redundant channels are related as
// documented, the other channels are not copies of the law's, the requested channel count and
// gap fraction are honoured, the same seed gives the same bytes, and the checked-in logs are
// what the documented command writes. (Whether `kepler fit` finds the law is tested elsewhere.)
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <set>
#include <sstream>

#include "cli_runner.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/grammar/csv_reader.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "sensor_log.hpp"

using kepler::datasets::generate_sensor_log;
using kepler::datasets::SensorLog;
using kepler::datasets::SensorLogSpec;
using kepler::testing::run_kepler;

namespace {

Eigen::VectorXd column(const SensorLog& log, const std::string& name) {
    auto j = log.table.column_index(name);
    EXPECT_TRUE(j.has_value()) << "no column " << name;
    return j ? Eigen::VectorXd(log.table.data.col(static_cast<Eigen::Index>(*j))) : Eigen::VectorXd();
}

// The law written out by hand from the rigs' documentation (datasets/sensor-logs/README.md).
Eigen::VectorXd documented_law(const SensorLog& log) {
    if (log.rig == "gas-piston")
        return (0.05 * 8.314462618 * column(log, "T").array() / column(log, "V").array()).matrix();
    if (log.rig == "heated-wire")
        return (column(log, "I").array() * 2.5 * (1.0 + 0.00385 * (column(log, "T_wire").array() - 293.15))).matrix();
    return (2.0 * std::numbers::pi * (column(log, "L").array() / 9.81).sqrt()).matrix();
}

struct Residual {
    double rms_residual = 0.0;
    double rms_target = 0.0;
    std::size_t rows = 0;
};

// Residual of the target against `predicted` on the rows where both are present.
Residual residual(const Eigen::VectorXd& target, const Eigen::VectorXd& predicted) {
    Residual r;
    for (Eigen::Index i = 0; i < target.size(); ++i) {
        if (std::isnan(target(i)) || std::isnan(predicted(i))) continue;
        r.rms_residual += (target(i) - predicted(i)) * (target(i) - predicted(i));
        r.rms_target += target(i) * target(i);
        ++r.rows;
    }
    r.rms_residual = std::sqrt(r.rms_residual / static_cast<double>(r.rows));
    r.rms_target = std::sqrt(r.rms_target / static_cast<double>(r.rows));
    return r;
}

double correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    double n = 0;
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        if (std::isnan(a(i)) || std::isnan(b(i))) continue;
        sa += a(i), sb += b(i), saa += a(i) * a(i), sbb += b(i) * b(i), sab += a(i) * b(i), n += 1;
    }
    const double cov = sab / n - sa / n * sb / n;
    const double va = saa / n - sa / n * sa / n, vb = sbb / n - sb / n * sb / n;
    return va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0.0;
}

bool same_column(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    if (a.size() != b.size()) return false;
    for (Eigen::Index i = 0; i < a.size(); ++i)
        if (!(a(i) == b(i) || (std::isnan(a(i)) && std::isnan(b(i))))) return false;
    return true;
}

const std::vector<std::string> kRigs = {"gas-piston", "heated-wire", "pendulum"};

}  // namespace

TEST(SensorLog, SameSeedGivesTheSameBytes) {
    SensorLogSpec spec;
    spec.rows = 300;
    const std::string a = kepler::datasets::to_csv(generate_sensor_log("gas-piston", spec));
    EXPECT_EQ(kepler::datasets::to_csv(generate_sensor_log("gas-piston", spec)), a);
    spec.seed = 2;
    EXPECT_NE(kepler::datasets::to_csv(generate_sensor_log("gas-piston", spec)), a);
}

TEST(SensorLog, HiddenLawHoldsToTheNoiseLevel) {
    for (const std::string& rig : kRigs) {
        SCOPED_TRACE(rig);
        SensorLogSpec spec;  // 2,000 rows, 1 % noise, 2 % gaps
        const SensorLog noisy = generate_sensor_log(rig, spec);
        const Residual r = residual(column(noisy, noisy.target), documented_law(noisy));
        EXPECT_GT(r.rows, 1800u);  // most rows carry the target and the law's inputs
        // sd of the noise is 0.01 x RMS(target); 2,000 rows estimate it to about 2 %.
        EXPECT_NEAR(r.rms_residual / r.rms_target, 0.01, 0.001);

        spec.noise = 0.0;
        const SensorLog clean = generate_sensor_log(rig, spec);
        const Residual exact = residual(column(clean, clean.target), documented_law(clean));
        EXPECT_LT(exact.rms_residual / exact.rms_target, 1e-5);  // the logger's rounding only

        // The log's own statement of its law says the same.
        kepler::Expression law = kepler::grammar::parse_formula(clean.law, clean.table.names);
        Eigen::VectorXd stated = kepler::Evaluator{}(law, clean.table.data);
        EXPECT_LT(residual(column(clean, clean.target), stated).rms_residual / exact.rms_target, 1e-5);
        EXPECT_TRUE(std::find(clean.law_inputs.begin(), clean.law_inputs.end(), clean.target) ==
                    clean.law_inputs.end());
    }
}

TEST(SensorLog, LawInputsSweepWideRanges) {
    // The law is identifiable only if its inputs vary: check a few seeds, not one lucky log.
    auto span = [](const Eigen::VectorXd& x) {
        double lo = INFINITY, hi = -INFINITY;
        for (double v : x)
            if (!std::isnan(v)) lo = std::min(lo, v), hi = std::max(hi, v);
        return std::pair{lo, hi};
    };
    for (std::uint64_t seed : {1, 2, 3}) {
        SensorLogSpec spec;
        spec.seed = seed;
        const SensorLog gas = generate_sensor_log("gas-piston", spec);
        auto [t_lo, t_hi] = span(column(gas, "T"));
        auto [v_lo, v_hi] = span(column(gas, "V"));
        EXPECT_GT(t_hi - t_lo, 50.0) << seed;
        EXPECT_GT(v_hi / v_lo, 2.5) << seed;
        const SensorLog wire = generate_sensor_log("heated-wire", spec);
        auto [i_lo, i_hi] = span(column(wire, "I"));
        auto [w_lo, w_hi] = span(column(wire, "T_wire"));
        EXPECT_GT(i_hi / i_lo, 5.0) << seed;
        EXPECT_GT(w_hi - w_lo, 150.0) << seed;
        const SensorLog pendulum = generate_sensor_log("pendulum", spec);
        auto [l_lo, l_hi] = span(column(pendulum, "L"));
        EXPECT_GT(l_hi / l_lo, 2.0) << seed;
    }
}

TEST(SensorLog, ChannelCountIsHonouredAndSmallerLogsAreSubsets) {
    SensorLogSpec spec;
    spec.rows = 300;
    for (const std::string& rig : kRigs) {
        SCOPED_TRACE(rig);
        const SensorLog defaults = generate_sensor_log(rig, spec);
        EXPECT_EQ(defaults.table.columns(), rig == "gas-piston" ? 120u : 100u);
        spec.channels = 1000;
        const SensorLog wide = generate_sensor_log(rig, spec);
        spec.channels = 10;
        const SensorLog narrow = generate_sensor_log(rig, spec);
        spec.channels = 0;
        ASSERT_EQ(wide.table.columns(), 1000u);
        ASSERT_EQ(narrow.table.columns(), 10u);
        EXPECT_EQ(std::set<std::string>(wide.table.names.begin(), wide.table.names.end()).size(), 1000u);
        for (const auto& name : narrow.law_inputs) EXPECT_TRUE(narrow.table.column_index(name)) << name;
        EXPECT_TRUE(narrow.table.column_index(narrow.target));
        // Adding channels adds distractors and leaves every other column as it was.
        for (const auto& name : narrow.table.names)
            EXPECT_TRUE(same_column(column(narrow, name), column(wide, name))) << name;
        for (const auto& name : defaults.table.names)
            EXPECT_TRUE(same_column(column(defaults, name), column(wide, name))) << name;
    }
    spec.channels = 1;
    EXPECT_THROW(generate_sensor_log("gas-piston", spec), std::invalid_argument);
}

TEST(SensorLog, GapFractionIsHonoured) {
    SensorLogSpec spec;
    spec.gaps = 0.05;
    const SensorLog log = generate_sensor_log("gas-piston", spec);
    const auto& data = log.table.data;
    const double empty = static_cast<double>(data.array().isNaN().count()) / static_cast<double>(data.size());
    EXPECT_NEAR(empty, 0.05, 0.006);
    const Eigen::VectorXd target = column(log, log.target);
    EXPECT_GT(target.array().isNaN().count(), 20);  // some rows miss the target

    spec.gaps = 0.0;
    EXPECT_EQ(generate_sensor_log("gas-piston", spec).table.data.array().isNaN().count(), 0);
}

TEST(SensorLog, DesignedRelationsHold) {
    for (const std::string& rig : kRigs) {
        SCOPED_TRACE(rig);
        const SensorLog log = generate_sensor_log(rig, SensorLogSpec{});
        std::set<std::string> kinds;
        for (const auto& relation : log.relations) {
            SCOPED_TRACE(relation.channel + " from " + relation.source);
            kinds.insert(relation.kind);
            const Eigen::VectorXd predicted =
                (relation.scale * column(log, relation.source).array() + relation.offset).matrix();
            const Residual r = residual(column(log, relation.channel), predicted);
            EXPECT_GT(r.rows, 1800u);
            if (relation.tolerance == 0.0) {
                EXPECT_LT(r.rms_residual, 1e-12 * r.rms_target);  // equal up to floating-point rounding
            } else {
                EXPECT_LT(r.rms_residual, 1.2 * relation.tolerance);
                EXPECT_GT(r.rms_residual, 0.2 * relation.tolerance);  // not a copy after all
            }
        }
        EXPECT_EQ(kinds, (std::set<std::string>{"redundant reading", "backup sensor", "exact duplicate"}));
        ASSERT_FALSE(log.constant_channels.empty());
        for (const auto& name : log.constant_channels) {
            std::set<double> values;
            for (double v : column(log, name))
                if (!std::isnan(v)) values.insert(v);
            EXPECT_EQ(values.size(), 1u) << name;
        }
    }
}

TEST(SensorLog, DistractorsFollowButDoNotCopyTheLawsChannels) {
    for (const std::string& rig : kRigs) {
        SCOPED_TRACE(rig);
        const SensorLog log = generate_sensor_log(rig, SensorLogSpec{});
        std::vector<std::string> law = log.law_inputs;
        law.push_back(log.target);
        std::set<std::string> designed(law.begin(), law.end());
        for (const auto& relation : log.relations) designed.insert({relation.channel, relation.source});
        const std::set<std::string> correlated(log.correlated_channels.begin(), log.correlated_channels.end());
        for (const auto& name : log.table.names) {
            if (designed.count(name)) continue;
            // A correlated distractor may come close (T_oven is T_wire without the wire's
            // self-heating), but a linear fit of a law channel on it still leaves > 4 % of its sd.
            const double limit = correlated.count(name) ? 0.999 : 0.99;
            for (const auto& law_channel : law)
                EXPECT_LT(std::abs(correlation(column(log, name), column(log, law_channel))), limit)
                    << name << " vs " << law_channel;
        }
        // The correlated distractors do correlate with a law channel.
        ASSERT_FALSE(log.correlated_channels.empty());
        for (const auto& name : log.correlated_channels) {
            double best = 0.0;
            for (const auto& law_channel : law)
                best = std::max(best, std::abs(correlation(column(log, name), column(log, law_channel))));
            EXPECT_GT(best, 0.3) << name;
        }
    }
}

TEST(SensorLog, TimestampsAreIso8601Utc) {
    EXPECT_EQ(kepler::datasets::iso8601_utc(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(kepler::datasets::iso8601_utc(1709210096789), "2024-02-29T12:34:56.789Z");
    SensorLogSpec spec;
    spec.rows = 3;
    spec.sample_period_seconds = 0.25;
    const SensorLog log = generate_sensor_log("pendulum", spec);
    EXPECT_EQ(kepler::datasets::iso8601_utc(log.unix_ms[0]), "2026-11-23T08:00:00.000Z");
    EXPECT_EQ(kepler::datasets::iso8601_utc(log.unix_ms[2]), "2026-11-23T08:00:00.500Z");
}

TEST(SensorLog, CsvReadsBackAsTheTable) {
    SensorLogSpec spec;
    spec.rows = 200;
    spec.gaps = 0.05;
    const SensorLog log = generate_sensor_log("heated-wire", spec);
    const std::string csv = kepler::datasets::to_csv(log);
    EXPECT_EQ(csv.rfind("time,T_amb [K],", 0), 0u);
    EXPECT_NE(csv.find(",,"), std::string::npos);  // gaps are empty cells
    const kepler::Table read = kepler::grammar::parse_csv(csv, "log");
    ASSERT_EQ(read.columns(), log.table.columns() + 1);
    EXPECT_TRUE(read.is_timestamp(0));
    for (std::size_t r = 0; r < log.unix_ms.size(); ++r)
        EXPECT_DOUBLE_EQ(read.data(static_cast<Eigen::Index>(r), 0), static_cast<double>(log.unix_ms[r]) / 1000.0);
    for (std::size_t j = 0; j < log.table.columns(); ++j) {
        EXPECT_EQ(read.names[j + 1], log.table.names[j]);
        EXPECT_EQ(read.units[j + 1], log.table.units[j]);
        EXPECT_TRUE(same_column(read.data.col(static_cast<Eigen::Index>(j + 1)),
                                log.table.data.col(static_cast<Eigen::Index>(j))))
            << log.table.names[j];
    }
    const std::string untimed = kepler::datasets::to_csv(log, false);
    EXPECT_EQ(untimed.rfind("T_amb [K],", 0), 0u);
}

TEST(SensorLog, CheckedInLogsAreWhatTheDocumentedCommandWrites) {
    // datasets/sensor-logs/README.md: `kepler gen rig NAME --out NAME.csv` with the defaults.
    for (const std::string& rig : kRigs) {
        std::ifstream file(std::string(KEPLER_SOURCE_DIR) + "/datasets/sensor-logs/" + rig + ".csv", std::ios::binary);
        ASSERT_TRUE(file) << rig;
        std::stringstream text;
        text << file.rdbuf();
        EXPECT_TRUE(text.str() == kepler::datasets::to_csv(generate_sensor_log(rig, SensorLogSpec{})))
            << rig << ".csv differs from the generator's output; regenerate it (see its README)";
    }
}

TEST(SensorLog, UnknownRigOrBadSpecThrows) {
    EXPECT_THROW(generate_sensor_log("steam-engine", SensorLogSpec{}), std::invalid_argument);
    SensorLogSpec spec;
    spec.rows = 0;
    EXPECT_THROW(generate_sensor_log("pendulum", spec), std::invalid_argument);
    spec = {};
    spec.gaps = 0.9;
    EXPECT_THROW(generate_sensor_log("pendulum", spec), std::invalid_argument);
    spec = {};
    spec.noise = -1;
    EXPECT_THROW(generate_sensor_log("pendulum", spec), std::invalid_argument);
    spec = {};
    spec.sample_period_seconds = 0;
    EXPECT_THROW(generate_sensor_log("pendulum", spec), std::invalid_argument);
}

TEST(CliGenRig, WritesTheLogDeterministically) {
    auto r = run_kepler("gen rig pendulum --rows 100 --channels 12 --seed 5");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const kepler::Table t = kepler::grammar::parse_csv(r.output, "gen");
    EXPECT_EQ(t.names[0], "time");
    EXPECT_EQ(t.columns(), 13u);
    EXPECT_EQ(t.rows(), 100u);
    EXPECT_TRUE(t.column_index("period") && t.column_index("L"));
    EXPECT_EQ(run_kepler("gen rig pendulum --rows 100 --channels 12 --seed 5").output, r.output);

    kepler::testing::ScratchDir dir("gen-rig");
    auto to_file = run_kepler("gen rig pendulum --rows 100 --channels 12 --seed 5 --out " + dir.path("p.csv"));
    ASSERT_EQ(to_file.exit_code, 0) << to_file.output;
    EXPECT_EQ(to_file.output, "");
    std::ifstream file(dir.path("p.csv"), std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    EXPECT_EQ(text.str(), r.output);

    auto plain = run_kepler("gen rig gas-piston --rows 50 --channels 8 --gaps 0 --noise 0 --no-time");
    ASSERT_EQ(plain.exit_code, 0) << plain.output;
    EXPECT_EQ(plain.output.rfind("p_supply [kPa],", 0), 0u) << plain.output.substr(0, 100);
    EXPECT_EQ(plain.output.find(",,"), std::string::npos);
    const kepler::Table p = kepler::grammar::parse_csv(plain.output, "gen");
    EXPECT_EQ(p.columns(), 8u);
    EXPECT_EQ(p.data.array().isNaN().count(), 0);
}

TEST(CliGenRig, RejectsAnUnknownRigOrBadOptions) {
    auto unknown = run_kepler("gen rig steam-engine");
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.output.find("unknown rig 'steam-engine'; expected one of: gas-piston, heated-wire, pendulum"),
              std::string::npos)
        << unknown.output;
    auto few = run_kepler("gen rig gas-piston --channels 2");
    EXPECT_EQ(few.exit_code, 2);
    EXPECT_NE(few.output.find("needs at least 3 channels"), std::string::npos) << few.output;
    auto gaps = run_kepler("gen rig gas-piston --gaps 0.9");
    EXPECT_EQ(gaps.exit_code, 2);
    auto feynman = run_kepler("gen feynman I.12.1 --channels 5");
    EXPECT_EQ(feynman.exit_code, 2);
    EXPECT_NE(feynman.output.find("--channels applies to `kepler gen rig` only"), std::string::npos) << feynman.output;
}
