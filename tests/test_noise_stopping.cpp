// The stopping rule at 10 % noise (issue #13): no search runs on when a formula already fits
// to the noise. II.13.17 (B = I/(2*pi*epsilon*c^2*r)) has no dimensionless group, so the law
// is the target's monomial times a number; with 10 % noise its small values change sign, the
// quick fits' power law cannot take logarithms, and the monomial fitted linearly must still be
// found at once and end the search after the enumeration (it once ran the evolution for a minute).
#include <gtest/gtest.h>

#include <string>

#include "cli_runner.hpp"

using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

TEST(NoiseStopping, AMonomialLawAtTenPercentNoiseEndsAtTheNoiseFloor) {
    ScratchDir dir("noise-stopping");
    const auto table = run_kepler("gen feynman II.13.17 --rows 1000 --seed 2 --noise 0.1");
    ASSERT_EQ(table.exit_code, 0) << table.output;
    ASSERT_NE(table.output.find("\n-"), std::string::npos) << "the noisy target has no negative value";
    const std::string csv = dir.write("b.csv", table.output);
    const auto r = run_kepler("fit " + csv + " --target B --max-evals 300000 --threads 1 --seed 2 --explain");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("quick fits: 1 candidates"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("the target's monomial RMSE"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("what the best formula leaves is noise: the search stops there"), std::string::npos)
        << r.output;
    EXPECT_EQ(r.output.find("evolution"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("*I/(epsilon*c^2*r)\n"), std::string::npos) << r.output;
}
