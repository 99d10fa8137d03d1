// The CLI with the CSV loader's features: missing values (rows left out and counted), timestamp
// columns (not inputs unless named), --rows, --sample (fit on a sample, scores on all rows),
// and eval on a table with missing values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/grammar/csv_reader.hpp"
#include "kepler/grammar/formula_parser.hpp"

using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

namespace {

// Quick searches: a small evaluation budget and two threads.
const std::string kQuick = " --max-evals 30000 --threads 2 --quiet";

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

// F = m*a (times 1 + noise*N(0,1)), m and a uniform in [1, 5]; `cell` may replace a cell's text.
std::string forces(int rows, double noise, const std::string& header = "F,m,a",
                   const std::function<std::string(int row, int column, const std::string&)>& cell = {}) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    std::normal_distribution<double> n(0.0, 1.0);
    std::string text = header + "\n";
    for (int r = 0; r < rows; ++r) {
        const double m = u(rng), a = u(rng), F = m * a * (1.0 + noise * n(rng));
        const double values[3] = {F, m, a};
        for (int c = 0; c < 3; ++c) {
            char number[32];
            std::snprintf(number, sizeof number, "%.17g", values[c]);
            std::string v = number;
            if (cell) v = cell(r, c, v);
            text += (c ? "," : "") + v;
        }
        text += "\n";
    }
    return text;
}

TEST(CliLoading, RowsWithMissingValuesAreLeftOutAndCounted) {
    ScratchDir dir("cli-missing");
    const std::string file = dir.write("f.csv", forces(60, 0.0, "F,m,a", [](int r, int c, const std::string& v) {
                                           if (c == 0 && (r == 3 || r == 20 || r == 41)) return std::string("");
                                           if (c == 1 && (r == 7 || r == 50)) return std::string("NA");
                                           return v;
                                       }));
    auto r = run_kepler("fit " + file + " --target F --json " + dir.path("out.json") + kQuick);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("(55 rows; 5 left out)"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("note: 5 rows left out: missing or non-finite target or input"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("best: F = m*a"), std::string::npos) << r.output;
    const auto doc = read_json(dir.path("out.json"));
    EXPECT_EQ(doc["rows_used"], 55);
    EXPECT_EQ(doc["rows_dropped"], 5);
    EXPECT_EQ(doc["rows_sampled"], 0);

    auto e = run_kepler("eval \"m*a\" " + file + " --target F");
    ASSERT_EQ(e.exit_code, 0) << e.output;
    EXPECT_NE(e.output.find("rows:    55 (5 left out: missing values)"), std::string::npos) << e.output;
    EXPECT_NE(e.output.find("R2:      1\n"), std::string::npos) << e.output;
    // Only the columns the formula reads count: "a" has no missing value, F three.
    auto only_a = run_kepler("eval \"a\" " + file + " --target F");
    EXPECT_NE(only_a.output.find("rows:    57 (3 left out: missing values)"), std::string::npos) << only_a.output;
}

TEST(CliLoading, TimestampColumnIsNotAnInputUnlessNamed) {
    ScratchDir dir("cli-timestamp");
    auto with_time = [](const std::string& header) {
        return forces(40, 0.0, header, [](int r, int c, const std::string& v) {
            char stamp[32];
            std::snprintf(stamp, sizeof stamp, "2026-11-23T10:%02d:%02dZ,", r / 60, r % 60);
            return c == 0 ? std::string(stamp) + v : v;
        });
    };
    // With units, the timestamp needs none: it is not used.
    const std::string with_units = dir.write("u.csv", with_time("time,F [N],m [kg],a [m/s^2]"));
    auto r = run_kepler("fit " + with_units + " --target F --json " + dir.path("u.json") + kQuick);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("note: timestamp column 'time' is not an input unless named in the inputs"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(read_json(dir.path("u.json"))["inputs"], nlohmann::json({"m", "a"}));

    const std::string plain = dir.write("p.csv", with_time("time,F,m,a"));
    auto named = run_kepler("fit " + plain + " --target F --inputs time,m,a --json " + dir.path("p.json") + kQuick);
    ASSERT_EQ(named.exit_code, 0) << named.output;
    EXPECT_EQ(read_json(dir.path("p.json"))["inputs"], nlohmann::json({"time", "m", "a"}));
    EXPECT_EQ(named.output.find("timestamp column"), std::string::npos) << named.output;
}

TEST(CliLoading, MalformedDateTimeIsAnErrorWithItsPosition) {
    ScratchDir dir("cli-datetime");
    const std::string file = dir.write("d.csv", "time,F,m\n2026-11-23T10:00:00Z,1,2\n2026-11-31T10:00:00Z,1,2\n");
    auto r = run_kepler("fit " + file + " --target F");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find(file + ":3:1: expected an ISO 8601 date-time"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("found '2026-11-31T10:00:00Z'"), std::string::npos) << r.output;
}

TEST(CliLoading, RowsReadsOnlyTheFirstRows) {
    ScratchDir dir("cli-rows");
    const std::string file = dir.write("r.csv", forces(80, 0.0) + "1,2,three\n");
    auto all = run_kepler("fit " + file + " --target F" + kQuick);
    EXPECT_EQ(all.exit_code, 2);
    EXPECT_NE(all.output.find(file + ":82:5: "), std::string::npos) << all.output;
    auto first = run_kepler("fit " + file + " --target F --rows 30 --json " + dir.path("out.json") + kQuick);
    ASSERT_EQ(first.exit_code, 0) << first.output;
    EXPECT_NE(first.output.find("(30 rows)"), std::string::npos) << first.output;
    EXPECT_EQ(read_json(dir.path("out.json"))["rows_used"], 30);
    EXPECT_EQ(run_kepler("fit " + file + " --target F --rows 0").exit_code, 2);
}

TEST(CliLoading, SampleFitsOnASampleAndScoresOnAllRows) {
    ScratchDir dir("cli-sample");
    const std::string file = dir.write("s.csv", forces(400, 0.02));
    auto r = run_kepler("fit " + file + " --target F --sample 40 --seed 5 --json " + dir.path("out.json") + kQuick);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("(400 rows, searched on a random sample of 40)"), std::string::npos) << r.output;
    const auto doc = read_json(dir.path("out.json"));
    EXPECT_EQ(doc["rows_used"], 400);
    EXPECT_EQ(doc["rows_sampled"], 40);

    // The best formula's reported RMSE is its RMSE on all 400 rows.
    const kepler::Table table = kepler::grammar::read_csv(file);
    const std::vector<std::string> inputs = {"m", "a"};
    const kepler::Expression best =
        kepler::grammar::parse_formula(doc["best"]["numeric_formula"].get<std::string>(), inputs, "best");
    const Eigen::VectorXd predicted = kepler::Evaluator{}(best, table.data.rightCols(2));
    const double rmse = std::sqrt((predicted - table.data.col(0)).squaredNorm() / 400.0);
    EXPECT_NEAR(doc["best"]["rmse"].get<double>(), rmse, 1e-9 * rmse) << doc["best"]["formula"];

    // The same seed draws the same sample.
    auto again =
        run_kepler("fit " + file + " --target F --sample 40 --seed 5 --json " + dir.path("again.json") + kQuick);
    ASSERT_EQ(again.exit_code, 0) << again.output;
    EXPECT_EQ(read_json(dir.path("again.json"))["front"], doc["front"]);
}

}  // namespace
