// The infix formula parser: exact postfix output, precedence and associativity, numbers,
// names, error positions and messages, and the print/parse round trip over random formulas.

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/random_expression.hpp"
#include "kepler/grammar/formula_parser.hpp"

namespace {

using kepler::Expression;
using kepler::Node;
using kepler::Op;
using kepler::grammar::parse_formula;
using kepler::grammar::ParseError;

const std::vector<std::string> kNames{"m", "a"};  // m is Var 0, a is Var 1

Node V(std::uint16_t k) { return Node::var(k); }
Node C(double v) { return Node::constant(v); }
Node O(Op op) { return Node::op_node(op); }

// Builds the expected expression node by node (through push, so folding applies the same way).
Expression program(std::initializer_list<Node> nodes) {
    Expression e;
    for (const Node& n : nodes) e.push(n);
    EXPECT_TRUE(e.well_formed());
    return e;
}

Expression parse(std::string_view text) { return parse_formula(text, kNames); }

std::string dump(const Expression& e) {
    std::string out;
    for (const Node& n : e.nodes()) {
        if (!out.empty()) out += ' ';
        if (n.op == Op::Var) {
            out += 'v';
            out += std::to_string(n.index);
        } else if (n.op == Op::Const) {
            out += kepler::format_number(n.value);
        } else {
            out += kepler::op_name(n.op);
            if (n.op == Op::Neg) out += "neg";
        }
    }
    return out;
}

std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }

// Runs parse_formula, expecting it to throw; returns the error.
ParseError parse_error(std::string_view text, std::string_view source = "formula") {
    try {
        Expression e = parse_formula(text, kNames, source);
        ADD_FAILURE() << "'" << text << "' parsed as " << dump(e) << " instead of failing";
    } catch (const ParseError& error) {
        return error;
    }
    return ParseError("", 0, 0, "");
}

// ---------------------------------------------------------------- structure

TEST(FormulaParser, SingleOperands) {
    EXPECT_EQ(parse("m"), program({V(0)}));
    EXPECT_EQ(parse("a"), program({V(1)}));
    EXPECT_EQ(parse("2.5"), program({C(2.5)}));
    EXPECT_EQ(parse("pi"), program({O(Op::Pi)}));
    EXPECT_EQ(parse("(m)"), program({V(0)}));
    EXPECT_EQ(parse("((((a))))"), program({V(1)}));
}

TEST(FormulaParser, BinaryOperatorsInPostfixOrder) {
    EXPECT_EQ(parse("m + a"), program({V(0), V(1), O(Op::Add)}));
    EXPECT_EQ(parse("m - a"), program({V(0), V(1), O(Op::Sub)}));
    EXPECT_EQ(parse("m * a"), program({V(0), V(1), O(Op::Mul)}));
    EXPECT_EQ(parse("m / a"), program({V(0), V(1), O(Op::Div)}));
    EXPECT_EQ(parse("m ^ a"), program({V(0), V(1), O(Op::Pow)}));
}

TEST(FormulaParser, MultiplicationBindsTighterThanAddition) {
    EXPECT_EQ(parse("m + a*2"), program({V(0), V(1), C(2), O(Op::Mul), O(Op::Add)}));
    EXPECT_EQ(parse("m*a - 2"), program({V(0), V(1), O(Op::Mul), C(2), O(Op::Sub)}));
    EXPECT_EQ(parse("(m + a)*2"), program({V(0), V(1), O(Op::Add), C(2), O(Op::Mul)}));
    EXPECT_EQ(parse("m / a + a / m"), program({V(0), V(1), O(Op::Div), V(1), V(0), O(Op::Div), O(Op::Add)}));
}

TEST(FormulaParser, AdditiveAndMultiplicativeOperatorsAreLeftAssociative) {
    EXPECT_EQ(parse("m - a - 2"), program({V(0), V(1), O(Op::Sub), C(2), O(Op::Sub)}));
    EXPECT_EQ(parse("m - a + 2"), program({V(0), V(1), O(Op::Sub), C(2), O(Op::Add)}));
    EXPECT_EQ(parse("m / a / 2"), program({V(0), V(1), O(Op::Div), C(2), O(Op::Div)}));
    EXPECT_EQ(parse("m / a * 2"), program({V(0), V(1), O(Op::Div), C(2), O(Op::Mul)}));
    EXPECT_EQ(parse("m - (a - 2)"), program({V(0), V(1), C(2), O(Op::Sub), O(Op::Sub)}));
}

