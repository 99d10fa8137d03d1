// Quick fits: a power law in log space and a sparse polynomial by forward stepwise selection,
// each term with its own coefficient (and, with units, only terms whose coefficient may carry
// the dimension they need).
#include <gtest/gtest.h>

#include <optional>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/search/quick_fits.hpp"
#include "kepler/units/dimension.hpp"
#include "random_inputs.hpp"

using namespace kepler;
using kepler::testing::uniform_matrix;

namespace {

// The candidate of least RMSE among those of `kind_prefix`, as a copy (callers pass the
// temporary that quick_fits returns).
std::optional<QuickFit> best_of(const std::vector<QuickFit>& fits, const std::string& kind_prefix) {
    std::optional<QuickFit> best;
    for (const QuickFit& f : fits)
        if (f.kind.rfind(kind_prefix, 0) == 0 && (!best || f.rmse < best->rmse)) best = f;
    return best;
}

}  // namespace

TEST(QuickFits, PolynomialWithTermsOfTheirOwnCoefficients) {
    // U = I*(a*T + b): two terms, no intercept, found in two steps.
    const Eigen::MatrixXd X = uniform_matrix(400, 3, 1.0, 5.0, 1);  // I, T, and a distractor
    const Eigen::VectorXd y = (X.col(0).array() * (0.0096 * X.col(1).array() - 0.32)).matrix();
    const std::vector<QuickFit> fits = quick_fits(X, y);
    const std::optional<QuickFit> best = best_of(fits, "polynomial");
    ASSERT_TRUE(best.has_value());
    EXPECT_EQ(best->kind, "polynomial, 2 terms") << to_infix(best->formula, {});
    EXPECT_LT(best->rmse, 1e-12) << to_infix(best->formula, {});
    const Eigen::MatrixXd fresh = uniform_matrix(50, 3, 0.5, 8.0, 2);
    const Eigen::VectorXd truth = (fresh.col(0).array() * (0.0096 * fresh.col(1).array() - 0.32)).matrix();
    EXPECT_LT((Evaluator{}(best->formula, fresh) - truth).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(QuickFits, PowerLawExponentsSnapToHalvesAndThirds) {
    const Eigen::MatrixXd X = uniform_matrix(300, 2, 1.0, 4.0, 3);
    const Eigen::VectorXd y = (2.5 * X.col(0).array().sqrt() / X.col(1).array().pow(1.0 / 3.0)).matrix();
    const std::optional<QuickFit> p = best_of(quick_fits(X, y), "power law");
    ASSERT_TRUE(p.has_value());
    EXPECT_LT(p->rmse, 1e-12) << to_infix(p->formula, {});
}

TEST(QuickFits, NoPowerLawForATargetThatChangesSign) {
    const Eigen::MatrixXd X = uniform_matrix(200, 2, 1.0, 4.0, 4);
    const Eigen::VectorXd y = (X.col(0).array() - X.col(1).array()).matrix();
    EXPECT_FALSE(best_of(quick_fits(X, y), "power law").has_value());
    const std::optional<QuickFit> poly = best_of(quick_fits(X, y), "polynomial");
    ASSERT_TRUE(poly.has_value());
    EXPECT_LT(poly->rmse, 1e-12);
}

TEST(QuickFits, UnitsKeepOnlyTermsThatCanHaveTheTargetsDimension) {
    // x0 is a length, x1 a time; y (a length) = 3*x0 + x0*x1^2 numerically, but x0*x1^2 is not
    // a length and the scale must be a pure number: only 3*x0 may enter.
    const Eigen::MatrixXd X = uniform_matrix(300, 2, 1.0, 3.0, 5);
    const Eigen::VectorXd y = (3.0 * X.col(0).array() + X.col(0).array() * X.col(1).array().square()).matrix();
    DimensionalConstraints dims;
    dims.variables = {Dimension::base(1), Dimension::base(2)};
    dims.target = Dimension::base(1);
    QuickFitOptions options;
    options.dimensions = dims;
    for (const QuickFit& f : quick_fits(X, y, options)) {
        EXPECT_GT(f.rmse, 1e-3) << to_infix(f.formula, {});
        for (const Node& n : f.formula.nodes())
            EXPECT_FALSE(n.op == Op::Var && n.index == 1) << to_infix(f.formula, {});
    }
    // A free scale (an unknown dimensional constant per term) admits it.
    dims.scale = DimensionalConstraints::Scale::Free;
    options.dimensions = dims;
    const std::optional<QuickFit> best = best_of(quick_fits(X, y, options), "polynomial");
    ASSERT_TRUE(best.has_value());
    EXPECT_LT(best->rmse, 1e-12);
}

TEST(QuickFits, KeepToTheOperatorsAllowed) {
    // `--ops '*,/'`: no sums, so no polynomial; the power law x0/x1 is still written.
    const Eigen::MatrixXd X = uniform_matrix(200, 2, 1.0, 4.0, 8);
    QuickFitOptions options;
    options.operators = {Op::Mul, Op::Div};
    const Eigen::VectorXd ratio = (3.0 * X.col(0).array() / X.col(1).array()).matrix();
    const std::vector<QuickFit> fits = quick_fits(X, ratio, options);
    ASSERT_EQ(fits.size(), 1u);
    EXPECT_EQ(fits[0].kind, "power law");
    EXPECT_LT(fits[0].rmse, 1e-12);
    // sqrt(x0) needs sqrt, which these operators lack.
    const Eigen::VectorXd root = X.col(0).array().sqrt().matrix();
    EXPECT_TRUE(quick_fits(X, root, options).empty());
    options.operators.push_back(Op::Sqrt);
    EXPECT_EQ(quick_fits(X, root, options).size(), 1u);
}

TEST(QuickFits, RejectsNonFiniteInput) {
    Eigen::MatrixXd X = uniform_matrix(10, 1, 1.0, 2.0, 6);
    Eigen::VectorXd y = X.col(0);
    y(3) = std::nan("");
    EXPECT_THROW(quick_fits(X, y), std::invalid_argument);
}

TEST(QuickFits, AnExactOneEndsDiscovery) {
    // x0*x1 + x2*x3^2: a polynomial of degree 3 in 4 inputs, exact after stage 0; the
    // enumerations do not run (their explanation lines are absent).
    const Eigen::MatrixXd X = uniform_matrix(300, 4, 1.0, 5.0, 7);
    Table table;
    table.names = {"y", "a", "b", "c", "d"};
    table.units = {"", "", "", "", ""};
    table.data.resize(X.rows(), 5);
    table.data.col(0) = (X.col(0).array() * X.col(1).array() + X.col(2).array() * X.col(3).array().square()).matrix();
    table.data.rightCols(4) = X;
    const DiscoveryResult result = discover(table, "y", DiscoverOptions{});
    ASSERT_NE(result.best_law(), nullptr);
    EXPECT_LE(result.best_law()->max_relative_error, 1e-9) << result.best_law()->formula;
    EXPECT_EQ(result.best_law()->formula, "a*b + c*d^2");
    bool quick_exact = false, enumerated = false;
    for (const std::string& line : result.explanation) {
        quick_exact = quick_exact || (line.rfind("stage 0", 0) == 0 && line.find("(exact)") != std::string::npos);
        enumerated = enumerated || line.rfind("stage 2", 0) == 0;
    }
    EXPECT_TRUE(quick_exact);
    EXPECT_FALSE(enumerated);
}
