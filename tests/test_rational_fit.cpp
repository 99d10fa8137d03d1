// Laws that are rational functions of their dimensionless groups (pipeline/rational_fit.hpp), found
// at noise by the quick fit and written over one common denominator (normal_form.cpp's
// clear_fractions; its test is in test_textbook_form.cpp), and the residual code at the noise scale that lets the pick
// prefer the law to a rational look-alike (fitting/candidate.hpp, error_bits).
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <numbers>
#include <random>
#include <string>

#include "cli_runner.hpp"
#include "kepler/fitting/candidate.hpp"
#include "law_tables.hpp"

using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

// Clausius-Mossotti, theta = 1 + n*alpha/(1 - n*alpha/3), at 1 % noise: the enumeration reaches
// the noise floor with 10/(pi - n*alpha) - 2.185 before it reaches the law; the quick fit gives
// the law, whose numbers snap to 2/3 and 1/3, and cleared of fractions it is also the shorter.
TEST(RationalFit, ClausiusMossottiAtOnePercentNoise) {
    ScratchDir dir("rational-fit");
    const auto table = run_kepler("gen feynman II.11.28 --rows 1000 --seed 3 --noise 0.01");
    ASSERT_EQ(table.exit_code, 0) << table.output;
    const std::string csv = dir.write("theta.csv", table.output);
    const auto r = run_kepler("fit " + csv +
                              " --target theta --unit-system feynman --max-evals 1000000 --threads 2 "
                              "--seed 3 --explain");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("rational function of the groups, 2/2 terms RMSE"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("best: theta = (2*n*alpha + 3)/(3 - n*alpha)\n"), std::string::npos) << r.output;
}

// A sound source moving towards the listener: f = f0/(1 - v/u), u the speed of sound. One group,
// v/u; the law is its Doppler factor.
TEST(RationalFit, DopplerFactorOfAMovingSource) {
    using kepler::testing::Column;
    const kepler::Table table = kepler::testing::law_table(
        "f", "Hz", {{"f0", "Hz", 200.0, 800.0}, {"v", "m/s", 10.0, 120.0}, {"u", "m/s", 300.0, 350.0}},
        [](const std::vector<double>& x) { return x[0] / (1.0 - x[1] / x[2]); }, 0.01, 5);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "f", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    const kepler::FoundLaw& best = result.front[result.best];
    EXPECT_EQ(best.formula, "f0/(1 - v/u)") << best.formula;
}

// Two sets of residuals with one RMS, one of which happens to have 5 % of its rows near zero:
// coded against 1e-9 of the target's RMS (no noise scale) the lucky one is a bit per row cheaper,
// which decides a pick between formulas that fit alike; at the noise scale they cost the same.
TEST(RationalFit, ResidualsAtTheNoiseScaleAreCodedByTheirSizeNotByLuckyRows) {
    const Eigen::Index n = 1000;
    std::mt19937_64 rng(11);
    std::normal_distribution<double> normal(0.0, 1.0);
    Eigen::VectorXd y(n), plain(n), lucky(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        y(i) = 10.0 + normal(rng);
        plain(i) = normal(rng);
        lucky(i) = i % 20 == 0 ? 1e-7 : plain(i);
    }
    lucky *= plain.norm() / lucky.norm();  // the same RMS
    const double rms_noise = plain.norm() / std::sqrt(static_cast<double>(n));
    const double no_scale = kepler::error_bits(y, y + plain) - kepler::error_bits(y, y + lucky);
    const double at_noise = kepler::error_bits(y, y + plain, rms_noise) - kepler::error_bits(y, y + lucky, rms_noise);
    EXPECT_GT(no_scale, 0.5);
    EXPECT_LT(std::abs(at_noise), 0.05);
    // A bias of half the noise still costs at the noise scale.
    const Eigen::VectorXd biased = (y + plain).array() + 0.5 * rms_noise;
    EXPECT_GT(kepler::error_bits(y, biased, rms_noise), kepler::error_bits(y, y + plain, rms_noise) + 0.02);
}

using kepler::testing::explains;

// An underdamped oscillator's frequency, omega = sqrt(k/m - b^2/(4*m^2)): the target's monomial
// sqrt(k/m) times the square root of 1 - b^2/(4*k*m), one group. The root fit finds it exactly
// at once, and the search ends there.
TEST(RootFit, DampedOscillatorFrequencyIsAnExactQuickFit) {
    const kepler::Table table = kepler::testing::law_table(
        "omega", "1/s", {{"k", "N/m", 50.0, 200.0}, {"m", "kg", 1.0, 3.0}, {"b", "kg/s", 1.0, 10.0}},
        [](const std::vector<double>& x) { return std::sqrt(x[0] / x[1] - x[2] * x[2] / (4.0 * x[1] * x[1])); }, 0.0,
        7);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "omega", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "square root of a rational function of the groups, 2 terms RMSE"));
    EXPECT_EQ(result.evaluations, 0u);  // no enumeration ran
    EXPECT_EQ(result.front[result.best].formula, "sqrt((k - 0.25*b^2/m)/m)");
}

