// The surrogate must reproduce a smooth law and its derivatives between the table's rows, say
// how well it does on held-out rows, and recover the noise level of noisy data.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>

#include "kepler/structure/surrogate.hpp"

using namespace kepler;

namespace {

struct Sample {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    double noise_sd = 0.0;  // the true standard deviation of the added noise
};

// Rows uniform in [low, high]^inputs; noise: Gaussian with sd = noise * RMS(y).
Sample sample(const std::function<double(const Eigen::RowVectorXd&)>& law, int inputs, int rows, double noise,
              double low = 1.0, double high = 3.0, std::uint64_t seed = 11) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(low, high);
    std::normal_distribution<double> gauss;
    Sample s;
    s.X.resize(rows, inputs);
    s.y.resize(rows);
    for (int i = 0; i < rows; ++i) {
        for (int k = 0; k < inputs; ++k) s.X(i, k) = uniform(rng);
        s.y[i] = law(s.X.row(i));
    }
    s.noise_sd = noise * std::sqrt(s.y.squaredNorm() / rows);
    for (int i = 0; i < rows; ++i) s.y[i] += s.noise_sd * gauss(rng);
    return s;
}

double law3(const Eigen::RowVectorXd& x) { return x[0] * x[1] + std::sin(x[2]); }

// Points inside the sampled box (away from its faces, where any smoother is weaker).
Eigen::MatrixXd inner_points(int inputs, int rows) {
    std::mt19937_64 rng(99);
    std::uniform_real_distribution<double> uniform(1.3, 2.7);
    Eigen::MatrixXd P(rows, inputs);
    for (int i = 0; i < rows; ++i)
        for (int k = 0; k < inputs; ++k) P(i, k) = uniform(rng);
    return P;
}

}  // namespace

TEST(Surrogate, FitsASmoothLawAndItsGradientWithoutNoise) {
    const Sample s = sample(law3, 3, 400, 0.0);
    const Surrogate model = Surrogate::fit(s.X, s.y);
    EXPECT_EQ(model.inputs(), 3u);
    EXPECT_LT(model.relative_validation_error(), 1e-3);
    EXPECT_LT(model.noise_estimate(), 1e-3 * std::sqrt(s.y.squaredNorm() / 400));

    const Eigen::MatrixXd P = inner_points(3, 100);
    const Eigen::VectorXd predicted = model.predict(P);
    const Eigen::MatrixXd gradient = model.gradient(P);
    ASSERT_EQ(gradient.rows(), 100);
    ASSERT_EQ(gradient.cols(), 3);
    for (int i = 0; i < 100; ++i) {
        EXPECT_NEAR(predicted[i], law3(P.row(i)), 1e-3);
        EXPECT_NEAR(gradient(i, 0), P(i, 1), 1e-2);
        EXPECT_NEAR(gradient(i, 1), P(i, 0), 1e-2);
        EXPECT_NEAR(gradient(i, 2), std::cos(P(i, 2)), 1e-2);
    }
}

TEST(Surrogate, GradientAgreesWithFiniteDifferencesOfItsPrediction) {
    const Sample s =
        sample([](const Eigen::RowVectorXd& x) { return std::exp(-(x[0] - x[1]) * (x[0] - x[1])); }, 2, 300, 0.01);
    const Surrogate model = Surrogate::fit(s.X, s.y);
    const Eigen::MatrixXd P = inner_points(2, 20);
    const Eigen::MatrixXd gradient = model.gradient(P);
    const double h = 1e-5;
    for (int k = 0; k < 2; ++k) {
        Eigen::MatrixXd up = P, down = P;
        up.col(k).array() += h;
        down.col(k).array() -= h;
        const Eigen::VectorXd central = (model.predict(up) - model.predict(down)) / (2 * h);
        for (int i = 0; i < 20; ++i) EXPECT_NEAR(gradient(i, k), central[i], 1e-5 * (1 + std::abs(central[i])));
    }
}

