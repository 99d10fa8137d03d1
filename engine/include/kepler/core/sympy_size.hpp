// The size of a formula as SymPy counts it: the number of nodes of the SymPy expression that
// SymPy builds from the formula's SymPy text (to_sympy), operations, symbols and numbers
// alike (`sum(1 for _ in sympy.preorder_traversal(e))`; not sympy.count_ops, which counts
// operations only). The benchmark compares this size for the found formula and for the law as
// the Feynman table writes it.
//
// SymPy's tree, which sympy_size() rebuilds with the parts of SymPy's automatic evaluation that
// change the count: Add and Mul are n-ary and flattened, with their numbers folded into one
// (2.5*x*3.1 is 7.75*x; x + 0.0 is x) and like terms and like bases combined (x + x is 2*x,
// x*x is x**2, x*sqrt(x) is x**(3/2)); a - b is Add(a, Mul(-1, b)), a/b is Mul(a, Pow(b, -1)),
// -x is Mul(-1, x), sqrt(x) is Pow(x, 1/2), square(x) is Pow(x, 2); a number times a single sum
// is distributed (2*(x + y) is 2*x + 2*y); an integer power of a product is distributed
// ((x*y)**2 is x**2*y**2, 1/(x*y) is Mul(Pow(x, -1), Pow(y, -1))), and so is any rational or
// float power over the product's numbers and pi ((2*pi*x)**(1/2) is sqrt(2)*sqrt(pi)*sqrt(x));
// (x**a)**n is x**(a*n) for an integer n; exp(x)**n is exp(n*x), exp(log(x)) is x; numbers
// that print as integers are SymPy Integers (x/2 has the Rational 1/2, 2**(-1/2) is sqrt(2)/2),
// others Floats, and a function of a Float is evaluated (sin(2.5) is one Float, sin(2) stays);
// sin, tan, asin, atan, tanh take a minus sign out of a negative coefficient, cos and Abs drop
// it. Each number, symbol and pi is one node.
//
// Not modelled (rare in formulas the search prints): integer roots split into factors
// (sqrt(8) is 2*sqrt(2) in SymPy, one Pow here), products of roots of different integers
// (sqrt(2)*sqrt(3) is sqrt(6)), sign extraction from sums, and function identities beyond
// those above. Validated against SymPy 1.14 (tests/test_sympy_size.cpp lists the cases).
#pragma once

#include <cstddef>

#include "kepler/core/expression.hpp"

namespace kepler {

// Param nodes count as the numbers they hold. Throws std::invalid_argument for a malformed
// expression.
std::size_t sympy_size(const Expression& e);

}  // namespace kepler
