#include <gtest/gtest.h>

#include <random>

#include "kepler/core/evaluator.hpp"
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
