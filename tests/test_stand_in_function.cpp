// The pick passes over a formula whose function the rows do not support
// (pipeline/stand_in_function.hpp): a cosine whose argument stays where a quadratic matches it
// to within the noise is no evidence of a cosine, nor an exponential whose argument stays where
// a quadratic in one over it matches. The Lorentz factor at 10 % noise, which needs
// this and the root fits' choices at noise, is in test_bench_suite.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "law_tables.hpp"

namespace {

bool has_note(const kepler::DiscoveryResult& result, const std::string& text) {
    for (const std::string& note : result.notes)
        if (note.find(text) != std::string::npos) return true;
    return false;
}

const std::string& best_formula(const kepler::DiscoveryResult& result) { return result.front[result.best].formula; }

}  // namespace

// A cosine over a full turn and more (theta in 1-5) is what the rows show, at the same noise:
// it is picked, and no note passes over it.
TEST(StandInFunction, ACosineOverItsWholeRangeIsKeptAtTenPercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "F", "N", {{"F0", "N", 1.0, 5.0}, {"theta", "1", 1.0, 5.0}},
        [](const std::vector<double>& x) { return x[0] * std::cos(x[1]); }, 0.1, 6);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "F", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_EQ(best_formula(result), "F0*cos(theta)");
    EXPECT_FALSE(has_note(result, "passed over"));
}

// An exponential whose argument stays in 0.1-0.5 is a stand-in at 10 % noise, but not on exact
// rows: there the quadratic misses the law by far more than rounding, and the law is picked.
TEST(StandInFunction, OnExactRowsANarrowArgumentIsNoStandIn) {
    const kepler::Table table = kepler::testing::law_table(
        "N", "1", {{"N0", "1", 1.0, 5.0}, {"t", "s", 1.0, 5.0}, {"tau", "s", 10.0, 20.0}},
        [](const std::vector<double>& x) { return x[0] * std::exp(x[1] / x[2]); }, 0.0, 7);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "N", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_EQ(best_formula(result), "N0*exp(t/tau)");
    EXPECT_FALSE(has_note(result, "passed over"));
}

// Rows made with a cosine of v/w in 0.1-0.67, at 10 % noise, cannot show the cosine: the pick
// passes over m0/cos(v/w) for a formula without it, and a note says so.
TEST(StandInFunction, APassedOverFormulaIsNamedInANote) {
    const kepler::Table table = kepler::testing::law_table(
        "m", "kg", {{"m0", "kg", 1.0, 5.0}, {"v", "m/s", 1.0, 2.0}, {"w", "m/s", 3.0, 10.0}},
        [](const std::vector<double>& x) { return x[0] / std::cos(x[1] / x[2]); }, 0.1, 8);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "m", 2'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_EQ(best_formula(result).find("cos("), std::string::npos) << best_formula(result);
    EXPECT_TRUE(has_note(result, "is a quadratic in its argument, or in one over it, to within the noise"))
        << best_formula(result);
}

// An exponential of a reciprocal over a wide stretch (a/b in 0.2-5) is kept at 10 % noise:
// neither a quadratic in a/b nor one in b/a follows it there.
TEST(StandInFunction, AnExponentialOfAWideReciprocalIsKeptAtTenPercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "n", "1", {{"n0", "1", 1.0, 5.0}, {"a", "J", 1.0, 5.0}, {"b", "J", 1.0, 5.0}},
        [](const std::vector<double>& x) { return x[0] * std::exp(-x[1] / x[2]); }, 0.1, 9);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "n", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_NE(best_formula(result).find("exp(a/b)"), std::string::npos) << best_formula(result);  // n0/exp(a/b)
    EXPECT_FALSE(has_note(result, "passed over"));
}

// Rows made with exp(-w/v), w/v in 1.5-10, at 10 % noise: there the exponential is a quadratic
// in v/w to within the noise, not in w/v, and the pick passes over it.
TEST(StandInFunction, AnExponentialThatIsAQuadraticInOneOverItsArgumentIsPassedOver) {
    const kepler::Table table = kepler::testing::law_table(
        "m", "kg", {{"m0", "kg", 1.0, 5.0}, {"v", "m/s", 1.0, 2.0}, {"w", "m/s", 3.0, 10.0}},
        [](const std::vector<double>& x) { return x[0] / (1.0 - std::exp(-x[2] / x[1])); }, 0.1, 10);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "m", 2'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_EQ(best_formula(result).find("exp("), std::string::npos) << best_formula(result);
    EXPECT_TRUE(has_note(result, "or in one over it")) << best_formula(result);
}

// A normal distribution about a mean at 10 % noise on 300 rows, its argument ((x - mu)/s)^2/2
// in 0-2: there the exponential is a quadratic in it to within the noise, but on this table the
// pick without the law is a Fermi-Dirac-like look-alike, 1/(exp(b*(x - mu)^2/s^2) + 1), whose
// exponential (of the same inputs) escapes the test by a little. Passing over the law for it
// takes no claim back, so the law is kept, with a note. (On other seeds of this table the
// pick is a look-alike without an exponential, for which the law is rightly passed over.)
TEST(StandInFunction, AGaussianIsKeptWhenTheAlternativeClaimsTheSameExponential) {
    const kepler::Table table = kepler::testing::gaussian_about_a_mean(0.1, 2);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "f", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_NE(best_formula(result).find("exp(-(x - mu)^2/(2*s^2))"), std::string::npos) << best_formula(result);
    EXPECT_TRUE(has_note(result, "claims that function of the same inputs too")) << best_formula(result);
}
