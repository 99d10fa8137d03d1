// canonical(): equal formulas written differently get identical node arrays, different
// formulas stay different, and on random formulas the canonical form keeps the value and is
// idempotent.

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kepler/core/canonical.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/expression.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/random_expression.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/grammar/formula_parser.hpp"

namespace {

using kepler::canonical;
using kepler::equivalent_structure;
using kepler::Expression;
using kepler::Node;
using kepler::Op;
using kepler::grammar::parse_formula;

const std::vector<std::string> kNames{"x", "y", "a", "b", "c"};

Expression parse(const std::string& text) { return parse_formula(text, kNames); }

bool same(const std::string& p, const std::string& q) { return equivalent_structure(parse(p), parse(q)); }

std::string canon(const std::string& text) { return kepler::to_infix(canonical(parse(text)), kNames); }

// Rows of X on which every subexpression of `e` is finite and no sum or difference cancels
// to rounding noise: the domain on which canonical() promises the same value (folding x/x to 1
// or x - x to 0 changes results that pass through an infinity or divide by rounding noise).
std::vector<bool> well_conditioned(const Expression& e, const Eigen::MatrixXd& X) {
    std::vector<bool> ok(static_cast<std::size_t>(X.rows()), true);
    kepler::Evaluator ev;
    auto nodes = e.nodes();
    std::vector<Eigen::VectorXd> values(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        std::size_t begin = e.subtree_begin(i);
        Expression sub(std::vector<Node>(nodes.begin() + static_cast<std::ptrdiff_t>(begin),
                                         nodes.begin() + static_cast<std::ptrdiff_t>(i) + 1));
        values[i] = ev(sub, X);
        const Eigen::VectorXd& y = values[i];
        const bool additive = nodes[i].op == Op::Add || nodes[i].op == Op::Sub;
        const std::size_t right = i - 1, left = additive ? e.subtree_begin(right) - 1 : 0;
        for (Eigen::Index r = 0; r < X.rows(); ++r) {
            if (!std::isfinite(y(r)) || std::abs(y(r)) > 1e100) ok[static_cast<std::size_t>(r)] = false;
            if (additive && std::abs(y(r)) < 1e-9 * (std::abs(values[left](r)) + std::abs(values[right](r))))
                ok[static_cast<std::size_t>(r)] = false;
        }
    }
    return ok;
}

// Values of `e` and `f` agree on the rows of `X` where e is well conditioned.
// Tolerance: these formulas have cancellations, so compare relative to the size of the
// values plus a small absolute slack.
::testing::AssertionResult agree(const Expression& e, const Expression& f, const Eigen::MatrixXd& X) {
    kepler::Evaluator ev;
    Eigen::VectorXd y0 = ev(e, X), y1 = ev(f, X);
    std::vector<bool> ok = well_conditioned(e, X);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        if (!ok[static_cast<std::size_t>(i)]) continue;
        double scale = 1.0 + std::abs(y0(i));
        if (!(std::abs(y1(i) - y0(i)) <= 1e-8 * scale))
            return ::testing::AssertionFailure() << "row " << i << ": " << y0(i) << " vs " << y1(i);
    }
    return ::testing::AssertionSuccess();
}

}  // namespace

TEST(Canonical, CommutativeOperandsAreSorted) {
    EXPECT_TRUE(same("x*y", "y*x"));
    EXPECT_TRUE(same("(a+b)+c", "c+(b+a)"));
    EXPECT_TRUE(same("a+b+c", "c+(a+b)"));
    EXPECT_TRUE(same("2*x*y", "y*(x*2)"));
    EXPECT_TRUE(same("x*y*a*b", "b*(a*(y*x))"));
    EXPECT_TRUE(same("exp(x + y)*a", "a*exp(y + x)"));
    EXPECT_EQ(canonical(parse("x*y")), canonical(parse("y*x")));
}

TEST(Canonical, QuotientsPowersAndConstants) {
    EXPECT_TRUE(same("x/y", "x*y^-1"));
    EXPECT_TRUE(same("x/2", "0.5*x"));
    EXPECT_TRUE(same("8.314*x/(0.001*y)", "8314*x/y"));
    EXPECT_TRUE(same("x*x", "x^2"));
    EXPECT_TRUE(same("sqrt(x)*x", "x^1.5"));
    EXPECT_TRUE(same("(x*y)^2", "y^2*x^2"));
    EXPECT_TRUE(same("-(a - b)", "b - a"));
    EXPECT_TRUE(same("2*(a + b)", "2*b + 2*a"));
    EXPECT_TRUE(same("a - (b - c)", "c + a - b"));
    EXPECT_TRUE(same("x + x + y", "y + 2*x"));
    EXPECT_TRUE(same("1/sqrt(1 - x^2/y^2)", "(1 - (x/y)^2)^-0.5"));
    EXPECT_TRUE(same("exp(2*(a + b))", "exp(2*b + 2*a)"));
    EXPECT_TRUE(same("sqrt(2*(a + b))", "sqrt(2)*sqrt(b + a)"));
    EXPECT_TRUE(same("sqrt(4.0257*x)", "sqrt(4.0257)*sqrt(x)"));
    EXPECT_TRUE(same("sqrt(2*x)*sqrt(2*x)", "2*x"));
}

TEST(Canonical, DifferentFormulasStayDifferent) {
    EXPECT_FALSE(same("x+y", "x*y"));
    EXPECT_FALSE(same("x^2", "x^3"));
    EXPECT_FALSE(same("x/y", "y/x"));
    EXPECT_FALSE(same("x - y", "y - x"));
    EXPECT_FALSE(same("2*x", "3*x"));
    EXPECT_FALSE(same("exp(x)", "log(x)"));
    EXPECT_FALSE(same("sin(x)*y", "sin(x*y)"));
    EXPECT_FALSE(same("x + 1", "x + 2"));
}

