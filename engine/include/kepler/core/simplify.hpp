// Algebraic tidying of a formula, so that what the search found on a transformed problem reads
// the way a physicist would write it: q1^2/r^2*(q1/q2)^-1 becomes q1*q2/r^2, and
// 8.314*n*T/(0.001*V) becomes 8314*n*T/V.
//
// What simplify does (and nothing more; exp(log(x)) and other function identities are left
// alone):
//  - Constant subtrees made of Const nodes are folded into one number, functions included
//    (sqrt(2) becomes 1.4142135623730951). A number that is the result of arithmetic on two or
//    more constants is snapped to the shortest decimal of at most 12 significant digits within
//    4 ulps of it, so 0.1 + 0.2 gives 0.3 rather than 0.30000000000000004; constants written in
//    the input are never altered. `pi` and Param nodes stay symbolic: they are treated like
//    variables (2*pi stays 2*pi, pi*pi becomes pi^2).
//  - Products and quotients become coefficient * prod base_i^e_i with rational exponents
//    (denominator at most 100). Structurally equal bases merge their exponents; integer powers
//    of a product distribute ((x*y)^2 = x^2*y^2) but fractional ones do not (sqrt(L/g) stays);
//    x^0 factors vanish; negation is a coefficient of -1.
//  - Sums are flattened (a numeric multiple of a sum inside a sum is distributed:
//    x - (a - b) gives x - a + b), numeric terms fold into one constant, like terms (equal
//    product part) merge by adding coefficients, and terms whose coefficient is zero vanish.
//
// Printing conventions of the result (to_infix):
//  - products: the coefficient first, then the factors with positive exponents in order of
//    first appearance, then "/" and those with negative exponents (one without parentheses,
//    several in them: a*b/(c*d^2)). A coefficient of -1 is a leading minus (-x*y). When the
//    coefficient came from dividing by numbers and equals 1/n or -1/n for an integer
//    2 <= n <= 10^6, it is printed as a division: x/2 and x/(2*y) stay as written, while
//    0.5*x stays 0.5*x. Exponent 1/2 prints as sqrt(b) (or /sqrt(b)), other integers as b^k,
//    other rationals as b^(p/q).
//  - sums: terms in order of first appearance, the folded constant last, negative terms as
//    subtraction (a - 2*b). If the first term is negative, the first positive term or
//    constant is moved to the front, so 1 - v^2/c^2 stays 1 - v^2/c^2 (not -v^2/c^2 + 1).
//  - -(a - b) stays as it is (a numeric multiple of a sum is only distributed into an
//    enclosing sum).
//
// Validity: the value is unchanged up to rounding wherever the original is defined and every
// base raised to a merged fractional power is positive. Distributing integer powers and
// merging integer exponents is valid for any sign; merging fractional exponents is not
// (sqrt(x^2) becomes x, which is |x| only for x >= 0; x^(1/2)*x^(1/2) becomes x). Physical
// quantities here are positive, which is what the search assumes. Folding x/x to 1 and 0*x to
// 0 also assumes x is finite and non-zero.
//
// Cost: roughly linear in the size of the formula (merging is quadratic in the number of
// factors of one product or terms of one sum, which is small); products are never expanded
// over sums, so there is no blow-up.
#pragma once

#include "kepler/core/expression.hpp"

namespace kepler {

// A tidied formula equal in value to `e` (see above). An empty expression gives an empty one.
Expression simplify(const Expression& e);

}  // namespace kepler
