// SRBench's "symbolic solution" rule (La Cava et al., SRBench, 2021; experiment/symbolic_utils.py
// and assess_symbolic_model.py of cavalab/srbench), the benchmark's `symbolic_solution` verdict:
//
//  1. Round the model: every float of the found formula, as printed, is rounded to 3 decimals,
//     and one with |c| < 1e-4 becomes 0 (SRBench's round_floats: SymPy's round(c, 3) on every
//     Float of the expression, exponents included). Numbers that print as integers are SymPy
//     Integers and stay; pi stays pi. SRBench rounds the SymPy form of the model, whose
//     numeric factors of one product are already folded (2.5*x*3.1 is 7.75*x); Kepler rounds
//     the numbers as Kepler prints them, which differs only when a product carries several
//     non-integer factors and their rounding straddles the third decimal.
//  2. The rounded model r is a symbolic solution when truth - r is a constant (zero included)
//     or truth / r is a nonzero constant.
//
// How 2 is decided: canonically where kepler::canonical() can (canonical(truth - r) or
// canonical(truth / r) is a single number, as written or after the half-angle identities
// sin(u)^2 = (1 - cos(2u))/2 and cos(u)^2 = (1 + cos(2u))/2, which SymPy's simplify() also
// proves: Int_0*(1 - cos(n*theta))/(1 - cos(theta)) is sin(n*theta/2)^2/sin(theta/2)^2),
// confirmed on the fresh points where r is finite (to 1e-6, kCanonicalConfirmTolerance); otherwise numerically on the fresh points, where r must then be finite everywhere. The
// numeric test: with c = median(t - r), |t - r - c| <= 1e-9 * (|t| + |r| + floor) at every
// point, or with k = median(r / t) (finite, nonzero), |r - k t| <= 1e-9 * (|r| + |k t| + |k|
// floor); floor = 1e-6 * median|t| as in the judge. Why 1e-9 is sound: the truth and the
// rounded model are both exact formulas (no fitted noise is left in r: its constants are
// short decimals), so when the difference or ratio is constant the test only sees double
// rounding, ~1e-15 relative per operation (1e-9 leaves six orders for cancellation inside a
// formula of a few dozen nodes); when it is not constant, a rounded constant differs from the
// truth's by at least 5e-4 absolute (or is 0 against a nonzero term), which moves the values
// by far more than 1e-9 relative at generic random points unless that term is below 1e-6 of
// the whole everywhere. Random points are a zero-equivalence test for analytic expressions
// (Schwartz-Zippel for polynomials): a non-constant analytic difference vanishes only on a set
// of measure zero, and the test needs it to be constant at all of thousands of points.
//
// Named constants: a number of the model that is a physical constant the table did not give
// as a column (`kepler bench --constants`: k_B = 1.380649e-23 fixed in the truth, named by the
// found k_B*n*T/V) is a symbol, as pi is, not a fitted float: it is not rounded (step 1 would
// set k_B to 0). The forms kept are those the naming writes, k * pi^a * C^b (k = p/q with
// q <= 12, a in -2..2, b in +-1/2, +-1, +-3/2, +-2), and k * pi^a * C^b * D^d for two of them
// (a law writes mu0 = 1/(eps0*c^2) for eps0 and c), to 1e-9 relative. In SRBench's own
// Feynman problems every constant is a column, so its rule never meets one.
//
// SRBench only assesses a model whose test R^2 exceeds 0.5; judge() applies that gate with
// the held-out R^2 (kSymbolicSolutionMinR2).
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler {

inline constexpr double kSymbolicSolutionTolerance = 1e-9;
// The confirmation of a canonical decision: the algebra already proved the difference or ratio
// constant, and the points only have to catch a sign the merging of exponents assumed
// (sqrt(x^2) = x), which is wrong by O(1), not rounding. So 1e-6, the judge's exact tolerance,
// not 1e-9: the cancellation of 1 - cos(u) near u = 2*pi*k (I.30.3 written with cosines)
// loses more than 1e-9 at some of thousands of points.
inline constexpr double kCanonicalConfirmTolerance = 1e-6;
inline constexpr double kSymbolicSolutionMinR2 = 0.5;

// `model` (Param nodes frozen to their values) with every non-integer number rounded to 3
// decimals, and any with |c| < 1e-4 set to 0 (step 1 above), except forms of `named_constants`.
Expression round_floats_like_srbench(const Expression& model, const std::vector<double>& named_constants = {});

struct SymbolicSolution {
    bool solution = false;
    bool decided_canonically = false;  // canonical() found the difference or ratio constant
    Expression rounded;                // the rounded model
    std::string reason;                // one line: why (not) a symbolic solution
};

// Step 1 then step 2 on the fresh points `points` (rows, one column per variable) where the
// truth takes the finite values `truth_values`. Throws std::invalid_argument if the sizes
// disagree or there are no points.
SymbolicSolution symbolic_solution(const Expression& found, const Expression& truth,
                                   const Eigen::Ref<const Eigen::MatrixXd>& points,
                                   const Eigen::Ref<const Eigen::VectorXd>& truth_values,
                                   const std::vector<double>& named_constants = {});

}  // namespace kepler
