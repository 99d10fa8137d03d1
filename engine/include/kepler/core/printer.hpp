// Formula text out of an Expression: the project's infix syntax (which the grammar parses
// back to the same Expression), LaTeX, and SymPy syntax.
//
// Infix syntax: + - * / ^ (right-associative), unary minus, sqrt square exp log sin cos tan
// asin acos atan tanh abs (SymPy and LaTeX write square(z) as a power of 2), pi, decimal
// numbers (shortest text that reads back to the same double), variables by column name.
// Precedence, low to high: + -, * /, unary minus, ^. So -x^2 is -(x^2) and a^b^c is a^(b^c).
// Param nodes print as their current value.
//
// Column names: a name that is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*) or that is a
// word of the grammar (pi, inf, nan, ln, a function name) is written in backticks, a backtick
// inside doubled: `mass-kg`, `pi`, `a``b`. When a column is called pi, the constant pi is
// written as its value 3.141592653589793 (a bare `pi` reads back as the column).
// SymPy: a name is written bare only when it is one letter other than E I N O Q S, optionally
// followed by digits or by '_' and a subscript (x, T0, v_max); every other name is written
// Symbol('name') (Symbol('I'), Symbol('lambda'), Symbol('mass')), because SymPy's namespace
// (I, E, pi, gamma, beta, re, li, field, test, ...) would read many names as something else.
// So sympify/parse_expr read every variable back as the plain symbol of its column. LaTeX: x_1 is x_{1}; a name
// that is not an identifier, or has more than one underscore, is \mathrm{...} with TeX's
// special characters escaped.
//
// The printers keep their own stack (no recursion): a formula of any depth prints.
#pragma once

#include <span>
#include <string>

#include "kepler/core/expression.hpp"

namespace kepler {

// `names[k]` is the name printed for variable k; if there are too few, "x<k>" is used.
std::string to_infix(const Expression& e, std::span<const std::string> names);
std::string to_latex(const Expression& e, std::span<const std::string> names);
std::string to_sympy(const Expression& e, std::span<const std::string> names);

// Shortest decimal text that reads back to exactly `value` (no sign handling beyond '-').
std::string format_number(double value);

}  // namespace kepler