TEST(FormulaParser, PowerIsRightAssociative) {
    EXPECT_EQ(parse("m^a^2"), program({V(0), V(1), C(2), O(Op::Pow), O(Op::Pow)}));
    EXPECT_EQ(parse("(m^a)^2"), program({V(0), V(1), O(Op::Pow), C(2), O(Op::Pow)}));
    EXPECT_EQ(parse("2*m^a"), program({C(2), V(0), V(1), O(Op::Pow), O(Op::Mul)}));
}

TEST(FormulaParser, UnaryMinusBindsLooserThanPower) {
    EXPECT_EQ(parse("-m^2"), program({V(0), C(2), O(Op::Pow), O(Op::Neg)}));
    // -2^2 is -(2^2): the minus is not folded into the 2, because it applies to the power.
    Expression e = parse("-2^2");
    ASSERT_EQ(e.size(), 4u);
    EXPECT_EQ(e, program({C(2), C(2), O(Op::Pow), O(Op::Neg)}));
    EXPECT_EQ(parse("(-2)^2"), program({C(-2), C(2), O(Op::Pow)}));
    EXPECT_EQ(parse("(-m)^2"), program({V(0), O(Op::Neg), C(2), O(Op::Pow)}));
}

TEST(FormulaParser, UnaryMinusBindsTighterThanProductsAndSums) {
    EXPECT_EQ(parse("-m*a"), program({V(0), O(Op::Neg), V(1), O(Op::Mul)}));
    EXPECT_EQ(parse("-m + a"), program({V(0), O(Op::Neg), V(1), O(Op::Add)}));
    EXPECT_EQ(parse("-(m*a)"), program({V(0), V(1), O(Op::Mul), O(Op::Neg)}));
    EXPECT_EQ(parse("-2*m"), program({C(-2), V(0), O(Op::Mul)}));
}

TEST(FormulaParser, UnaryMinusAfterABinaryOperator) {
    EXPECT_EQ(parse("m*-a"), program({V(0), V(1), O(Op::Neg), O(Op::Mul)}));
    EXPECT_EQ(parse("m/-a"), program({V(0), V(1), O(Op::Neg), O(Op::Div)}));
    EXPECT_EQ(parse("m - -2"), program({V(0), C(-2), O(Op::Sub)}));
    EXPECT_EQ(parse("m + -a"), program({V(0), V(1), O(Op::Neg), O(Op::Add)}));
}

TEST(FormulaParser, ExponentMayBeAUnaryMinus) {
    EXPECT_EQ(parse("2^-m"), program({C(2), V(0), O(Op::Neg), O(Op::Pow)}));
    EXPECT_EQ(parse("2^-3"), program({C(2), C(-3), O(Op::Pow)}));
    EXPECT_EQ(parse("2^-m^2"), program({C(2), V(0), C(2), O(Op::Pow), O(Op::Neg), O(Op::Pow)}));
    EXPECT_EQ(parse("m^--a"), program({V(0), V(1), O(Op::Neg), O(Op::Neg), O(Op::Pow)}));
}

TEST(FormulaParser, RepeatedUnaryMinus) {
    EXPECT_EQ(parse("--m"), program({V(0), O(Op::Neg), O(Op::Neg)}));
    Expression e = parse("---m");
    ASSERT_EQ(e.size(), 4u);
    EXPECT_EQ(e.nodes()[3].op, Op::Neg);
    // Minus signs before a number fold into it, each one flipping the sign.
    EXPECT_EQ(parse("-2"), program({C(-2)}));
    EXPECT_EQ(parse("- - 2"), program({C(2)}));
    EXPECT_EQ(parse("---2"), program({C(-2)}));
    EXPECT_EQ(bits(parse("-0").nodes()[0].value), bits(-0.0));
}

