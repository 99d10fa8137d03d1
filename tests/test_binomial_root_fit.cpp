// Laws that are a sum of two terms over the square root of a binomial of the dimensionless
// groups (pipeline/binomial_root_fit.hpp), the Lorentz transformation's form.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "law_tables.hpp"

using kepler::testing::explains;

namespace {

// The relativistic Doppler shift seen by an observer moving at v, at an angle whose cosine is
// ct, to a source of frequency f: f' = f*(1 - v*ct/w)/sqrt(1 - v^2/w^2), w the wave's speed.
double doppler_at_an_angle(const std::vector<double>& x) {
    return x[0] * (1.0 - x[1] * x[3] / x[2]) / std::sqrt(1.0 - x[1] * x[1] / (x[2] * x[2]));
}

}  // namespace

// Exact data: the quick fit gives the law, and the search ends there.
TEST(BinomialRootFit, DopplerShiftAtAnAngleIsAnExactQuickFit) {
    const kepler::Table table = kepler::testing::law_table(
        "f1", "Hz",
        {{"f", "Hz", 1e14, 5e14}, {"v", "m/s", 1e7, 2e8}, {"w", "m/s", 2.9e8, 3.1e8}, {"ct", "1", 0.1, 1.0}},
        doppler_at_an_angle, 0.0, 5);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "f1", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "sum of two powers of the groups over the square root of two RMSE"));
    EXPECT_EQ(result.evaluations, 0u);  // no enumeration ran
    EXPECT_EQ(result.front[result.best].formula, "f*(1 - v*ct/w)/sqrt(1 - v^2/w^2)");
}

// The same law at 1 % noise.
TEST(BinomialRootFit, DopplerShiftAtAnAngleAtOnePercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "f1", "Hz",
        {{"f", "Hz", 1e14, 5e14}, {"v", "m/s", 1e7, 2.5e8}, {"w", "m/s", 2.9e8, 3.1e8}, {"ct", "1", 0.1, 1.0}},
        doppler_at_an_angle, 0.01, 8);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "f1", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_EQ(result.front[result.best].formula, "f*(1 - v*ct/w)/sqrt(1 - v^2/w^2)");
}

// The Lorentz transformation at 10 % noise, u/w up to 0.9 so that 300 rows show the factor.
// The linear fit of y^2 weighs each row by the choice's own 1 + d*g^e, so the choices of least
// linearised residual were of another form, or not a square at all: the fit gave nothing, and
// a look-alike was picked, on all of seeds 1-10 of this table. Scored on y, the law's choice
// is refitted, and picked on eight of them.
TEST(BinomialRootFit, LorentzTransformationAtTenPercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "x1", "m", {{"x", "m", 5.0, 10.0}, {"u", "m/s", 1.0, 2.0}, {"w", "m/s", 2.2, 4.0}, {"t", "s", 1.0, 2.0}},
        [](const std::vector<double>& x) {
            return (x[0] - x[1] * x[3]) / std::sqrt(1.0 - x[1] * x[1] / (x[2] * x[2]));
        },
        0.1, 9);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "x1", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "sum of two powers of the groups over the square root of two RMSE"));
    EXPECT_EQ(result.front[result.best].formula, "(x - u*t)/sqrt(1 - u^2/w^2)");
}
