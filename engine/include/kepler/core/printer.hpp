// Formula text out of an Expression: the project's infix syntax (which the grammar parses
// back to the same Expression), LaTeX, and SymPy syntax.
//
// Infix syntax: + - * / ^ (right-associative), unary minus, sqrt square exp log sin cos tan
// asin acos atan tanh abs (SymPy and LaTeX write square(z) as a power of 2), pi, decimal numbers (shortest text that
// reads back to the same double), variables by column name. Precedence, low to high: + -, * /, unary minus, ^. So -x^2
// is
// -(x^2) and a^b^c is a^(b^c). Param nodes print as their current value.
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