TEST(Surrogate, ValidationErrorAndNoiseEstimateFollowTheNoise) {
    const Sample s = sample(law3, 3, 600, 0.01);
    const Surrogate model = Surrogate::fit(s.X, s.y);
    // The held-out error is the noise plus a small model error.
    EXPECT_GT(model.validation_rmse(), 0.5 * s.noise_sd);
    EXPECT_LT(model.validation_rmse(), 2.0 * s.noise_sd);
    EXPECT_GT(model.noise_estimate(), 0.5 * s.noise_sd);
    EXPECT_LT(model.noise_estimate(), 2.0 * s.noise_sd);
    // Off the noisy rows, the model is closer to the law than the data are.
    const Eigen::MatrixXd P = inner_points(3, 200);
    const Eigen::VectorXd predicted = model.predict(P);
    double sse = 0;
    for (int i = 0; i < 200; ++i) sse += std::pow(predicted[i] - law3(P.row(i)), 2);
    EXPECT_LT(std::sqrt(sse / 200), s.noise_sd);
}

TEST(Surrogate, NoiseEstimateHoldsAtLargerNoiseAndMoreInputs) {
    const auto law = [](const Eigen::RowVectorXd& x) { return x[0] * x[1] / x[2] + x[3] - 0.5 * x[4] * x[4]; };
    const Sample s = sample(law, 5, 800, 0.05);
    const Surrogate model = Surrogate::fit(s.X, s.y);
    EXPECT_GT(model.noise_estimate(), 0.5 * s.noise_sd);
    EXPECT_LT(model.noise_estimate(), 2.0 * s.noise_sd);
}

TEST(Surrogate, AnInputTheLawIgnoresGetsNoGradient) {
    const Sample s = sample([](const Eigen::RowVectorXd& x) { return x[0] * x[0] + x[2]; }, 3, 400, 0.0);
    const Surrogate model = Surrogate::fit(s.X, s.y);
    const Eigen::MatrixXd gradient = model.gradient(inner_points(3, 50));
    EXPECT_LT(gradient.col(1).cwiseAbs().maxCoeff(), 1e-2);
    EXPECT_GT(gradient.col(0).cwiseAbs().minCoeff(), 2.0);
}

TEST(Surrogate, IsDeterministicForASeedAndUsesAtMostMaxRows) {
    const Sample s = sample(law3, 3, 900, 0.01);
    SurrogateOptions options;
    options.max_rows = 300;
    options.seed = 5;
    const Surrogate a = Surrogate::fit(s.X, s.y, options);
    const Surrogate b = Surrogate::fit(s.X, s.y, options);
    const Eigen::MatrixXd P = inner_points(3, 10);
    EXPECT_EQ(a.predict(P), b.predict(P));
    EXPECT_EQ(a.validation_rmse(), b.validation_rmse());
    options.seed = 6;
    const Surrogate c = Surrogate::fit(s.X, s.y, options);
    EXPECT_NE(a.validation_rmse(), c.validation_rmse());
    EXPECT_LT(c.relative_validation_error(), 0.05);
}

TEST(Surrogate, RejectsBadInput) {
    const Sample s = sample(law3, 3, 50, 0.0);
    EXPECT_THROW(Surrogate::fit(s.X, s.y.head(40)), std::invalid_argument);
    EXPECT_THROW(Surrogate::fit(s.X.topRows(5), s.y.head(5)), std::invalid_argument);
    Eigen::VectorXd bad = s.y;
    bad[3] = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(Surrogate::fit(s.X, bad), std::invalid_argument);
    const Surrogate model = Surrogate::fit(s.X, s.y);
    EXPECT_THROW(model.predict(Eigen::MatrixXd::Zero(2, 4)), std::invalid_argument);
    EXPECT_THROW(model.gradient(Eigen::MatrixXd::Zero(2, 2)), std::invalid_argument);
}
