// A canonical form for comparing formulas (the benchmark judge, de-duplication of finalists):
// formulas that differ only by the order of commutative operands, by how products, quotients
// and sums are grouped, or by constant arithmetic get identical node arrays.
//
// canonical(e) applies the algebra of simplify() (kepler/core/simplify.hpp) and then orders
// every sum and product by a total order on subtrees: by kind (number < variable/param/pi <
// function < general power < product < sum), then variable column (x0 < x1), then the
// operands recursively, then exponents and coefficients. So x*y and y*x, a+b+c and c+(b+a),
// 2*x*y and y*(x*2), x/y and x*y^-1, 0.5*x and x/2 all give the same array. Unlike simplify,
// a numeric multiple of a single sum is always distributed (-(a - b) and b - a agree), except
// where it is one factor of a larger product (2*(a + b)*x keeps its coefficient outside).
// The result is well formed, prints and parses back to itself, evaluates to the same values
// as `e` under the validity conditions of simplify(), and is idempotent:
// canonical(canonical(e)) == canonical(e).
//
// Limitations: no expansion of products over sums ((a+b)*c and a*c + b*c differ), no common
// factors pulled out of sums (1/(2*a + 2*b) and 1/(2*(a + b)) differ), no function
// identities, and numbers compare bit for bit unless `round_constants` is set.
#pragma once

#include "kepler/core/expression.hpp"

namespace kepler {

// The canonical form of `e`. With `round_constants`, every number is compared and written
// rounded to 12 significant digits, so that formulas differing only by the last bits of a
// constant agree (the result then evaluates to the same values only up to that rounding).
Expression canonical(const Expression& e, bool round_constants = false);

// canonical(a, round_constants) == canonical(b, round_constants).
bool equivalent_structure(const Expression& a, const Expression& b, bool round_constants = false);

}  // namespace kepler
