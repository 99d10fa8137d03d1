#include <gtest/gtest.h>

#include <stdexcept>

#include "kepler/core/complexity.hpp"
#include "kepler/core/expression.hpp"

using namespace kepler;

namespace {

// x0*x1 + 2
Expression sample() {
    return Expression({Node::var(0), Node::var(1), Node::op_node(Op::Mul), Node::constant(2), Node::op_node(Op::Add)});
}

}  // namespace

TEST(Expression, ArityAndNames) {
    EXPECT_EQ(arity(Op::Var), 0);
    EXPECT_EQ(arity(Op::Pi), 0);
    EXPECT_EQ(arity(Op::Sqrt), 1);
    EXPECT_EQ(arity(Op::Abs), 1);
    EXPECT_EQ(arity(Op::Add), 2);
    EXPECT_EQ(arity(Op::Pow), 2);
    EXPECT_EQ(op_name(Op::Tanh), "tanh");
    Op op;
    ASSERT_TRUE(unary_function_from_name("asin", op));
    EXPECT_EQ(op, Op::Asin);
    EXPECT_FALSE(unary_function_from_name("foo", op));
}

TEST(Expression, RejectsMalformedPostfix) {
    EXPECT_THROW(Expression({Node::var(0), Node::op_node(Op::Add)}), std::invalid_argument);
    EXPECT_THROW(Expression({Node::var(0), Node::var(1)}), std::invalid_argument);
    EXPECT_THROW(Expression(std::vector<Node>{}), std::invalid_argument);
}

TEST(Expression, StackDepthAndCounts) {
    Expression e = sample();
    EXPECT_TRUE(e.well_formed());
    EXPECT_EQ(e.size(), 5u);
    EXPECT_EQ(e.stack_depth(), 2u);
    EXPECT_EQ(e.variable_count(), 2u);
    EXPECT_EQ(e.parameter_count(), 0u);
    EXPECT_EQ(e.subtree_begin(2), 0u);  // x0*x1 spans nodes 0..2
    EXPECT_EQ(e.subtree_begin(4), 0u);
    EXPECT_EQ(e.subtree_begin(3), 3u);
}

TEST(Expression, SubtreesAreCutOutAndReplacedInPlace) {
    const Expression e = sample();  // x0*x1 + 2: nodes x0 x1 * 2 +
    EXPECT_EQ(e.subtree(2), Expression::binary(Op::Mul, Expression::variable(0), Expression::variable(1)));
    EXPECT_EQ(e.subtree(3), Expression::constant(2.0));
    const Expression replaced = e.with_subtree_replaced(2, Expression::unary(Op::Cos, Expression::variable(1)));
    EXPECT_EQ(replaced, Expression::binary(Op::Add, Expression::unary(Op::Cos, Expression::variable(1)),
                                           Expression::constant(2.0)));
    EXPECT_EQ(e.with_subtree_replaced(4, Expression::variable(0)), Expression::variable(0));
}

TEST(Expression, NegationOfConstantIsFolded) {
    Expression e;
    e.push(Node::constant(2.5));
    e.push(Node::op_node(Op::Neg));
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e.nodes()[0].op, Op::Const);
    EXPECT_EQ(e.nodes()[0].value, -2.5);
    // A negated variable stays a negation.
    Expression v = Expression::unary(Op::Neg, Expression::variable(0));
    EXPECT_EQ(v.size(), 2u);
}

TEST(Expression, ParametersCanBeReadSetAndFrozen) {
    Expression e(
        {Node::param(0, 3.0), Node::var(0), Node::op_node(Op::Mul), Node::param(1, -1.0), Node::op_node(Op::Add)});
    EXPECT_EQ(e.parameter_count(), 2u);
    EXPECT_EQ(e.parameters(), (std::vector<double>{3.0, -1.0}));
    std::vector<double> fitted{4.0, 0.5};
    e.set_parameters(fitted);
    EXPECT_EQ(e.parameters(), fitted);
    Expression frozen = e.with_parameters_frozen();
    EXPECT_EQ(frozen.parameter_count(), 0u);
    EXPECT_EQ(frozen.nodes()[0].op, Op::Const);
    EXPECT_EQ(frozen.nodes()[0].value, 4.0);
}

TEST(Expression, StructuralHashSeparatesDifferentFormulas) {
    Expression a = sample();
    Expression b = sample();
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.hash(), b.hash());
    Expression swapped({Node::var(1), Node::var(0), Node::op_node(Op::Mul), Node::constant(2), Node::op_node(Op::Add)});
    EXPECT_NE(a, swapped);
    EXPECT_NE(a.hash(), swapped.hash());
    Expression other_constant(
        {Node::var(0), Node::var(1), Node::op_node(Op::Mul), Node::constant(3), Node::op_node(Op::Add)});
    EXPECT_NE(a.hash(), other_constant.hash());
}

TEST(Complexity, IntegersAndRationalsCostLessThanRealConstants) {
    ComplexityModel model;
    model.variable_count = 2;
    EXPECT_LT(model.constant_bits(2.0), model.constant_bits(0.5));
    EXPECT_LT(model.constant_bits(0.5), model.constant_bits(2.0137));
    EXPECT_DOUBLE_EQ(model.constant_bits(2.0137), ComplexityModel::kRealConstantBits);
    EXPECT_DOUBLE_EQ(model.constant_bits(1.0), 2.0);  // log2(2) + sign bit
    Expression two_x({Node::constant(2), Node::var(0), Node::op_node(Op::Mul)});
    Expression real_x({Node::constant(2.0137), Node::var(0), Node::op_node(Op::Mul)});
    EXPECT_LT(model.bits(two_x), model.bits(real_x));
    // Longer formulas cost more.
    EXPECT_LT(model.bits(Expression::variable(0)), model.bits(two_x));
}
