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

// III.19.51 (E_n = -m*q^4/(8*epsilon^2*h^2*n^2)) has one group, n: the law is the monomial times
// n^-2. At 10 % noise the enumeration over the groups fits y/monomial, whose noise is worst where
// the monomial is smallest, and its best was E_n = 0; the monomial times a power of the group,
// fitted on the target itself, is found at once and ends the search at the noise floor.
TEST(NoiseStopping, MonomialTimesAPowerOfTheGroupAtTenPercentNoise) {
    ScratchDir dir("noise-stopping-group");
    const auto table = run_kepler("gen feynman III.19.51 --rows 1000 --seed 1 --noise 0.1");
    ASSERT_EQ(table.exit_code, 0) << table.output;
    const std::string csv = dir.write("e.csv", table.output);
    const auto r = run_kepler("fit " + csv + " --target E_n --max-evals 300000 --threads 1 --seed 1 --explain");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("the target's monomial times powers of the groups RMSE"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("what the best formula leaves is noise: the search stops there"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("best: E_n = -0.12"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("*m*q^4/(h^2*epsilon^2*n^2)\n"), std::string::npos) << r.output;
}