TEST(FormulaParser, EveryUnaryFunction) {
    for (int i = static_cast<int>(Op::Sqrt); i <= static_cast<int>(Op::Abs); ++i) {
        Op op = static_cast<Op>(i);
        std::string text = std::string(kepler::op_name(op)) + "(m + 1)";
        EXPECT_EQ(parse(text), program({V(0), C(1), O(Op::Add), O(op)})) << text;
    }
    EXPECT_EQ(parse("ln(a)"), program({V(1), O(Op::Log)}));
    EXPECT_EQ(parse("sqrt ( m )"), program({V(0), O(Op::Sqrt)}));
    EXPECT_EQ(parse("exp(-m^2/2)"), program({V(0), C(2), O(Op::Pow), O(Op::Neg), C(2), O(Op::Div), O(Op::Exp)}));
    EXPECT_EQ(parse("sin(cos(m))^2"), program({V(0), O(Op::Cos), O(Op::Sin), C(2), O(Op::Pow)}));
    EXPECT_EQ(parse("-abs(m)"), program({V(0), O(Op::Abs), O(Op::Neg)}));
}

TEST(FormulaParser, Numbers) {
    auto value = [](std::string_view text) {
        Expression e = parse(text);
        EXPECT_EQ(e.size(), 1u) << text;
        EXPECT_EQ(e.nodes()[0].op, Op::Const) << text;
        return e.nodes()[0].value;
    };
    EXPECT_EQ(value("42"), 42.0);
    EXPECT_EQ(value("1.5e-3"), 1.5e-3);
    EXPECT_EQ(value("2E10"), 2e10);
    EXPECT_EQ(value("1e+20"), 1e20);
    EXPECT_EQ(value(".5"), 0.5);
    EXPECT_EQ(value("3."), 3.0);
    EXPECT_EQ(value("12345.678"), 12345.678);
    EXPECT_EQ(value("1e-300"), 1e-300);
    EXPECT_EQ(value("-1e-300"), -1e-300);
    EXPECT_EQ(value("1.7976931348623157e308"), std::numeric_limits<double>::max());
    EXPECT_EQ(value("5e-324"), std::numeric_limits<double>::denorm_min());
    EXPECT_EQ(value("007"), 7.0);
}

TEST(FormulaParser, NumbersAreCorrectlyRounded) {
    EXPECT_EQ(bits(parse("0.1").nodes()[0].value), bits(0x1.999999999999ap-4));
    // Exactly halfway between two doubles: ties to even.
    EXPECT_EQ(bits(parse("9007199254740993").nodes()[0].value), bits(0x1p53));
    // A hair above halfway: rounds up. Needs all 22 digits to get right.
    EXPECT_EQ(bits(parse("9007199254740993.000001").nodes()[0].value), bits(0x1.0000000000001p53));
    EXPECT_EQ(bits(parse("2.2250738585072011e-308").nodes()[0].value), bits(0x0.fffffffffffffp-1022));
}

TEST(FormulaParser, ScientificNumberFollowedByAName) {
    // "2e" is not an exponent without digits, so this is 2 followed by a name: an error.
    ParseError error = parse_error("2e");
    EXPECT_EQ(error.column(), 2u);
    EXPECT_EQ(error.message(), "expected end of formula, found 'e'");
    EXPECT_EQ(parse("2e1*m"), program({C(20), V(0), O(Op::Mul)}));
}

TEST(FormulaParser, WhitespaceBetweenTokens) {
    Expression expected = program({V(0), V(1), C(2), O(Op::Pow), O(Op::Mul), O(Op::Sqrt)});
    EXPECT_EQ(parse("sqrt(m*a^2)"), expected);
    EXPECT_EQ(parse(" \t sqrt \n ( m\t*  a ^\r\n2 )  "), expected);
}

TEST(FormulaParser, IdentifiersWithDigitsAndUnderscores) {
    std::vector<std::string> names{"x_1", "T2", "_hidden", "pie"};
    EXPECT_EQ(parse_formula("x_1*T2 + _hidden/pie", names),
              program({V(0), V(1), O(Op::Mul), V(2), V(3), O(Op::Div), O(Op::Add)}));
}

