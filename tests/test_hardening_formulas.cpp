// Hardening of the formula text (issue 15, items 1 and 4): formulas of any length print
// without exhausting the stack and over-long ones are refused with a clear error; column names
// that are not identifiers or that clash with the grammar's words are quoted in backticks and
// read back, and the SymPy and LaTeX texts cannot mistake a column for something else.
#include <gtest/gtest.h>

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
using kepler::to_infix;
using kepler::to_latex;
using kepler::to_sympy;
using kepler::grammar::parse_formula;
using kepler::grammar::ParseError;

// m - m - m - ... with `terms` terms, built directly (no parser limit applies).
Expression subtraction_chain(std::size_t terms) {
    Expression e;
    e.push(Node::var(0));
    for (std::size_t k = 1; k < terms; ++k) {
        e.push(Node::var(0));
        e.push(Node::op_node(Op::Sub));
    }
    return e;
}

// sqrt(sqrt(...(m))) with `depth` calls: a tree as deep as it is long.
Expression nested_calls(std::size_t depth) {
    Expression e;
    e.push(Node::var(0));
    for (std::size_t k = 0; k < depth; ++k) e.push(Node::op_node(Op::Sqrt));
    return e;
}

std::string parse_error_message(std::string_view text, const std::vector<std::string>& names) {
    try {
        parse_formula(text, names);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "(parsed)";
}

}  // namespace

TEST(HardeningPrinter, DeepFormulasPrintWithoutRecursion) {
    const std::vector<std::string> names{"m"};
    // Deep enough that one stack frame per level would overflow an 8 MiB stack.
    const Expression chain = subtraction_chain(300000);
    const std::string text = to_infix(chain, names);
    EXPECT_EQ(text.size(), 300000 + 3 * (300000 - 1));
    EXPECT_EQ(text.substr(0, 9), "m - m - m");
    EXPECT_EQ(to_sympy(chain, names).size(), text.size());
    EXPECT_EQ(to_latex(chain, names).size(), text.size());

    const Expression nested = nested_calls(300000);
    const std::string deep = to_infix(nested, names);
    EXPECT_EQ(deep.substr(0, 10), "sqrt(sqrt(");
    EXPECT_EQ(deep.size(), 300000 * 6 + 1);
    EXPECT_EQ(to_latex(nested, names).substr(0, 12), "\\sqrt{\\sqrt{");
}

TEST(HardeningParser, TooManyOperandsIsAClearError) {
    const std::vector<std::string> names{"m"};
    std::string text = "m";
    for (int k = 1; k < 60000; ++k) text += "-m";
    const std::string message = parse_error_message(text, names);
    EXPECT_NE(message.find("formula too long (more than 5000 operands"), std::string::npos) << message;
    EXPECT_EQ(message.rfind("formula:1:10001:", 0), 0u) << message;  // at the 5001st operand

    std::string ok = "m";
    for (int k = 1; k < 5000; ++k) ok += "-m";
    EXPECT_EQ(parse_formula(ok, names), subtraction_chain(5000));
    EXPECT_EQ(parse_formula(to_infix(subtraction_chain(5000), names), names), subtraction_chain(5000));
}

TEST(HardeningNames, QuotedNamesParseToTheirColumns) {
    const std::vector<std::string> names{"mass-kg", "pi", "x y", "a`b", "sqrt", "µ"};
    EXPECT_EQ(parse_formula("`mass-kg` * 2", names),
              Expression::binary(Op::Mul, Expression::variable(0), Expression::constant(2.0)));
    // A column called pi is the column, quoted or not; the constant is never meant.
    EXPECT_EQ(parse_formula("3*`pi`", names), parse_formula("3*pi", names));
    EXPECT_EQ(parse_formula("`pi`", names), Expression::variable(1));
    EXPECT_EQ(parse_formula("`x y`", names), Expression::variable(2));
    EXPECT_EQ(parse_formula("`a``b`", names), Expression::variable(3));
    EXPECT_EQ(
        parse_formula("`sqrt` + sqrt(`sqrt`)", names),
        Expression::binary(Op::Add, Expression::variable(4), Expression::unary(Op::Sqrt, Expression::variable(4))));
    EXPECT_EQ(parse_formula("`µ`", names), Expression::variable(5));
    // Without a column called pi, bare pi is the constant and `pi` an unknown column.
    const std::vector<std::string> plain{"m"};
    EXPECT_EQ(parse_formula("pi", plain), Expression(std::vector<Node>{Node::op_node(Op::Pi)}));
    EXPECT_NE(parse_error_message("`pi`", plain).find("formula:1:1: unknown column 'pi'"), std::string::npos);
}

TEST(HardeningNames, QuotingErrorsSayWhereAndWhat) {
    const std::vector<std::string> names{"mass-kg"};
    EXPECT_NE(
        parse_error_message("2*`mass-kg", names).find("formula:1:11: expected '`' to close the quoted column name"),
        std::string::npos)
        << parse_error_message("2*`mass-kg", names);
    EXPECT_NE(parse_error_message("`mass`", names).find("formula:1:1: unknown column 'mass'; expected one of: mass-kg"),
              std::string::npos)
        << parse_error_message("`mass`", names);
}

