#include <gtest/gtest.h>

#include <random>

#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/pipeline/polish_constants.hpp"

using namespace kepler;

namespace {

const std::vector<std::string> kNames{"x", "t"};

Expression parse(const std::string& text) { return grammar::parse_formula(text, kNames); }

}  // namespace

TEST(PolishConstants, RefitsConstantsInsideFunctions) {
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0.5, 3.0);
    Eigen::MatrixXd X(500, 2);
    for (Eigen::Index i = 0; i < X.rows(); ++i) X.row(i) << u(rng), u(rng);
    const Eigen::VectorXd y = Evaluator{}(parse("2.5*exp(-0.7*x) + t"), X);
    // Rough constants, as a search on a sample might leave them.
    const Expression rough = parse("2.4*exp(-0.68*x) + t");
    const Expression polished = polish_constants(rough, X, y);
    const Eigen::VectorXd fitted = Evaluator{}(polished, X);
    EXPECT_LT((fitted - y).norm() / y.norm(), 1e-10);
    // The integer-free structure stays: only constant values moved.
    EXPECT_EQ(polished.size(), rough.size());
}

TEST(PolishConstants, KeepsSmallIntegersAndAFormulaThatCannotImprove) {
    Eigen::MatrixXd X = Eigen::VectorXd::LinSpaced(100, 1.0, 5.0);
    X.conservativeResize(Eigen::NoChange, 2);
    X.col(1).setOnes();
    const Eigen::VectorXd y = (X.col(0).array().square()).matrix();
    const Expression exact = parse("x^2");
    EXPECT_EQ(polish_constants(exact, X, y), exact);  // nothing free to fit
}

TEST(PolishConstants, UsesASpreadSampleOfLargeTables) {
    const Eigen::Index n = 3 * kPolishRows + 7;
    Eigen::MatrixXd X(n, 2);
    X.col(0) = Eigen::VectorXd::LinSpaced(n, 1.0, 5.0);
    X.col(1).setOnes();
    const Eigen::VectorXd y = 3.25 * X.col(0);
    const Expression polished = polish_constants(parse("3.2*x"), X, y);
    EXPECT_NEAR(polished.nodes()[0].value, 3.25, 1e-10);
}

// III.19.51 at 10 % noise: the groups' law mapped to the inputs writes q^12 and x^(4/3), the
// powers the units fix. Polishing refits the scale only; freed, the exponents took the noise
// (q^11.57) and no units made the formula consistent.
TEST(PolishConstants, KeepsRationalExponentsAndRefitsTheScale) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    std::normal_distribution<double> noise(0.0, 0.1);
    Eigen::MatrixXd X(1000, 2);
    for (Eigen::Index i = 0; i < X.rows(); ++i) X.row(i) << u(rng), u(rng);
    Eigen::VectorXd y = Evaluator{}(parse("0.37*x^12*t^1.3333333333333333"), X);
    for (Eigen::Index i = 0; i < y.size(); ++i) y(i) *= 1.0 + noise(rng);
    const Expression rough = parse("0.35*x^12*t^1.3333333333333333");  // 4/3 as the mapping writes it
    const Expression polished = polish_constants(rough, X, y);
    std::vector<double> numbers;
    for (const Node& n : polished.nodes())
        if (n.op == Op::Const) numbers.push_back(n.value);
    ASSERT_EQ(numbers.size(), 3u) << "the scale, 12 and 4/3";
    EXPECT_NE(numbers[0], 0.35);  // the scale moved
    EXPECT_EQ(numbers[1], 12.0);
    EXPECT_EQ(numbers[2], 4.0 / 3.0);
    // A fitted exponent that is no simple rational is still free: the scale and 11.73.
    EXPECT_EQ(constants_to_parameters(parse("0.35*x^11.73*t^1.3333333333333333")).parameters(),
              (std::vector<double>{0.35, 11.73}));
}
