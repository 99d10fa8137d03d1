// Internal: the algebraic normal form shared by simplify() and canonical().
//
// A formula is turned bottom-up into a tree of normalized nodes: numbers, leaves (variable,
// param, pi), unary functions, general powers a^b (b not a rational number), products
// (coefficient * prod base_i^e_i with rational e_i) and sums (terms + constant). The tree is
// then written back as a postfix Expression. See simplify.hpp and canonical.hpp for the rules.
#pragma once

#include "kepler/core/expression.hpp"

namespace kepler::detail {

struct NormalFormOptions {
    // false: simplify (reading order kept, x/2 printed as a division);
    // true: canonical (operands sorted, coefficient always one leading number).
    bool canonical = false;
    // canonical only: compare and write numbers rounded to 12 significant digits.
    bool round_constants = false;
    // simplify only: take the common factor out of sums where that writes the formula with
    // fewer nodes (textbook_form.hpp): q*Ef*(B*v*sin(theta)/Ef + 1) -> q*(Ef + B*v*sin(theta)).
    bool factor_sums = false;
};

Expression normal_form(const Expression& e, const NormalFormOptions& options);

// The shortest decimal with at most 12 significant digits within 4 ulps of `v`, else `v`.
double snap_decimal(double v);
// `v` rounded to `digits` significant decimal digits (non-finite values unchanged).
double round_significant_digits(double v, int digits);

}  // namespace kepler::detail
