// The `kepler` command line end to end: exit codes, error lines, results.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

namespace {

const std::string kExamples = std::string(KEPLER_SOURCE_DIR) + "/datasets/examples/";

int count_lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST(Cli, HelpSucceedsAndBadUsageIsExitCode2) {
    EXPECT_EQ(run_kepler("--help").exit_code, 0);
    EXPECT_EQ(run_kepler("fit --help").exit_code, 0);
    EXPECT_EQ(run_kepler("eval --help").exit_code, 0);
    EXPECT_EQ(run_kepler("").exit_code, 2);
    EXPECT_EQ(run_kepler("fit").exit_code, 2);
    EXPECT_EQ(run_kepler("fit " + kExamples + "forces.csv --target F --no-such-option").exit_code, 2);
}

TEST(Cli, EvalReportsPerfectFitOfTheTrueLaw) {
    auto r = run_kepler("eval \"m*a\" " + kExamples + "forces.csv --target F");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("R2:      1\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("RMSE:"), std::string::npos);
    EXPECT_NE(r.output.find("max relative error:"), std::string::npos);
}

TEST(Cli, EvalReportsAPoorFitOfAWrongLaw) {
    auto r = run_kepler("eval \"2*m*a\" " + kExamples + "forces.csv --target F");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.find("R2:      1\n"), std::string::npos) << r.output;
}

TEST(Cli, EvalChecksTheFormulasDimension) {
    auto ok = run_kepler("eval \"m*a\" " + kExamples + "forces.csv --target F");
    EXPECT_NE(ok.output.find("units:   consistent, M L T^-2"), std::string::npos) << ok.output;
    auto mismatch = run_kepler("eval \"m*a*a\" " + kExamples + "forces.csv --target F");
    EXPECT_EQ(mismatch.exit_code, 0) << mismatch.output;
    EXPECT_NE(mismatch.output.find("units:   MISMATCH: the formula is M L^2 T^-4, the target F is M L T^-2"),
              std::string::npos)
        << mismatch.output;
    auto inconsistent = run_kepler("eval \"m + a\" " + kExamples + "forces.csv --target F");
    EXPECT_EQ(inconsistent.exit_code, 2);
    EXPECT_NE(inconsistent.output.find("cannot add L T^-2 to M"), std::string::npos) << inconsistent.output;
    EXPECT_EQ(count_lines(inconsistent.output), 1) << inconsistent.output;
}

TEST(Cli, FitFindsTheIdealGasLawAndWritesJson) {
    ScratchDir dir("fit-json");
    auto r = run_kepler("fit " + kExamples + "ideal_gas.csv --target P --time-limit 60 --json " + dir.path("out.json"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("best: P = "), std::string::npos) << r.output;
    std::ifstream in(dir.path("out.json"));
    ASSERT_TRUE(in.good());
    nlohmann::json doc = nlohmann::json::parse(in);
    EXPECT_EQ(doc["target"], "P");
    EXPECT_GE(doc["best"]["r2"].get<double>(), 1.0 - 1e-12);
    EXPECT_FALSE(doc["front"].empty());
    EXPECT_TRUE(doc["best"]["formula"].is_string());
    EXPECT_TRUE(doc["best"]["complexity_bits"].is_number());
}

// Each bad input: exit code 2 and one error line naming the file, line and column.
TEST(Cli, MissingFile) {
    auto r = run_kepler("fit /nonexistent/data.csv --target F");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("/nonexistent/data.csv"), std::string::npos) << r.output;
    EXPECT_EQ(count_lines(r.output), 1) << r.output;
}

TEST(Cli, EmptyFile) {
    ScratchDir dir("empty");
    auto file = dir.write("empty.csv", "");
    auto r = run_kepler("fit " + file + " --target F");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find(file + ":1:1: expected a header row"), std::string::npos) << r.output;
    EXPECT_EQ(count_lines(r.output), 1) << r.output;
}

TEST(Cli, RaggedRow) {
    ScratchDir dir("ragged");
    auto file = dir.write("ragged.csv", "F,m,a\n1,2,3\n4,5\n");
    auto r = run_kepler("fit " + file + " --target F");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find(file + ":3:"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("expected 3 fields, found 2"), std::string::npos) << r.output;
    EXPECT_EQ(count_lines(r.output), 1) << r.output;
}

TEST(Cli, NonNumericCell) {
    ScratchDir dir("nonnumeric");
    auto file = dir.write("bad.csv", "F,m,a\n1,2,3\n4,five,6\n");
    auto r = run_kepler("eval \"m*a\" " + file + " --target F");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find(file + ":3:3: expected a number or a missing value (empty, NaN, NA), found 'five'"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(count_lines(r.output), 1) << r.output;
}

TEST(Cli, UnknownTargetColumn) {
    auto r = run_kepler("fit " + kExamples + "forces.csv --target G");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("forces.csv:1:1: unknown target column 'G'; expected one of: F, m, a"), std::string::npos)
        << r.output;
    EXPECT_EQ(count_lines(r.output), 1) << r.output;
}

TEST(Cli, UnknownInputColumn) {
    auto r = run_kepler("fit " + kExamples + "forces.csv --target F --inputs m,b");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("unknown input column 'b'"), std::string::npos) << r.output;
}

TEST(Cli, FormulaThatDoesNotParse) {
    auto r = run_kepler("eval \"m*(a+\" " + kExamples + "forces.csv --target F");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("formula:1:"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("expected"), std::string::npos) << r.output;
    EXPECT_EQ(count_lines(r.output), 1) << r.output;
}

TEST(Cli, FormulaNamingAMissingColumn) {
    auto r = run_kepler("eval \"m*q\" " + kExamples + "forces.csv --target F");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("formula:1:3: unknown column 'q'"), std::string::npos) << r.output;
    EXPECT_EQ(count_lines(r.output), 1) << r.output;
}
