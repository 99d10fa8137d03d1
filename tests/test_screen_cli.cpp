// `kepler fit` on a wide log: the screening report, the JSON "screening" object, and the
// flags that force or disable screening.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_runner.hpp"
#include "test_screen_tables.hpp"

using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

namespace {

// The table as CSV: `name [unit]` headers, an empty cell for a missing value.
std::string to_csv(const kepler::Table& t) {
    std::string s;
    for (std::size_t j = 0; j < t.columns(); ++j) {
        if (j) s += ",";
        s += t.names[j];
        s += " [";
        s += t.units[j];
        s += "]";
    }
    s += "\n";
    for (Eigen::Index r = 0; r < t.data.rows(); ++r) {
        for (Eigen::Index j = 0; j < t.data.cols(); ++j) {
            if (j) s += ",";
            if (std::isfinite(t.data(r, j))) {
                char buffer[32];
                s.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, t.data(r, j)).ptr);
            }
        }
        s += "\n";
    }
    return s;
}

const std::string& wide_csv() {
    static const std::string csv = to_csv(kepler::testing::wide_table({.rows = 500}));
    return csv;
}

}  // namespace

TEST(ScreenCli, AWideLogIsScreenedByDefaultAndTheReportSaysWhy) {
    ScratchDir dir("screen-cli");
    const std::string data = dir.write("wide.csv", wide_csv());
    auto r = run_kepler("fit " + data + " --target y --time-limit 20 --max-evals 20000 --threads 2 --json " +
                        dir.path("out.json"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // The report comes before the formulas.
    const std::size_t screening = r.output.find("screening: 40 candidate channels");
    ASSERT_NE(screening, std::string::npos) << r.output;
    EXPECT_LT(screening, r.output.find("Pareto front")) << r.output;
    EXPECT_NE(r.output.find("dropped x0 [kPa]: constant"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("dropped x25 [cm]: duplicate of x7"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("interchangeable x30 [N]: reads the same quantity as x3"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("kept channels by relevance"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("candidate subsets (most likely first):\n  1. x3, x7, x12: "), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("subsets searched:\n  * 1. x3, x7, x12: y = "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("interchangeable: x3 could be replaced by x30"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("target y from x3, x7, x12"), std::string::npos) << r.output;

    std::ifstream in(dir.path("out.json"));
    ASSERT_TRUE(in.good());
    const nlohmann::json doc = nlohmann::json::parse(in);
    ASSERT_TRUE(doc.contains("screening"));
    const nlohmann::json& s = doc["screening"];
    EXPECT_EQ(s["candidates"], 40);
    const auto first = s["subsets"][0]["inputs"].get<std::vector<std::string>>();
    EXPECT_EQ(std::set<std::string>(first.begin(), first.end()), (std::set<std::string>{"x3", "x7", "x12"}));
    std::set<std::string> verdicts;
    for (const auto& c : s["channels"]) {
        EXPECT_TRUE(c["reason"].is_string());
        EXPECT_FALSE(c["reason"].get<std::string>().empty()) << c.dump();
        verdicts.insert(c["verdict"].get<std::string>());
    }
    EXPECT_EQ(verdicts, (std::set<std::string>{"kept", "constant", "duplicate", "interchangeable"}));
    EXPECT_EQ(s["interchangeable"]["x3"], nlohmann::json::array({"x30"}));
    EXPECT_EQ(s["chosen"], 0);
    EXPECT_FALSE(s["attempts"].empty());
}

TEST(ScreenCli, InputsOrNoScreenTurnItOffAndTheFlagsExcludeEachOther) {
    ScratchDir dir("screen-cli-off");
    const std::string data = dir.write("wide.csv", wide_csv());
    auto named =
        run_kepler("fit " + data + " --target y --inputs x3,x7,x12 --time-limit 10 --max-evals 50000 --threads 2");
    ASSERT_EQ(named.exit_code, 0) << named.output;
    EXPECT_EQ(named.output.find("screening:"), std::string::npos) << named.output;
    auto off = run_kepler("fit " + data + " --target y --no-screen --time-limit 10 --max-evals 2000 --threads 2");
    ASSERT_EQ(off.exit_code, 0) << off.output;
    EXPECT_EQ(off.output.find("screening:"), std::string::npos) << off.output;
    auto forced = run_kepler(
        "fit " + data + " --target y --inputs x3,x7,x12,x20 --screen --time-limit 10 --max-evals 50000 --threads 2");
    ASSERT_EQ(forced.exit_code, 0) << forced.output;
    EXPECT_NE(forced.output.find("screening: 4 candidate channels"), std::string::npos) << forced.output;
    EXPECT_EQ(run_kepler("fit " + data + " --target y --screen --no-screen").exit_code, 2);
}