TEST(FormulaParser, PiAndSpecialValues) {
    EXPECT_EQ(parse("2*pi*m"), program({C(2), O(Op::Pi), O(Op::Mul), V(0), O(Op::Mul)}));
    EXPECT_EQ(parse("inf").nodes()[0].value, std::numeric_limits<double>::infinity());
    EXPECT_EQ(parse("-inf").nodes()[0].value, -std::numeric_limits<double>::infinity());
    EXPECT_TRUE(std::isnan(parse("nan").nodes()[0].value));
}

TEST(FormulaParser, ColumnsShadowPiAndFunctionNames) {
    std::vector<std::string> names{"pi", "log"};
    EXPECT_EQ(parse_formula("pi*log", names), program({V(0), V(1), O(Op::Mul)}));
    // A function name followed by '(' is still a call.
    EXPECT_EQ(parse_formula("log(pi)", names), program({V(0), O(Op::Log)}));
}

TEST(FormulaParser, VariableIndexFollowsTheNameList) {
    std::vector<std::string> names{"c0", "c1", "c2", "c3", "c4"};
    EXPECT_EQ(parse_formula("c4 - c2", names), program({V(4), V(2), O(Op::Sub)}));
}

// ---------------------------------------------------------------- errors

TEST(FormulaParserErrors, UnknownColumn) {
    ParseError error = parse_error("m + q");
    EXPECT_EQ(error.source(), "formula");
    EXPECT_EQ(error.line(), 1u);
    EXPECT_EQ(error.column(), 5u);
    EXPECT_EQ(error.message(), "unknown column 'q'; expected one of: m, a");
    EXPECT_STREQ(error.what(), "formula:1:5: unknown column 'q'; expected one of: m, a");
}

TEST(FormulaParserErrors, UnknownColumnWithoutAnyColumns) {
    try {
        parse_formula("x", std::span<const std::string>{}, "cli");
        FAIL() << "expected a ParseError";
    } catch (const ParseError& error) {
        EXPECT_EQ(error.column(), 1u);
        EXPECT_EQ(error.message(), "unknown column 'x'; the formula has no columns to refer to");
    }
}

TEST(FormulaParserErrors, SourceNameIsUsed) {
    ParseError error = parse_error("m +", "--formula");
    EXPECT_EQ(error.source(), "--formula");
    EXPECT_STREQ(error.what(), "--formula:1:4: expected an operand, found end of formula");
}

TEST(FormulaParserErrors, MissingOperand) {
    ParseError error = parse_error("(m + )");
    EXPECT_EQ(error.column(), 6u);
    EXPECT_EQ(error.message(), "expected an operand, found ')'");

    error = parse_error("m * * a");
    EXPECT_EQ(error.column(), 5u);
    EXPECT_EQ(error.message(), "expected an operand, found '*'");

    error = parse_error("2^");
    EXPECT_EQ(error.column(), 3u);
    EXPECT_EQ(error.message(), "expected an operand, found end of formula");

    error = parse_error("m - ");
    EXPECT_EQ(error.column(), 5u);
    EXPECT_EQ(error.message(), "expected an operand, found end of formula");

    error = parse_error("*m");
    EXPECT_EQ(error.column(), 1u);
    EXPECT_EQ(error.message(), "expected an operand, found '*'");
}

TEST(FormulaParserErrors, EmptyFormula) {
    ParseError error = parse_error("");
    EXPECT_EQ(error.column(), 1u);
    EXPECT_EQ(error.message(), "expected an operand, found end of formula");
    error = parse_error("   ");
    EXPECT_EQ(error.column(), 4u);
    EXPECT_EQ(error.message(), "expected an operand, found end of formula");
}

TEST(FormulaParserErrors, TrailingInput) {
    ParseError error = parse_error("m (a)");
    EXPECT_EQ(error.column(), 3u);
    EXPECT_EQ(error.message(), "expected end of formula, found '('");

    error = parse_error("2 m");
    EXPECT_EQ(error.column(), 3u);
    EXPECT_EQ(error.message(), "expected end of formula, found 'm'");

    error = parse_error("m)");
    EXPECT_EQ(error.column(), 2u);
    EXPECT_EQ(error.message(), "expected end of formula, found ')'");

    error = parse_error("m + a $");
    EXPECT_EQ(error.column(), 7u);
    EXPECT_EQ(error.message(), "expected end of formula, found '$'");

    error = parse_error("m 1.5e3");
    EXPECT_EQ(error.column(), 3u);
    EXPECT_EQ(error.message(), "expected end of formula, found '1.5e3'");
}

