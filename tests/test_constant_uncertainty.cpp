// Standard errors of fitted constants (fitting/constant_uncertainty.hpp) against the textbook
// formulas of linear regression, on a trade-off that makes J^T J singular, and at magnitudes a
// plain sum of squares cannot handle.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/constant_uncertainty.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "random_inputs.hpp"

using namespace kepler;

namespace {

const std::vector<std::string> kNames{"x", "z"};

Expression parse(const std::string& text) { return grammar::parse_formula(text, kNames); }

std::string number(double v) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", v);
    return buffer;
}

}  // namespace

TEST(ConstantUncertainty, MatchesLinearRegressionStandardErrors) {
    const Eigen::Index n = 200;
    const Eigen::MatrixXd X = kepler::testing::uniform_matrix(n, 2, 1.0, 5.0, 3);
    std::mt19937_64 rng(4);
    std::normal_distribution<double> noise(0.0, 0.3);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) y(i) = 1.37 + 2.71 * X(i, 0) + noise(rng);
    // The least-squares line and its textbook standard errors.
    const Eigen::VectorXd x = X.col(0);
    const double mx = x.mean(), my = y.mean();
    const double sxx = (x.array() - mx).square().sum();
    const double b = ((x.array() - mx) * (y.array() - my)).sum() / sxx;
    const double a = my - b * mx;
    const double s2 = (y.array() - a - b * x.array()).square().sum() / static_cast<double>(n - 2);
    const double se_b = std::sqrt(s2 / sxx);
    const double se_a = std::sqrt(s2 * (1.0 / static_cast<double>(n) + mx * mx / sxx));

    const std::vector<FittedConstant> c = constant_uncertainty(parse(number(a) + " + " + number(b) + "*x"), X, y);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].value, a);
    EXPECT_EQ(c[1].value, b);
    EXPECT_NEAR(c[0].standard_error, se_a, 0.05 * se_a);
    EXPECT_NEAR(c[1].standard_error, se_b, 0.05 * se_b);
}

TEST(ConstantUncertainty, ReportsOnlyFittedConstants) {
    const Eigen::MatrixXd X = kepler::testing::uniform_matrix(50, 2, 1.0, 5.0, 5);
    const Eigen::VectorXd y = Evaluator{}(parse("2*x + z/3 + 0.5*z"), X);
    // 2, 1/3 and 0.5 are stated values, not fitted ones.
    EXPECT_TRUE(constant_uncertainty(parse("2*x + z/3 + 0.5*z"), X, y).empty());
    const std::vector<FittedConstant> c = constant_uncertainty(parse("2*x + 0.8333333*z"), X, y);
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].value, 0.8333333);
    EXPECT_GT(c[0].standard_error, 0.0);
}

TEST(ConstantUncertainty, ConstantsThatTradeOffGetAnInfiniteErrorInsteadOfACrash) {
    const Eigen::MatrixXd X = kepler::testing::uniform_matrix(100, 2, 1.0, 5.0, 6);
    Eigen::VectorXd y = Evaluator{}(parse("3.7*x + z"), X);
    y += 0.01 * kepler::testing::uniform_matrix(100, 1, -1.0, 1.0, 7);
    // 1.3*2.8462 is one number written twice: only the product is determined.
    const std::vector<FittedConstant> c = constant_uncertainty(parse("1.3*(2.8462*x) + 1.7*z"), X, y);
    ASSERT_EQ(c.size(), 3u);
    EXPECT_TRUE(std::isinf(c[0].standard_error));
    EXPECT_TRUE(std::isinf(c[1].standard_error));
    EXPECT_TRUE(std::isfinite(c[2].standard_error));  // z's coefficient is still determined
    EXPECT_GT(c[2].standard_error, 0.0);
}

TEST(ConstantUncertainty, WorksAtAnyMagnitude) {
    const Eigen::MatrixXd X = kepler::testing::uniform_matrix(100, 2, 1.0, 5.0, 8);
    Eigen::VectorXd y = Evaluator{}(parse("3.7*x"), X);
    y += 0.01 * kepler::testing::uniform_matrix(100, 1, -1.0, 1.0, 9);
    const double plain = constant_uncertainty(parse("3.7000123*x"), X, y)[0].standard_error;
    ASSERT_GT(plain, 0.0);
    // The same table measured in units 1e-300 smaller: the relative error is the same.
    const Eigen::VectorXd tiny = y * 1e-300;
    const std::vector<FittedConstant> c = constant_uncertainty(parse("3.7000123e-300*x"), X, tiny);
    ASSERT_EQ(c.size(), 1u);
    EXPECT_NEAR(c[0].standard_error / 1e-300, plain, 1e-6 * plain);
}
