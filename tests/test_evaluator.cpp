#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/random_expression.hpp"

using namespace kepler;

namespace {

// Reference: evaluate one row at a time with a plain value stack.
double evaluate_row(const Expression& e, const Eigen::MatrixXd& X, Eigen::Index r) {
    std::vector<double> s;
    for (const Node& n : e.nodes()) {
        double b = 0;
        if (arity(n.op) == 2) {
            b = s.back();
            s.pop_back();
        }
        double a = arity(n.op) >= 1 ? s.back() : 0.0;
        if (arity(n.op) >= 1) s.pop_back();
        double v = 0;
        switch (n.op) {
            case Op::Var:
                v = X(r, n.index);
                break;
            case Op::Const:
            case Op::Param:
                v = n.value;
                break;
            case Op::Pi:
                v = std::numbers::pi;
                break;
            case Op::Neg:
                v = -a;
                break;
            case Op::Sqrt:
                v = std::sqrt(a);
                break;
            case Op::Square:
                v = a * a;
                break;
            case Op::Exp:
                v = std::exp(a);
                break;
            case Op::Log:
                v = std::log(a);
                break;
            case Op::Sin:
                v = std::sin(a);
                break;
            case Op::Cos:
                v = std::cos(a);
                break;
            case Op::Tan:
                v = std::tan(a);
                break;
            case Op::Asin:
                v = std::asin(a);
                break;
            case Op::Acos:
                v = std::acos(a);
                break;
            case Op::Atan:
                v = std::atan(a);
                break;
            case Op::Tanh:
                v = std::tanh(a);
                break;
            case Op::Abs:
                v = std::abs(a);
                break;
            case Op::Add:
                v = a + b;
                break;
            case Op::Sub:
                v = a - b;
                break;
            case Op::Mul:
                v = a * b;
                break;
            case Op::Div:
                v = a / b;
                break;
            case Op::Pow:
                v = std::pow(a, b);
                break;
        }
        s.push_back(v);
    }
    return s.back();
}

}  // namespace

TEST(Evaluator, KnownFormulaOverSeveralBlocks) {
    // y = x0*x1 + 2 over 1000 rows (several 256-row blocks and a partial one).
    Eigen::MatrixXd X = Eigen::MatrixXd::Random(1000, 2);
    Expression e({Node::var(0), Node::var(1), Node::op_node(Op::Mul), Node::constant(2), Node::op_node(Op::Add)});
    Eigen::VectorXd y = Evaluator{}(e, X);
    Eigen::VectorXd expected = (X.col(0).array() * X.col(1).array() + 2.0).matrix();
    EXPECT_EQ(y, expected);
}

TEST(Evaluator, ParametersOverrideStoredValues) {
    Eigen::MatrixXd X(3, 1);
    X << 1, 2, 3;
    Expression e({Node::param(0, 1.0), Node::var(0), Node::op_node(Op::Mul)});
    Evaluator eval;
    EXPECT_EQ(eval(e, X), Eigen::Vector3d(1, 2, 3));
    std::vector<double> p{10.0};
    EXPECT_EQ(eval(e, X, p), Eigen::Vector3d(10, 20, 30));
}

TEST(Evaluator, ArithmeticMatchesRowByRowReferenceExactly) {
    // + - * / and negation are correctly rounded in both: the results must be identical.
    std::mt19937_64 rng(3);
    const std::array ops{Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Neg};
    RandomExpressionOptions options;
    options.max_nodes = 64;
    options.variable_count = 3;
    options.operators = ops;
    Eigen::MatrixXd X = Eigen::MatrixXd::Random(300, 3);
    Evaluator eval;
    for (int i = 0; i < 300; ++i) {
        Expression e = random_expression(rng, options);
        Eigen::VectorXd y = eval(e, X);
        for (Eigen::Index r = 0; r < X.rows(); ++r) {
            double ref = evaluate_row(e, X, r);
            if (std::isnan(ref))
                EXPECT_TRUE(std::isnan(y(r)));
            else
                EXPECT_EQ(y(r), ref);
        }
    }
}

TEST(Evaluator, EveryFunctionMatchesTheStandardLibrary) {
    // Vectorised elementary functions may differ from std:: in the last bits only. Composed
    // random formulas can amplify that without bound, so each operator is checked on its own.
    Eigen::MatrixXd X(512, 2);
    X.col(0) = Eigen::VectorXd::LinSpaced(512, -0.99, 0.99);
    X.col(1) = Eigen::VectorXd::LinSpaced(512, 0.01, 20.0);
    Evaluator eval;
    for (int k = static_cast<int>(Op::Neg); k <= static_cast<int>(Op::Pow); ++k) {
        const Op op = static_cast<Op>(k);
        Expression e = arity(op) == 1 ? Expression::unary(op, Expression::variable(0))
                                      : Expression::binary(op, Expression::variable(1), Expression::variable(0));
        Eigen::VectorXd y = eval(e, X);
        for (Eigen::Index r = 0; r < X.rows(); ++r) {
            double ref = evaluate_row(e, X, r);
            if (std::isnan(ref))
                EXPECT_TRUE(std::isnan(y(r))) << op_name(op);
            else
                EXPECT_NEAR(y(r), ref, 4e-16 * std::max(1.0, std::abs(ref))) << op_name(op) << " at row " << r;
        }
    }
}

TEST(Evaluator, RejectsAnExpressionUsingAMissingColumn) {
    Eigen::MatrixXd X = Eigen::MatrixXd::Ones(4, 1);
    EXPECT_THROW(Evaluator{}(Expression::variable(1), X), std::invalid_argument);
}
