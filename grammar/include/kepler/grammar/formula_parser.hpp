// Formula text in, postfix Expression out: the infix syntax that kepler/core/printer.hpp
// writes, so that parse_formula(to_infix(e, names), names) == e.
//
// Syntax, precedence low to high:
//   + -  (binary, left-associative)
//   * /  (left-associative)
//   -    (unary minus, prefix, may repeat: --x)
//   ^    (right-associative; its right operand may be a unary minus: 2^-x)
// so -x^2 is -(x^2), a^b^c is a^(b^c) and -2^2 is -(2^2). Operands: decimal numbers
// (1, 2.5, .5, 3., 1.5e-3, 2E+10), `pi`, variables (identifiers [A-Za-z_][A-Za-z0-9_]*, or
// any column name in backticks, a backtick inside doubled: `mass-kg`, `pi`, `a``b`),
// parenthesised formulas, and calls of the unary functions sqrt square exp log sin cos tan asin
// acos atan tanh abs (`ln` is accepted for log). Whitespace may appear between any two tokens.
//
// Name resolution: an identifier directly followed by '(' that names a function is a call;
// any other identifier is looked up in `variable_names` first (a column called `pi`, `inf`
// or `sqrt` is that column), then `pi` is the constant pi and `inf`/`nan` are those numbers.
// A name in backticks is always a column (`pi` is the column called pi).
// Limits: at most 1000 levels of nesting and 5000 operands, so that no consumer of the
// formula can run out of stack or time on it.
// A minus written before a number is folded into the constant (Expression::push), so "-2"
// gives one Const node of value -2.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "kepler/core/expression.hpp"
#include "kepler/grammar/parse_error.hpp"

namespace kepler::grammar {

// Variables resolve to their index in `variable_names`. Throws ParseError with
// source = `source_name`, line 1 and column = the 1-based character position of the problem,
// e.g. "unknown column 'q'; expected one of: m, a", "expected an operand, found ')'",
// "expected end of formula, found '('".
Expression parse_formula(std::string_view text, std::span<const std::string> variable_names,
                         std::string_view source_name = "formula");

}  // namespace kepler::grammar
