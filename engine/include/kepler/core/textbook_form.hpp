// The formula as a textbook writes it, where simplify() (kepler/core/simplify.hpp) leaves it
// as the search built it: a sum whose terms share a factor has it taken out, after a product
// it multiplies is expanded over it, wherever that writes the formula with fewer nodes.
//
//   q*Ef*(B*v*sin(theta)/Ef + 1)          -> q*(Ef + B*v*sin(theta))
//   m*omega^2*x^2*(0.25*omega_0^2/omega^2 + 0.25) -> m*x^2*(omega_0^2 + omega^2)/4
//   q*Ef + q*B*v                           -> q*(Ef + B*v)
//
// The common factor of a sum under a fractional power leaves the root (for positive quantities,
// as simplify() assumes when it merges exponents):
//
//   m*v^2/sqrt(v^4/c^4 - v^6/c^6)          -> m*c^2/sqrt(1 - v^2/c^2)
//
// An exponential of a sum gives up the sum's fitted constant (one that is not a simple
// fraction) and its terms k*log(z) (k rational) as factors:
//
//   exp(-log(sigma) - 0.5*theta^2/sigma^2 - 0.9189385332) -> 0.3989422804*exp(-0.5*theta^2/sigma^2)/sigma
//   exp(x - 1)                                             -> exp(x - 1)
//
// A product or sum is also written as one fraction N/D where that is shorter: sums raised to
// the power +-1 or +-2 expanded, everything over a common denominator, and the monomial that
// divides every term of N and D cancelled (the exponent per base: its smallest in any term, so
// negative powers inside terms clear too); the leaves a root was spread over are grouped
// under one root again. At most 12 terms (beyond that no textbook writes it so):
//
//   r1*((r2/r1 - 1)/(m1/m2 + 1) + 1)                       -> (r1*m1 + r2*m2)/(m1 + m2)
//   x1*sqrt(x2^2/x1^2 - 2*cos(t)*x2/x1 + 1)                -> sqrt(x2^2 - 2*cos(t)*x2*x1 + x1^2)
//   I2*(I1/I2 + 2*cos(delta)*sqrt(I1/I2) + 1)              -> I1 + 2*cos(delta)*sqrt(I2*I1) + I2
//
// A quotient whose denominator's coefficients are all simple fractions of one of them is divided
// through by it (a table in other units leaves such a scale in every term of a found formula):
//
//   8e-06*a*b/(8e-06/(x*y) - 2.666666666667e-06)           -> a*b/(1/(x*y) - 1/3)
//   -pr*V/(1 - gamma)                                       -> pr*V/(gamma - 1)
//
// A quotient of sums whose numbers are all simple fractions is written over integers, a sum
// that is the square of a binomial as that square, and a number that is a simple fraction with
// no finite decimal as a division:
//
//   (2/3*z + 1)/(1 - 1/3*z)                                 -> (2*z + 3)/(3 - z)
//   omega^4/(omega_0^4 + omega^4 - 2*omega^2*omega_0^2)     -> omega^4/(omega_0^2 - omega^2)^2
//   a*b/(1 - 0.3333333333333333*x)                          -> a*b/(1 - x/3)
//
// Of two forms of one size, the one with fewer real numbers (not simple fractions) is taken.
//
// The common factor of the expanded terms: every base they all contain with exponents of one
// sign, at the exponent nearest zero, times the smallest coefficient when every other one is an
// integer multiple of it. Applied bottom-up; a rewrite is kept only if it is shorter, so the
// result is never longer than simplify(e) and 2*(x + y) stays as it is (the exponential's split
// is made whatever its length).
//
// Validity: as simplify()'s (merging exponents assumes positive bases); the value is
// unchanged up to rounding. Only for what is printed and scored at the end of a search: the
// search itself compares formulas by canonical(), which does not factor.
#pragma once

#include <Eigen/Core>

#include "kepler/core/expression.hpp"

namespace kepler {

// simplify(e) with common factors taken out of sums where that is shorter (see above).
Expression textbook_form(const Expression& e);

// textbook_form(e) where it gives e's values at the rows of X (to 1e-9 relative, with a floor
// of 1e-12 of their RMS: the rewrites are exact algebra for positive quantities, so only
// rounding may differ), else simplify(e): a rewrite that assumed a sign the data do not have
// (x*sqrt(y^2/x^2 + 1) is sqrt(x^2 + y^2) only for x > 0), or that cancels badly on these
// rows, is not what prints. Rows where e is not finite are not compared.
Expression textbook_form_on_rows(const Expression& e, const Eigen::MatrixXd& X);

}  // namespace kepler
