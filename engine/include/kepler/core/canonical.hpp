// A canonical form for comparing formulas (the benchmark judge, de-duplication of finalists):
// formulas that differ only by the order of commutative operands, by how products, quotients
// and sums are grouped, or by constant arithmetic get identical node arrays.
//
// canonical(e) applies the algebra of simplify() (kepler/core/simplify.hpp) and then orders
// every sum and product by a total order on subtrees: by kind (number < leaf < function <
// general power < product < sum), leaves as pi < params < variables by column (x0 < x1),
// functions by operator, then the operands recursively, then exponents and coefficients. So
// x*y and y*x, a+b+c and c+(b+a), 2*x*y and y*(x*2), x/y and x*y^-1, 0.5*x and x/2 all give
// the same array. Unlike simplify, a numeric multiple of a single sum is distributed
// (-(a - b) and b - a agree, so do exp(2*(a + b)) and exp(2*a + 2*b)), except where it is
// one factor of a larger product (2*(a + b)*x keeps its coefficient outside) or under a
// fractional power, and a positive coefficient is always taken out of a fractional power
// (sqrt(3*x) -> 1.7320508075688772*sqrt(x)), so that canonical(simplify(e)) agrees with
// canonical(e). Products print as one leading coefficient, the factors with positive
// exponents, then "/" and the others.
// The result is well formed, prints and parses back to itself, evaluates to the same values
// as `e` under the validity conditions of simplify(), and is idempotent:
// canonical(canonical(e)) == canonical(e).
//
// Limitations: no expansion of products over sums ((a+b)*c and a*c + b*c differ), no common
// factors pulled out of sums (x*(2*a + 2*b) and 2*x*(a + b) differ, so do sqrt(2*a + 2*b) and
// sqrt(2*(a + b))), no function identities.
// Numbers compare bit for bit unless `round_constants` is set, and constants folded in a
// different order (2.1*x*3.7 against 3.7*(2.1*x)) can differ in their last bit.
#pragma once

#include "kepler/core/expression.hpp"

namespace kepler {

// The canonical form of `e`. With `round_constants`, every number is compared and written
// rounded to 12 significant digits, so that formulas differing only by the last bits of a
// constant agree (the result then evaluates to the same values only up to that rounding;
// the arithmetic of folding is done on the exact values, and the rounded form is normalized
// once more, so the result is still idempotent). Cost: about twice that of simplify() with
// rounding, the same without.
Expression canonical(const Expression& e, bool round_constants = false);

// canonical(a, round_constants) == canonical(b, round_constants).
bool equivalent_structure(const Expression& a, const Expression& b, bool round_constants = false);

}  // namespace kepler
