// The fitted constants with their standard errors in `kepler fit`'s report (a `c1 = v ± se`
// line under `best:`) and in its JSON (`"constants"` per front member).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "cli_runner.hpp"

using namespace kepler::testing;

TEST(ConstantReport, BestLawListsItsConstantsWithStandardErrors) {
    // y = 3.7*x with 1 % noise: one fitted constant, known to about 3.7 * 0.01 / sqrt(300).
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    std::normal_distribution<double> z(0.0, 1.0);
    std::ostringstream csv;
    csv.precision(17);
    csv << "y,x\n";
    for (int i = 0; i < 300; ++i) {
        const double x = u(rng);
        csv << 3.7 * x * (1.0 + 0.01 * z(rng)) << "," << x << "\n";
    }
    ScratchDir dir("constant-report");
    const std::string data = dir.write("line.csv", csv.str());
    const CommandResult r =
        run_kepler("fit " + data + " --target y --max-evals 20000 --threads 1 --quiet --json " + dir.path("out.json"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto best = r.output.find("best: y = ");
    ASSERT_NE(best, std::string::npos) << r.output;
    const auto line = r.output.find("\n  c1 = ", best);
    ASSERT_NE(line, std::string::npos) << r.output;
    EXPECT_NE(r.output.find(" ± ", line), std::string::npos) << r.output;

    std::ifstream in(dir.path("out.json"));
    const nlohmann::json doc = nlohmann::json::parse(in);
    const nlohmann::json& constants = doc["best"]["constants"];
    ASSERT_EQ(constants.size(), 1u) << doc["best"].dump();
    const double value = constants[0]["value"].get<double>();
    const double se = constants[0]["standard_error"].get<double>();
    EXPECT_NEAR(value, 3.7, 5 * se);
    // The regression error of a slope through the origin: sd / sqrt(sum x^2), sd = 1 % of 3.7 x.
    EXPECT_GT(se, 0.3 * 3.7 * 0.01 / std::sqrt(300.0));
    EXPECT_LT(se, 3.0 * 3.7 * 0.01 / std::sqrt(300.0));
    for (const nlohmann::json& law : doc["front"]) EXPECT_TRUE(law.contains("constants")) << law.dump();
}
