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
//    x^0 factors vanish; negation is a coefficient of -1. A positive numeric coefficient is
//    taken out of a fractional power when that is simpler: when its root is a simple number
//    (sqrt(4*x) -> 2*sqrt(x), sqrt(x/4) -> sqrt(x)/2) or when it is not a simple number itself
//    (a fitted sqrt(4.0257*L) -> 2.0064...*sqrt(L)); sqrt(2*pi) and sqrt(0.5*x) stay.
//  - Sums are flattened (a numeric multiple of a sum inside a sum is distributed:
//    x - (a - b) gives x - a + b), numeric terms fold into one constant, like terms (equal
//    product part) merge by adding coefficients, and terms whose coefficient is zero vanish.
//
// Printing conventions of the result (to_infix):
//  - products: the coefficient first, then the factors with positive exponents in order of
//    first appearance, then "/" and those with negative exponents (one without parentheses,
//    several in them: a*b/(c*d^2)). A coefficient of -1 is a leading minus (-x*y). A
//    coefficient that involves a division by a number is printed as a division when it is
//    p/q with 2 <= q <= 100 or 1/n with n < 10^5: x/2, 3*x/2, x/(2*y), x/3600 stay as
//    written, 4/3*pi*r^3 becomes 4*pi*r^3/3; otherwise it is one number: k*T/(0.5*m) becomes
//    2*k*T/m, 0.001*x/1000 becomes 1e-06*x, and 0.5*x stays 0.5*x. Exponent 1/2 prints as
//    sqrt(b) (or /sqrt(b)), other integers as b^k, other rationals as b^(p/q).
//  - sums: terms in order of first appearance, the folded constant last (as p/q when it is a
//    fraction whose decimal does not end, q in 3, 6, 7, 9, 11, 12: x - 1/3), negative terms as
//    subtraction (a - 2*b). If the first term is negative, the first positive term or
//    constant is moved to the front, so 1 - v^2/c^2 stays 1 - v^2/c^2 (not -v^2/c^2 + 1).
//  - -(a - b) stays as it is (a numeric multiple of a sum is only distributed into an
//    enclosing sum).
//
// Validity: the value is unchanged up to rounding wherever every subexpression of the
// original is finite and every base raised to a merged fractional power is positive.
// Distributing integer powers and merging integer exponents is valid for any sign; merging
// fractional exponents is not (sqrt(x^2) becomes x, which is |x| only for x >= 0;
// x^(1/2)*x^(1/2) becomes x). Physical quantities here are positive, which is what the search
// assumes. x/x becomes 1, x - x and 0*x become 0: exact algebra, so where the original divides
// by a difference that is only rounding noise (1/(x - x*y/y)) or passes through an infinity
// (tanh(x/0)), the results differ.
//
// The result is well formed, prints (to_infix) and parses back to the same node array, and
// simplify(simplify(e)) == simplify(e).
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
