// The unary square operator (Op::Square, x -> x*x): its value, its derivative, its dimension,
// its normal form (square(z) is z^2), its text names, and that the searches reach laws with
// squared sub-formulas that z*z or z^2 would make too long.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "kepler/core/canonical.hpp"
#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/search/evolution.hpp"
#include "kepler/search/search_options.hpp"
#include "kepler/units/dimension_check.hpp"
#include "random_inputs.hpp"

using namespace kepler;

namespace {

Expression square(const Expression& a) { return Expression::unary(Op::Square, a); }
Expression var(std::uint16_t k) { return Expression::variable(k); }
Expression bin(Op op, const Expression& a, const Expression& b) { return Expression::binary(op, a, b); }

// Largest relative difference between `e` and the law on fresh rows.
double worst_relative_error(const Expression& e, const std::function<double(const Eigen::MatrixXd&, Eigen::Index)>& law,
                            const Eigen::MatrixXd& fresh) {
    const Eigen::VectorXd predicted = Evaluator{}(e, fresh);
    double worst = 0.0;
    for (Eigen::Index r = 0; r < fresh.rows(); ++r) {
        const double expected = law(fresh, r);
        worst = std::max(worst, std::abs(predicted(r) - expected) / std::abs(expected));
    }
    return worst;
}

using Law = std::function<double(const Eigen::MatrixXd&, Eigen::Index)>;

// The enumerator with the default operators on 500 rows of `inputs` columns in [1, 3]: exact,
// right on fresh rows to 1e-9; returns the best formula.
Expression expect_enumerator_finds(const Law& law, Eigen::Index inputs, std::uint64_t seed) {
    const Eigen::MatrixXd X = kepler::testing::uniform_matrix(500, inputs, 1.0, 3.0, seed);
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index r = 0; r < X.rows(); ++r) y(r) = law(X, r);
    SearchOptions options;
    options.time_limit_seconds = 20.0;
    const SearchReport report = enumerate_search(X, y, options);
    if (report.front.empty()) {
        ADD_FAILURE() << "empty front";
        return Expression::constant(0.0);
    }
    const Expression best = report.front.best().expression;
    EXPECT_TRUE(report.exact) << to_infix(best, {});
    EXPECT_LE(worst_relative_error(best, law, kepler::testing::uniform_matrix(200, inputs, 1.0, 3.0, seed + 1)), 1e-9)
        << to_infix(best, {});
    return best;
}

}  // namespace

TEST(SquareOperator, IsAUnaryFunctionNamedSquare) {
    EXPECT_EQ(arity(Op::Square), 1);
    EXPECT_EQ(op_name(Op::Square), "square");
    Op op = Op::Const;
    ASSERT_TRUE(unary_function_from_name("square", op));
    EXPECT_EQ(op, Op::Square);
}

TEST(SquareOperator, EvaluatesToTheSquare) {
    Eigen::MatrixXd X(600, 1);  // more than two 256-row blocks
    X.col(0) = Eigen::VectorXd::LinSpaced(600, -7.5, 3.25);
    const Eigen::VectorXd y = Evaluator{}(square(var(0)), X);
    for (Eigen::Index r = 0; r < X.rows(); ++r) EXPECT_EQ(y(r), X(r, 0) * X(r, 0));
}

TEST(SquareOperator, DerivativeIsTwiceTheArgument) {
    // square(x0 + p0) at p0 = 0: value x0^2, d/dp0 = 2*x0.
    Eigen::MatrixXd X(300, 1);
    X.col(0) = Eigen::VectorXd::LinSpaced(300, -4.0, 5.0);
    Expression e = bin(Op::Add, var(0), Expression(std::vector<Node>{Node::param(0, 0.0)}));
    e = square(e);
    const std::vector<double> p{0.0};
    Eigen::VectorXd values;
    Eigen::MatrixXd jacobian;
    evaluate_with_jacobian(e, X, p, values, jacobian);
    ASSERT_EQ(jacobian.cols(), 1);
    for (Eigen::Index r = 0; r < X.rows(); ++r) {
        EXPECT_EQ(values(r), X(r, 0) * X(r, 0));
        EXPECT_EQ(jacobian(r, 0), 2.0 * X(r, 0));
    }
}

