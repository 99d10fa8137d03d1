// The model-free noise estimate must find the noise a table was given, within a known factor,
// report (almost) none on exact smooth laws, not take a steep law for noise, and not depend on
// units, the row order or anything but the seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

#include "feynman_test_laws.hpp"
#include "kepler/grammar/law_file.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/structure/noise_estimate.hpp"
#include "kepler/structure/surrogate.hpp"
#include "uniform_table.hpp"

using namespace kepler;

namespace {

struct LawTable {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    double rms = 0.0;       // of the law's values, without noise
    double noise_sd = 0.0;  // the noise's standard deviation as drawn (noise * rms)
};

// A Feynman law's table as the benchmark makes it (datasets::uniform_table, 1,000 rows).
LawTable feynman_table(const std::string& id, double noise, std::size_t rows = 1000, std::uint64_t seed = 1) {
    const datasets::LawSpec spec = kepler::testing::spec_of(kepler::testing::feynman_law(id));
    const Table clean = datasets::uniform_table(spec, rows, seed, 0.0);
    const Table noisy = datasets::uniform_table(spec, rows, seed, noise);
    LawTable t;
    t.X = noisy.data.rightCols(noisy.data.cols() - 1);
    t.y = noisy.data.col(0);
    const Eigen::VectorXd y0 = clean.data.col(0);
    t.rms = std::sqrt(y0.squaredNorm() / static_cast<double>(rows));
    t.noise_sd = std::sqrt((t.y - y0).squaredNorm() / static_cast<double>(rows));
    return t;
}

double ratio(const std::string& id, double noise) {
    const LawTable t = feynman_table(id, noise);
    return estimate_noise(t.X, t.y).sd / t.noise_sd;
}

}  // namespace

// Measured (seed 1, estimate / drawn noise): 0.97-1.04 at noise 0.01 and at 0.1.
TEST(NoiseEstimate, FindsTheNoiseOnLawsOfOneToFourInputs) {
    for (const char* id : {"I.6.2a", "I.12.1", "II.11.28", "I.14.3", "I.15.1", "II.24.17", "I.15.3x", "I.18.4",
                           "II.11.27", "III.10.19"}) {
        for (double noise : {0.01, 0.1}) {
            const double r = ratio(id, noise);
            EXPECT_GT(r, 0.9) << id << " at noise " << noise;
            EXPECT_LT(r, 1.1) << id << " at noise " << noise;
        }
    }
}

// Five to nine inputs at noise 0.1: measured 0.99-1.36 (local fits span more of the box, and the
// law's curvature adds to the residuals); at noise 0.01 the same laws give 1.0-7.7 (see the header).
TEST(NoiseEstimate, FindsLargeNoiseOnLawsOfFiveToNineInputs) {
    for (const char* id : {"I.12.11", "II.11.3", "II.35.18", "I.11.19", "I.9.18", "II.36.38"}) {
        const double r = ratio(id, 0.1);
        EXPECT_GT(r, 0.9) << id;
        EXPECT_LT(r, 1.4) << id;
    }
}

// Measured without noise, estimate / rms(y): 3e-9 (I.6.2a), 4e-16 (I.12.1), 4e-6 (II.11.28),
// 2e-4 (I.14.3), 6e-5 (I.15.1), 2e-4 (I.15.3x).
TEST(NoiseEstimate, FindsAlmostNoNoiseOnExactSmoothLaws) {
    for (const char* id : {"I.6.2a", "I.12.1", "II.11.28"}) {
        const LawTable t = feynman_table(id, 0.0);
        EXPECT_LT(estimate_noise(t.X, t.y).sd, 1e-5 * t.rms) << id;
    }
    for (const char* id : {"I.14.3", "I.15.1", "I.15.3x"}) {
        const LawTable t = feynman_table(id, 0.0);
        EXPECT_LT(estimate_noise(t.X, t.y).sd, 1e-3 * t.rms) << id;
    }
}

// A steep law (a pole just outside the range, and an exponential) is not noise: the median of
// the local residuals ignores the few rows where the local fit bends too little.
TEST(NoiseEstimate, DoesNotTakeASteepLawForNoise) {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> uniform(1.0, 3.0);
    const int rows = 1000;
    Eigen::MatrixXd X(rows, 2);
    Eigen::VectorXd pole(rows), exponential(rows);
    for (int i = 0; i < rows; ++i) {
        X(i, 0) = uniform(rng);
        X(i, 1) = uniform(rng);
        pole[i] = X(i, 1) / (X(i, 0) - 0.9);
        exponential[i] = std::exp(3.0 * X(i, 0)) * X(i, 1);
    }
    for (const Eigen::VectorXd* y : {&pole, &exponential}) {
        const double rms = std::sqrt(y->squaredNorm() / rows);
        EXPECT_LT(estimate_noise(X, *y).sd, 1e-3 * rms);
    }
}

