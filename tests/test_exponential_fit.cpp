// Laws with a statistics' exponential factor of a dimensionless group, or a Gaussian in a ratio of
// two (pipeline/exponential_fit.hpp),
// found by the quick fit where, at noise, the enumeration stops at a shorter look-alike.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "law_tables.hpp"

using kepler::testing::explains;

// The occupation of a state of energy E above the Fermi level, at 1 % noise: one group, E/kT.
TEST(ExponentialFit, FermiDiracOccupationAtOnePercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "n", "1", {{"E", "J", 1e-21, 3e-20}, {"kT", "J", 2e-21, 8e-21}},
        [](const std::vector<double>& x) { return 1.0 / (std::exp(x[0] / x[1]) + 1.0); }, 0.01, 4);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "n", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "Fermi-Dirac factor of the groups RMSE"));
    EXPECT_EQ(result.front[result.best].formula, "1/(exp(E/kT) + 1)");
}

// The mean energy of a quantum oscillator above its ground state, E = hf/(exp(hf/kT) - 1), at
// 1 % noise: the monomial kT times the group hf/kT over Bose-Einstein's denominator.
TEST(ExponentialFit, MeanEnergyOfAQuantumOscillatorAtOnePercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "E", "J", {{"hf", "J", 1e-21, 2e-20}, {"kT", "J", 2e-21, 8e-21}},
        [](const std::vector<double>& x) { return x[0] / (std::exp(x[0] / x[1]) - 1.0); }, 0.01, 6);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "E", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "Bose-Einstein factor of the groups RMSE"));
    EXPECT_EQ(result.front[result.best].formula, "hf/(exp(hf/kT) - 1)");
}

// A soliton's profile, u = A*sech(x/w) = 2*A/(exp(x/w) + exp(-x/w)), at 1 % noise: the level
// pair's denominator, of the group x/w (a quotient of the table's two groups x/A and w/A).
TEST(ExponentialFit, SolitonProfileAtOnePercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "u", "m", {{"A", "m", 0.5, 2.0}, {"x", "m", 0.1, 8.0}, {"w", "m", 1.0, 3.0}},
        [](const std::vector<double>& x) { return 2.0 * x[0] / (std::exp(x[1] / x[2]) + std::exp(-x[1] / x[2])); },
        0.01, 2);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "u", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "two-level factor of the groups RMSE"));
    EXPECT_EQ(result.front[result.best].formula, "2*A/(exp(x/w) + exp(-x/w))");
}

// A Gaussian beam's far field, I/I0 = exp(-2*theta^2/theta0^2), at 1 % noise: the argument is
// the square of the ratio of two dimensionless groups (the angle and the divergence), which the
// arguments of degree at most 2 leave out. Without it the pick is exp(theta^2/log(cos(theta0))),
// log(cos(x)) being -x^2/2 to within the noise.
TEST(ExponentialFit, GaussianInARatioOfTwoAnglesAtOnePercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "I_rel", "1", {{"theta", "1", 0.01, 0.3}, {"theta0", "1", 0.1, 0.3}},
        [](const std::vector<double>& x) { return std::exp(-2.0 * x[0] * x[0] / (x[1] * x[1])); }, 0.01, 3);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "I_rel", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_EQ(result.front[result.best].formula, "exp(-2*theta^2/theta0^2)");
}

// A body falling against quadratic drag, v = v_t*tanh(g*t/v_t), at 1 % noise: the level pair's
// polarisation form, tanh, which the search's operators do not hold (it would write it with
// exponentials in some 20 nodes, or stop at a look-alike).
TEST(ExponentialFit, FallWithQuadraticDragAtOnePercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "v", "m/s", {{"v_t", "m/s", 5.0, 50.0}, {"g", "m/s^2", 9.0, 10.0}, {"t", "s", 0.1, 8.0}},
        [](const std::vector<double>& x) { return x[0] * std::tanh(x[1] * x[2] / x[0]); }, 0.01, 5);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "v", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "two-level polarisation of the groups RMSE"));
    EXPECT_EQ(result.front[result.best].formula, "v_t*tanh(g*t/v_t)");
}

// A normal distribution about a mean, exp(-((x - mu)/s)^2/2)/(sqrt(2*pi)*s) over dimensionless
// x, mu and s: the argument is the square of the difference of two groups over a third's. On
// exact rows the quick fit is the law and the search ends there.
TEST(ExponentialFit, GaussianAboutAMeanIsAnExactQuickFit) {
    const kepler::Table table = kepler::testing::gaussian_about_a_mean(0.0, 3);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "f", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "Boltzmann factor of the groups RMSE"));
    EXPECT_EQ(result.evaluations, 0u);  // no enumeration ran
    EXPECT_LT(result.front[result.best].max_relative_error, 1e-9) << result.front[result.best].formula;
    EXPECT_NE(result.front[result.best].formula.find("(x - mu)^2"), std::string::npos)
        << result.front[result.best].formula;
}