// A Doppler shift between a receding source and observer in relativity,
// f = f0*sqrt((1 - v/c)/(1 + v/c)): the square root of a quotient, at 1 % noise.
TEST(RootFit, RelativisticDopplerShiftAtOnePercentNoise) {
    const kepler::Table table = kepler::testing::law_table(
        "f", "Hz", {{"f0", "Hz", 1e14, 5e14}, {"v", "m/s", 1e7, 2e8}, {"w", "m/s", 2.9e8, 3.1e8}},
        [](const std::vector<double>& x) { return x[0] * std::sqrt((1.0 - x[1] / x[2]) / (1.0 + x[1] / x[2])); }, 0.01,
        9);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "f", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "square root of a rational function of the groups, 2/2 terms RMSE"));
    // The root fit writes the law under the root, or (with its choices at noise) as one over the
    // root of the inverse quotient; the binomial root fit, f0*(1 - v/w)/sqrt(1 - v^2/w^2), writes
    // it over one, with both sides of the quotient negated (the normal form does not yet turn
    // the signs of a quotient's two sums). Each is the law.
    const std::string& formula = result.front[result.best].formula;
    EXPECT_TRUE(formula == "f0*sqrt(w - v)/sqrt(v + w)" || formula == "f0/sqrt((v + w)/(w - v))" ||
                formula == "f0/sqrt((-v - w)/(v - w))")
        << formula;
}

// Near the noise, the code at the noise scale weighs a better fit nearly as a Gaussian
// likelihood does: a systematic error of 30 % of the noise (RMSE 4.4 % above it, as m*c^2 against
// the relativistic energy at 10 % noise) costs at least 70 % of the Gaussian's bits, where the
// Cauchy code (eps = the noise) gave under half and lost the law to a shorter look-alike.
TEST(RationalFit, ASystematicErrorNearTheNoiseCostsNearlyItsGaussianBits) {
    const Eigen::Index n = 1000;
    std::mt19937_64 rng(5);
    std::normal_distribution<double> normal(0.0, 1.0);
    Eigen::VectorXd y(n), law(n), look_alike(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        law(i) = 10.0 + std::sin(0.01 * static_cast<double>(i));
        y(i) = law(i) + normal(rng);
        look_alike(i) = law(i) + 0.3 * std::sqrt(2.0) * std::sin(0.1 * static_cast<double>(i));
    }
    auto sum_of_squares = [&](const Eigen::VectorXd& p) { return (p - y).squaredNorm(); };
    const double gaussian = (sum_of_squares(look_alike) - sum_of_squares(law)) / (2.0 * std::numbers::ln2);
    const double coded =
        static_cast<double>(n) * (kepler::error_bits(y, look_alike, 1.0) - kepler::error_bits(y, law, 1.0));
    EXPECT_GT(gaussian, 40.0);
    EXPECT_GT(coded, 0.7 * gaussian);
    EXPECT_LT(coded, 1.3 * gaussian);
}

// A speed from its three components, v = sqrt(vx^2 + vy^2 + vz^2): vx times the square root of
// three terms of the groups vy/vx and vz/vx, found at stage 0.
TEST(RootFit, SpeedFromThreeComponentsIsAnExactQuickFit) {
    const kepler::Table table = kepler::testing::law_table(
        "v", "m/s", {{"vx", "m/s", 1.0, 5.0}, {"vy", "m/s", 1.0, 5.0}, {"vz", "m/s", 1.0, 5.0}},
        [](const std::vector<double>& x) { return std::sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]); }, 0.0, 3);
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "v", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "square root of a rational function of the groups, 3 terms RMSE"));
    EXPECT_EQ(result.evaluations, 0u);
}

// The force on a charge moving along z through a transverse field, F = q*vz*sqrt(Bx^2 + By^2),
// at 10 % noise with vz down to 0.02 m/s: on the rows of small vz the noise makes F negative,
// and y/(q*vz*Bx) there is mostly noise. The root fit takes the sign of the rows that matter
// (positive_but_noise) and fits y^2 = (q*vz*Bx)^2*R rather than (y/(q*vz*Bx))^2 = R.
TEST(RootFit, TransverseForceAtTenPercentNoiseWithRowsOfEitherSign) {
    const kepler::Table table = kepler::testing::law_table(
        "F", "N", {{"q", "C", 1.0, 5.0}, {"vz", "m/s", 0.02, 1.0}, {"Bx", "T", 1.0, 5.0}, {"By", "T", 1.0, 5.0}},
        [](const std::vector<double>& x) { return x[0] * x[1] * std::sqrt(x[2] * x[2] + x[3] * x[3]); }, 0.1, 7);
    ASSERT_TRUE((table.data.col(0).array() < 0.0).any());  // the noise changed the sign of some rows
    const kepler::DiscoveryResult result = kepler::testing::fit_in_si(table, "F", 1'000'000);
    ASSERT_LT(result.best, result.front.size());
    EXPECT_TRUE(explains(result, "square root of a rational function of the groups, 2 terms RMSE"));
    const std::string& best = result.front[result.best].formula;
    EXPECT_NE(best.find("sqrt("), std::string::npos) << best;
    EXPECT_NE(best.find("Bx^2"), std::string::npos) << best;
    EXPECT_NE(best.find("By^2"), std::string::npos) << best;
}