// The two laws the surrogate's noise floor stopped early on at noise 0.01 (issue #13). Measured
// (seed 1, / drawn noise): this estimate 0.98 (I.15.3x) and 0.97 (II.11.28); the surrogate's
// noise 1.05 and 1.02 and its held-out RMSE 1.05 and 1.10, which the floor rule allows another
// 10% on top of: a formula 16-21% worse than the noise passed for "at the floor".
TEST(NoiseEstimate, AgreesWithTheDrawnNoiseWhereTheSurrogateFloorStoppedEarly) {
    for (const char* id : {"I.15.3x", "II.11.28"}) {
        const LawTable t = feynman_table(id, 0.01);
        const double r = estimate_noise(t.X, t.y).sd / t.noise_sd;
        EXPECT_GT(r, 0.95) << id;
        EXPECT_LT(r, 1.05) << id;
        SurrogateOptions so;
        const Surrogate surrogate = Surrogate::fit(t.X, t.y, so);
        EXPECT_LT(std::abs(r - 1.0), std::abs(surrogate.validation_rmse() / t.noise_sd - 1.0)) << id;
    }
}

TEST(NoiseEstimate, DoesNotDependOnUnits) {
    const LawTable t = feynman_table("I.15.1", 0.05);
    const double sd = estimate_noise(t.X, t.y).sd;
    Eigen::MatrixXd X = t.X;
    X.col(0) *= 1000.0;  // one input in other units
    EXPECT_NEAR(estimate_noise(X, t.y).sd, sd, 1e-9 * sd);
    const Eigen::VectorXd y = 10.0 * t.y.array() + 3.0;  // the target in other units, with an offset
    EXPECT_NEAR(estimate_noise(t.X, y).sd, 10.0 * sd, 1e-8 * sd);
}

TEST(NoiseEstimate, IsDeterministicForASeedAndUsesAtMostMaxRows) {
    const LawTable t = feynman_table("II.11.28", 0.05, 3000);
    const NoiseEstimate a = estimate_noise(t.X, t.y);
    const NoiseEstimate b = estimate_noise(t.X, t.y);
    EXPECT_EQ(a.rows, 2000u);
    EXPECT_EQ(a.sd, b.sd);
    NoiseEstimateOptions other;
    other.seed = 2;
    const NoiseEstimate c = estimate_noise(t.X, t.y, other);
    EXPECT_NE(c.sd, a.sd);                      // another subsample ...
    EXPECT_NEAR(c.sd, a.sd, 0.1 * t.noise_sd);  // ... of the same noise
}

TEST(NoiseEstimate, UsesLinearFitsAboveMaxQuadraticInputs) {
    const LawTable t = feynman_table("I.9.18", 0.1);  // nine inputs
    const NoiseEstimate e = estimate_noise(t.X, t.y);
    EXPECT_EQ(e.degree, 1);
    EXPECT_EQ(e.neighbours, 20u);  // twice the linear fit's 10 coefficients
    const LawTable small = feynman_table("I.12.1", 0.1);
    EXPECT_EQ(estimate_noise(small.X, small.y).degree, 2);
}

// discover() reports the estimate (in the units of the table's y) and says so in its explanation.
TEST(NoiseEstimate, DiscoverReportsItAndExplainsIt) {
    const grammar::Law& law = kepler::testing::feynman_law("II.11.28");
    const Table table = datasets::uniform_table(kepler::testing::spec_of(law), 1000, 1, 0.01);
    const LawTable t = feynman_table("II.11.28", 0.01);
    DiscoverOptions options;
    options.search.time_limit_seconds = 1.0;
    const DiscoveryResult found = discover(table, law.target, options);
    EXPECT_GT(found.noise_estimate, 0.9 * t.noise_sd);
    EXPECT_LT(found.noise_estimate, 1.1 * t.noise_sd);
    EXPECT_TRUE(std::any_of(found.explanation.begin(), found.explanation.end(),
                            [](const std::string& line) { return line.starts_with("noise estimate"); }));
}

TEST(NoiseEstimate, RejectsBadInput) {
    const Eigen::MatrixXd X = Eigen::MatrixXd::Random(50, 2);
    Eigen::VectorXd y = Eigen::VectorXd::Random(50);
    EXPECT_THROW(estimate_noise(X, Eigen::VectorXd::Random(49)), std::invalid_argument);
    EXPECT_THROW(estimate_noise(X.topRows(11), y.head(11)), std::invalid_argument);
    y[7] = std::nan("");
    EXPECT_THROW(estimate_noise(X, y), std::invalid_argument);
}
