#include <gtest/gtest.h>

#include "kepler/core/printer.hpp"

using namespace kepler;

namespace {

const std::vector<std::string> kNames{"m", "a", "x_1"};

Node v(int k) { return Node::var(static_cast<std::uint16_t>(k)); }
Node c(double x) { return Node::constant(x); }
Node o(Op op) { return Node::op_node(op); }

std::string infix(std::vector<Node> nodes) { return to_infix(Expression(std::move(nodes)), kNames); }

}  // namespace

TEST(Printer, InfixUsesPrecedenceForParentheses) {
    EXPECT_EQ(infix({v(0), v(1), o(Op::Mul)}), "m*a");
    EXPECT_EQ(infix({v(0), v(1), v(2), o(Op::Add), o(Op::Mul)}), "m*(a + x_1)");
    EXPECT_EQ(infix({v(0), v(1), v(2), o(Op::Sub), o(Op::Sub)}), "m - (a - x_1)");
    EXPECT_EQ(infix({v(0), v(1), o(Op::Sub), v(2), o(Op::Sub)}), "m - a - x_1");
    EXPECT_EQ(infix({v(0), v(1), v(2), o(Op::Mul), o(Op::Div)}), "m/(a*x_1)");
    EXPECT_EQ(infix({v(0), v(1), o(Op::Div), v(2), o(Op::Mul)}), "m/a*x_1");
}

TEST(Printer, PowerIsRightAssociativeAndBindsTighterThanMinus) {
    EXPECT_EQ(infix({v(0), v(1), v(2), o(Op::Pow), o(Op::Pow)}), "m^a^x_1");
    EXPECT_EQ(infix({v(0), v(1), o(Op::Pow), v(2), o(Op::Pow)}), "(m^a)^x_1");
    EXPECT_EQ(infix({v(0), c(2), o(Op::Pow), o(Op::Neg)}), "-m^2");
    EXPECT_EQ(infix({v(0), o(Op::Neg), c(2), o(Op::Pow)}), "(-m)^2");
    EXPECT_EQ(infix({v(0), c(-2), o(Op::Pow)}), "m^-2");
    EXPECT_EQ(infix({c(-2), v(0), o(Op::Pow)}), "(-2)^m");
}

TEST(Printer, NumbersAndFunctions) {
    EXPECT_EQ(infix({c(6.2832), v(0), v(1), o(Op::Div), o(Op::Sqrt), o(Op::Mul)}), "6.2832*sqrt(m/a)");
    EXPECT_EQ(infix({c(1e-300), v(0), o(Op::Mul)}), "1e-300*m");
    EXPECT_EQ(infix({c(-0.5), v(0), o(Op::Mul)}), "-0.5*m");
    EXPECT_EQ(infix({v(0), c(-0.5), o(Op::Mul)}), "m*-0.5");
    EXPECT_EQ(infix({Node{Op::Pi, 0, 0}, v(0), o(Op::Exp), o(Op::Mul)}), "pi*exp(m)");
    EXPECT_EQ(format_number(0.1), "0.1");
    EXPECT_EQ(format_number(8.314), "8.314");
}

TEST(Printer, SymPySyntax) {
    Expression e({v(0), c(2), o(Op::Pow), v(1), o(Op::Abs), o(Op::Mul)});
    EXPECT_EQ(to_sympy(e, kNames), "m**2*Abs(a)");
}

TEST(Printer, LaTeXSyntax) {
    Expression e({v(0), v(2), o(Op::Div), o(Op::Sqrt), Node{Op::Pi, 0, 0}, o(Op::Mul)});
    EXPECT_EQ(to_latex(e, kNames), "\\sqrt{\\frac{m}{x_{1}}} \\cdot \\pi");
    Expression p({v(0), v(1), v(1), o(Op::Add), o(Op::Pow)});
    EXPECT_EQ(to_latex(p, kNames), "m^{a + a}");
}
