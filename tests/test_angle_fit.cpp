// Laws that are a sum of powers of the dimensionless groups and the cosine or sine of an angle
// (pipeline/angle_fit.hpp): interference of two waves, a dipole's anisotropic response.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "law_tables.hpp"

using kepler::testing::explains;

namespace {

// Two waves of intensities I1 and I2 with a phase difference delta: I1 + I2 + 2*sqrt(I1*I2)*cos(delta).
double interference(const std::vector<double>& x) {
    return x[0] + x[1] + 2.0 * std::sqrt(x[0] * x[1]) * std::cos(x[2]);
}

const std::vector<kepler::testing::Column> kInterferenceInputs{
    {"I1", "W/m^2", 1.0, 5.0}, {"I2", "W/m^2", 1.0, 5.0}, {"delta", "1", 1.0, 5.0}};

}  // namespace

// Exact data: the quick fit gives the law in three terms, and the search ends there (the
// enumerations do not reach its 13 nodes).
TEST(AngleFit, InterferenceIsAnExactQuickFit) {
    const kepler::Table table = kepler::testing::law_table("I", "W/m^2", kInterferenceInputs, interference, 0.0, 3);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "I", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "powers of the groups and the cosine or sine of an angle, 3 terms RMSE"));
    EXPECT_EQ(result.evaluations, 0u);  // no enumeration ran
    EXPECT_LT(result.front[result.best].max_relative_error, 1e-9) << result.front[result.best].formula;
}

// At 1 % noise the law, with its 2 snapped (not a look-alike such as (I1 + I2)*(cos(delta) + 1)).
TEST(AngleFit, InterferenceAtOnePercentNoise) {
    const kepler::Table table = kepler::testing::law_table("I", "W/m^2", kInterferenceInputs, interference, 0.01, 4);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "I", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    const std::string& best = result.front[result.best].formula;
    EXPECT_NE(best.find("cos(delta)"), std::string::npos) << best;
    EXPECT_NE(best.find("2*"), std::string::npos) << best;
    EXPECT_NE(best.find("sqrt("), std::string::npos) << best;
}

// The distance between two points given in polar coordinates, the law of cosines
// sqrt(r1^2 + r2^2 - 2*r1*r2*cos(phi1 - phi2)), at 10 % noise: r1 times the square root of a sum
// in r2/r1 with the cosine of the difference of the two angles (groups of their own). Without
// the root's shape and the difference the pick was a 50-node look-alike.
TEST(AngleFit, LawOfCosinesAtTenPercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "d", "m", {{"r1", "m", 1.0, 5.0}, {"r2", "m", 1.0, 5.0}, {"phi1", "1", 1.0, 5.0}, {"phi2", "1", 1.0, 5.0}},
        [](const std::vector<double>& x) {
            return std::sqrt(x[0] * x[0] + x[1] * x[1] - 2.0 * x[0] * x[1] * std::cos(x[2] - x[3]));
        },
        0.1, 5);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "d", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "square root of powers of the groups and the cosine or sine of an angle, 3 terms"));
    const std::string& best = result.front[result.best].formula;
    EXPECT_TRUE(best.find("cos(phi1 - phi2)") != std::string::npos ||
                best.find("cos(phi2 - phi1)") != std::string::npos)
        << best;
    EXPECT_NE(best.find("sqrt("), std::string::npos) << best;
    EXPECT_NE(best.find("2*"), std::string::npos) << best;
}