TEST(HardeningNames, InfixQuotesWhatNeedsIt) {
    const std::vector<std::string> names{"mass-kg", "pi", "inf", "exp", "F", "a`b"};
    auto v = [](std::uint16_t k) { return Expression::variable(k); };
    EXPECT_EQ(to_infix(Expression::binary(Op::Mul, v(0), v(1)), names), "`mass-kg`*`pi`");
    EXPECT_EQ(to_infix(Expression::binary(Op::Add, v(2), v(3)), names), "`inf` + `exp`");
    EXPECT_EQ(to_infix(Expression::binary(Op::Div, v(4), v(5)), names), "F/`a``b`");
    // With a column called pi, the constant pi is written as its value.
    const Expression pi_times_column =
        Expression::binary(Op::Mul, Expression(std::vector<Node>{Node::op_node(Op::Pi)}), v(1));
    EXPECT_EQ(to_infix(pi_times_column, names), "3.141592653589793*`pi`");
    EXPECT_EQ(to_infix(pi_times_column, std::vector<std::string>{"m", "q"}), "pi*q");
}

// The print/parse identity over random formulas whose columns have awkward names.
TEST(HardeningNames, RoundTripWithAwkwardNames) {
    const std::vector<std::string> names{"mass-kg", "pi", "x y", "a`b", "`", "sqrt", "nan", "Temp [C]", "1st", "µ"};
    std::vector<Op> all_ops;
    for (int i = static_cast<int>(Op::Neg); i < kepler::kOpCount; ++i) all_ops.push_back(static_cast<Op>(i));
    std::mt19937_64 rng(15);
    for (int round = 0; round < 2000; ++round) {
        kepler::RandomExpressionOptions options;
        options.max_nodes = 1 + round % 40;
        options.variable_count = names.size();
        options.operators = all_ops;
        options.constant_probability = 0.2;
        const Expression e = kepler::random_expression(rng, options);
        const std::string text = to_infix(e, names);
        Expression back;
        try {
            back = parse_formula(text, names);
        } catch (const ParseError& error) {
            ADD_FAILURE() << "printed '" << text << "' does not parse: " << error.what();
            continue;
        }
        EXPECT_EQ(back, e) << text;
    }
}

TEST(HardeningNames, SymPyTextKeepsEveryColumnASymbol) {
    const std::vector<std::string> names{"I", "lambda", "pi", "x-z", "E", "gamma", "m", "it's"};
    auto v = [](std::uint16_t k) { return Expression::variable(k); };
    EXPECT_EQ(to_sympy(Expression::binary(Op::Mul, v(0), v(1)), names), "Symbol('I')*Symbol('lambda')");
    EXPECT_EQ(to_sympy(Expression::binary(Op::Mul, Expression::constant(3.0), v(2)), names), "3*Symbol('pi')");
    EXPECT_EQ(to_sympy(Expression::binary(Op::Add, v(3), v(4)), names), "Symbol('x-z') + Symbol('E')");
    EXPECT_EQ(to_sympy(Expression::binary(Op::Pow, v(5), v(6)), names), "Symbol('gamma')**m");
    EXPECT_EQ(to_sympy(v(7), names), "Symbol('it\\'s')");
    // Only one letter with an optional index is written bare; SymPy has a meaning for many words.
    const std::vector<std::string> more{"x", "T0", "v_max", "mass", "field", "S1", "E_k", "li", "_x"};
    const std::string bare[] = {"x", "T0", "v_max"};
    for (std::uint16_t k = 0; k < more.size(); ++k) {
        const bool plain = k < std::size(bare);
        EXPECT_EQ(to_sympy(v(k), more), plain ? more[k] : "Symbol('" + more[k] + "')");
    }
    // The constant pi stays SymPy's pi.
    EXPECT_EQ(to_sympy(Expression(std::vector<Node>{Node::op_node(Op::Pi)}), names), "pi");
}

TEST(HardeningNames, LaTeXEscapesNamesThatAreNotIdentifiers) {
    const std::vector<std::string> names{"mass-kg", "x_1", "a_b_c", "50%", "pi"};
    auto v = [](std::uint16_t k) { return Expression::variable(k); };
    EXPECT_EQ(to_latex(v(0), names), "\\mathrm{mass-kg}");
    EXPECT_EQ(to_latex(v(1), names), "x_{1}");
    EXPECT_EQ(to_latex(v(2), names), "\\mathrm{a\\_b\\_c}");
    EXPECT_EQ(to_latex(v(3), names), "\\mathrm{50\\%}");
    // The column pi and the constant are told apart.
    EXPECT_EQ(to_latex(Expression::binary(Op::Mul, Expression(std::vector<Node>{Node::op_node(Op::Pi)}), v(4)), names),
              "\\pi \\cdot pi");
}