TEST(FormulaParserErrors, UnclosedParenthesis) {
    ParseError error = parse_error("(m + a");
    EXPECT_EQ(error.column(), 7u);
    EXPECT_EQ(error.message(), "expected ')', found end of formula");

    error = parse_error("sqrt(m a");
    EXPECT_EQ(error.column(), 8u);
    EXPECT_EQ(error.message(), "expected ')', found 'a'");
}

TEST(FormulaParserErrors, FunctionWithoutParenthesis) {
    ParseError error = parse_error("2*sqrt m");
    EXPECT_EQ(error.column(), 8u);
    EXPECT_EQ(error.message(), "expected '(' after function name 'sqrt', found 'm'");

    error = parse_error("ln");
    EXPECT_EQ(error.column(), 3u);
    EXPECT_EQ(error.message(), "expected '(' after function name 'ln', found end of formula");
}

TEST(FormulaParserErrors, UnknownFunctionIsAnUnknownName) {
    ParseError error = parse_error("foo(m)");
    EXPECT_EQ(error.column(), 1u);
    EXPECT_EQ(error.message(), "unknown column 'foo'; expected one of: m, a");
}

TEST(FormulaParserErrors, NonAsciiCharacterIsReportedWhole) {
    ParseError error = parse_error("m + \xCE\xB8");  // "m + θ": the two bytes of θ are one character
    EXPECT_EQ(error.column(), 5u);
    EXPECT_EQ(error.message(), "expected an operand, found '\xCE\xB8'");
    error = parse_error("\xCE\xB8");
    EXPECT_EQ(error.column(), 1u);
    EXPECT_EQ(error.message(), "expected an operand, found '\xCE\xB8'");
}

TEST(FormulaParserErrors, LoneDotIsNotANumber) {
    ParseError error = parse_error("m + .");
    EXPECT_EQ(error.column(), 5u);
    EXPECT_EQ(error.message(), "expected an operand, found '.'");
}

TEST(FormulaParserErrors, NumberOutOfRange) {
    ParseError error = parse_error("m * 1e999");
    EXPECT_EQ(error.column(), 5u);
    EXPECT_EQ(error.message(), "number '1e999' is out of range for a double");
}

TEST(FormulaParserErrors, NestingLimit) {
    // Deep but reasonable nesting parses...
    std::string ok = std::string(100, '(') + "m" + std::string(100, ')');
    EXPECT_EQ(parse(ok), program({V(0)}));
    std::string minuses = std::string(101, '-') + "m";
    EXPECT_EQ(parse(minuses).size(), 102u);
    // ...absurd nesting is refused instead of overflowing the stack.
    std::string deep = std::string(100000, '(') + "m" + std::string(100000, ')');
    ParseError error = parse_error(deep);
    EXPECT_NE(error.message().find("nested too deeply"), std::string::npos) << error.message();
    EXPECT_GT(error.column(), 1u);
    std::string deep_power;
    for (int i = 0; i < 100000; ++i) deep_power += "m^";
    deep_power += "m";
    EXPECT_NE(parse_error(deep_power).message().find("nested too deeply"), std::string::npos);
}

// ---------------------------------------------------------------- round trip

void expect_round_trip(const Expression& e, const std::vector<std::string>& names) {
    std::string text = kepler::to_infix(e, names);
    Expression back;
    try {
        back = parse_formula(text, names);
    } catch (const ParseError& error) {
        ADD_FAILURE() << "printed '" << text << "' does not parse: " << error.what() << "\n  from " << dump(e);
        return;
    }
    EXPECT_EQ(back, e) << "printed '" << text << "'\n  from " << dump(e) << "\n  back " << dump(back);
}