TEST(SquareOperator, DoublesTheDimension) {
    Dimension length;
    length.set_exponent(1, 1);
    Dimension area;
    area.set_exponent(1, 2);
    const std::vector<Dimension> vars{length, Dimension{}};
    EXPECT_EQ(dimension_of(square(var(0)), vars), area);
    EXPECT_EQ(dimension_of(square(var(1)), vars), Dimension{});
    // A constant folds through square: length^square(1.5) is length^(9/4).
    Dimension power;
    power.set_exponent(1, Rational(9, 4));
    EXPECT_EQ(dimension_of(bin(Op::Pow, var(0), square(Expression::constant(1.5))), vars), power);
}

TEST(SquareOperator, SimplifiesToAPowerOfTwo) {
    const std::vector<std::string> names{"a", "b"};
    const Expression difference = bin(Op::Sub, var(0), var(1));
    EXPECT_EQ(to_infix(simplify(square(difference)), names), "(a - b)^2");
    // square(z) and z^2 have one normal form, so one complexity and one canonical form.
    const Expression power = bin(Op::Pow, difference, Expression::constant(2.0));
    EXPECT_EQ(simplify(square(difference)), simplify(power));
    EXPECT_EQ(canonical(square(difference)), canonical(power));
    ComplexityModel model;
    EXPECT_EQ(model.bits(simplify(square(difference))), model.bits(simplify(power)));
    // square(sqrt(a)) is a; a constant folds.
    EXPECT_EQ(to_infix(simplify(square(Expression::unary(Op::Sqrt, var(0)))), names), "a");
    EXPECT_EQ(to_infix(simplify(square(Expression::constant(3.0))), names), "9");
}

TEST(SquareOperator, PrintsAndParses) {
    const std::vector<std::string> names{"a", "b"};
    const Expression e = square(bin(Op::Sub, var(0), var(1)));
    // The infix text reads back to the same nodes; SymPy and LaTeX have no square function.
    EXPECT_EQ(to_infix(e, names), "square(a - b)");
    EXPECT_EQ(grammar::parse_formula("square(a - b)", names), e);
    EXPECT_EQ(to_sympy(e, names), "(a - b)**2");
    EXPECT_EQ(to_latex(e, names), "\\left(a - b\\right)^{2}");
    EXPECT_EQ(to_sympy(square(var(0)), names), "a**2");
}

TEST(SquareOperator, IsASearchOperatorByDefaultAndByName) {
    EXPECT_EQ(operators_from_names("square"), std::vector<Op>{Op::Square});
    EXPECT_EQ(operators_from_names("+, square ,sqrt"), (std::vector<Op>{Op::Add, Op::Square, Op::Sqrt}));
    const std::vector<Op> defaults = default_search_operators();
    EXPECT_NE(std::find(defaults.begin(), defaults.end(), Op::Square), defaults.end());
}

// exp(-(x0 - x1)^2): the enumerator fits log y = -square(x0 - x1), 4 nodes; without square it
// finds exp((x0 - x1)*(x1 - x0)) at 7, so the law must come in its square form.
TEST(SquareOperator, EnumeratorFindsAGaussianOfADifference) {
    const Expression best = expect_enumerator_finds(
        [](const Eigen::MatrixXd& X, Eigen::Index r) {
            const double d = X(r, 0) - X(r, 1);
            return std::exp(-d * d);
        },
        2, 11);
    const auto nodes = best.nodes();
    EXPECT_TRUE(std::any_of(nodes.begin(), nodes.end(), [](const Node& n) { return n.op == Op::Square; }))
        << to_infix(best, {});
}

// exp(-((x0 - x1)/x2)^2/2): log y = -0.5*square((x0 - x1)/x2), 6 nodes; spelled z*z it is 11,
// beyond what the enumerator reaches (without square it stops at its memory cap, level 8,
// after some 6 s with no exact law).
TEST(SquareOperator, EnumeratorFindsAGaussianWithAWidth) {
    expect_enumerator_finds(
        [](const Eigen::MatrixXd& X, Eigen::Index r) {
            const double z = (X(r, 0) - X(r, 1)) / X(r, 2);
            return std::exp(-z * z / 2);
        },
        3, 13);
}