TEST(Canonical, RoundingConstantsIsOptional) {
    Expression p = parse("3.14159265358979*x"), q = parse("3.141592653589791*x");
    EXPECT_FALSE(equivalent_structure(p, q));
    EXPECT_TRUE(equivalent_structure(p, q, true));
    Expression r = canonical(q, true);
    ASSERT_EQ(r.nodes()[0].op, Op::Const);
    EXPECT_EQ(r.nodes()[0].value, 3.14159265359);
}

TEST(Canonical, PrintsReadably) {
    EXPECT_EQ(canon("y*x"), "x*y");
    EXPECT_EQ(canon("b/a*2"), "2*b/a");
    EXPECT_EQ(canon("1 + c + a"), "a + c + 1");
    EXPECT_EQ(canon("y - x"), "-x + y");
    EXPECT_EQ(canon("y^2*exp(x)*x"), "x*y^2*exp(x)");
    EXPECT_EQ(canon("x^2*pi"), "pi*x^2");
}

// Random formulas: canonical() and simplify() keep the value, their results print and parse
// back to themselves, both are idempotent, and simplifying first does not change the
// canonical form (up to the last bits of folded constants). Two families, because
// merging fractional powers is only valid for positive bases: (1) + - * / neg and functions,
// no fractional powers, any signs; (2) + * / sqrt pow exp with positive constants, so every
// subexpression is positive.
TEST(Canonical, RandomFormulasKeepTheirValueAndAreIdempotent) {
    std::mt19937_64 rng(2024);
    Eigen::MatrixXd X(40, 3);
    std::uniform_real_distribution<double> u(0.5, 2.0);
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        for (Eigen::Index j = 0; j < X.cols(); ++j) X(i, j) = u(rng);

    const std::array<Op, 8> any_sign{Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Neg, Op::Exp, Op::Tanh, Op::Abs};
    const std::array<Op, 6> positive{Op::Add, Op::Mul, Op::Div, Op::Sqrt, Op::Pow, Op::Exp};
    int checked = 0;
    for (int family = 0; family < 2; ++family) {
        kepler::RandomExpressionOptions options;
        options.max_nodes = 48;
        options.variable_count = 3;
        options.constant_probability = 0.3;
        if (family == 0)
            options.operators = any_sign;
        else
            options.operators = positive;
        for (int k = 0; k < 300; ++k) {
            Expression e = kepler::random_expression(rng, options);
            if (family == 1) {
                for (Node& n : e.mutable_nodes())
                    if (n.op == Op::Const) n.value = std::abs(n.value);
            }
            Expression c = canonical(e);
            ASSERT_TRUE(c.well_formed());
            EXPECT_TRUE(agree(e, c, X)) << kepler::to_infix(e, kNames) << "  ->  " << kepler::to_infix(c, kNames);
            EXPECT_EQ(canonical(c), c) << kepler::to_infix(e, kNames) << "  ->  " << kepler::to_infix(c, kNames)
                                       << "  ->  " << kepler::to_infix(canonical(c), kNames);
            // The printed canonical form reads back to the same node array.
            EXPECT_EQ(parse(kepler::to_infix(c, kNames)), c) << kepler::to_infix(c, kNames);
            Expression r = canonical(e, true);
            EXPECT_EQ(canonical(r, true), r) << kepler::to_infix(r, kNames);

            Expression s = kepler::simplify(e);
            EXPECT_TRUE(agree(e, s, X)) << kepler::to_infix(e, kNames) << "  ->  " << kepler::to_infix(s, kNames);
            EXPECT_EQ(kepler::simplify(s), s) << kepler::to_infix(s, kNames);
            EXPECT_EQ(parse(kepler::to_infix(s, kNames)), s) << kepler::to_infix(s, kNames);
            EXPECT_EQ(canonical(s, true), r) << kepler::to_infix(s, kNames);
            ++checked;
        }
    }
    EXPECT_EQ(checked, 600);
}

TEST(Canonical, SwappingCommutativeOperandsInRandomFormulas) {
    // Rebuild each random formula with every + and * operand pair swapped: same canonical form.
    // Constants are compared rounded: a different order of the operands may round a folded
    // coefficient differently in its last bit.
    std::mt19937_64 rng(7);
    kepler::RandomExpressionOptions options;
    options.max_nodes = 25;
    options.variable_count = 3;
    const std::array<Op, 6> ops{Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Neg, Op::Exp};
    options.operators = ops;
    for (int k = 0; k < 200; ++k) {
        Expression e = kepler::random_expression(rng, options);
        // Swap by rebuilding from subtrees.
        std::vector<Expression> stack;
        for (const Node& n : e.nodes()) {
            int a = kepler::arity(n.op);
            if (a == 0) {
                stack.push_back(Expression({n}));
            } else if (a == 1) {
                stack.back() = Expression::unary(n.op, stack.back());
            } else {
                Expression r = stack.back();
                stack.pop_back();
                Expression l = stack.back();
                stack.back() =
                    kepler::is_commutative(n.op) ? Expression::binary(n.op, r, l) : Expression::binary(n.op, l, r);
            }
        }
        ASSERT_EQ(stack.size(), 1u);
        EXPECT_TRUE(equivalent_structure(e, stack.back(), true))
            << kepler::to_infix(canonical(e, true), kNames) << "  vs  "
            << kepler::to_infix(canonical(stack.back(), true), kNames);
    }
}