TEST(FormulaRoundTrip, HandPickedFormulas) {
    const std::vector<std::string> names{"x", "y"};
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double specials[] = {1e-300,
                               12345.678,
                               -0.0,
                               0.0,
                               0.1,
                               1.0 / 3.0,
                               -2.5,
                               5e-324,
                               std::numeric_limits<double>::max(),
                               1e21,
                               123456789012345680.0,
                               -7.0,
                               inf,
                               -inf,
                               nan,
                               -nan};
    for (double c : specials) {
        SCOPED_TRACE(kepler::format_number(c));
        expect_round_trip(program({C(c)}), names);
        expect_round_trip(program({C(c), V(0), O(Op::Pow)}), names);
        expect_round_trip(program({V(0), C(c), O(Op::Pow)}), names);
        expect_round_trip(program({V(0), C(c), O(Op::Sub)}), names);
        expect_round_trip(program({V(0), C(c), O(Op::Mul)}), names);
        expect_round_trip(program({V(0), C(c), O(Op::Div)}), names);
        expect_round_trip(program({C(c), V(0), O(Op::Mul)}), names);
        expect_round_trip(program({C(c), V(0), O(Op::Pow), O(Op::Neg)}), names);
        expect_round_trip(program({C(c), O(Op::Sqrt), O(Op::Neg)}), names);
    }
    expect_round_trip(program({V(0), O(Op::Neg), O(Op::Neg)}), names);
    expect_round_trip(program({V(0), O(Op::Neg), V(1), O(Op::Pow)}), names);
    expect_round_trip(program({V(0), V(1), O(Op::Neg), O(Op::Neg), O(Op::Pow)}), names);
    expect_round_trip(program({V(0), V(1), V(0), O(Op::Pow), O(Op::Pow)}), names);
    expect_round_trip(program({V(0), V(1), O(Op::Pow), V(0), O(Op::Pow)}), names);
    expect_round_trip(program({V(0), V(1), V(0), O(Op::Sub), O(Op::Sub)}), names);
    expect_round_trip(program({V(0), V(1), V(0), O(Op::Div), O(Op::Div)}), names);
    expect_round_trip(program({V(0), V(1), V(0), O(Op::Mul), O(Op::Mul)}), names);
    expect_round_trip(program({O(Op::Pi), V(1), O(Op::Mul), O(Op::Neg), O(Op::Exp)}), names);
}

// Thousands of random formulas over every operator, with constants of every kind put in.
TEST(FormulaRoundTrip, RandomExpressionsOverAllOperators) {
    std::vector<Op> all_ops;
    for (int i = static_cast<int>(Op::Neg); i < kepler::kOpCount; ++i) all_ops.push_back(static_cast<Op>(i));
    const std::vector<std::string> names{"x", "y_1", "Temp", "v2"};
    const double specials[] = {1e-300,    12345.678,   -0.0, 0.1,           -1e-300,    5e-324, 1.7976931348623157e308,
                               2.0 / 3.0, -123.456e10, 1e22, 6.02214076e23, 299792458.0};

    std::mt19937_64 rng(20240601);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    int checked = 0, with_pow = 0, with_neg = 0, with_negative_constant = 0;
    for (int round = 0; round < 4000; ++round) {
        kepler::RandomExpressionOptions options;
        options.max_nodes = 1 + round % 48;
        options.variable_count = names.size();
        options.operators = all_ops;
        options.constant_probability = 0.35;
        Expression e = kepler::random_expression(rng, options);
        // Swap some leaves for pi and some constants for awkward values; the node structure is
        // unchanged, so the expression stays well formed and Neg never follows a Const.
        for (Node& n : e.mutable_nodes()) {
            if (n.op == Op::Var && u(rng) < 0.1)
                n = O(Op::Pi);
            else if (n.op == Op::Const && u(rng) < 0.3)
                n.value = specials[std::uniform_int_distribution<std::size_t>(0, std::size(specials) - 1)(rng)];
        }
        ASSERT_TRUE(e.well_formed());
        for (const Node& n : e.nodes()) {
            with_pow += n.op == Op::Pow;
            with_neg += n.op == Op::Neg;
            with_negative_constant += n.op == Op::Const && std::signbit(n.value);
        }
        expect_round_trip(e, names);
        ++checked;
        if (HasFailure()) break;
    }
    EXPECT_EQ(checked, 4000);
    // The generator really covered the tricky parts.
    EXPECT_GT(with_pow, 500);
    EXPECT_GT(with_neg, 500);
    EXPECT_GT(with_negative_constant, 500);
}

}  // namespace
