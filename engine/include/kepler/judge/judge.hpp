// The benchmark judge: does a formula found by the search recover a known law?
//
// Three verdicts:
//
//  exact              The found formula agrees with the truth to a relative tolerance on fresh
//                     points drawn from ranges WIDER than the training ranges (so an
//                     interpolant or a formula that is right only where it was fitted fails),
//                     and it is finite wherever the truth is. Or, as a second path for formulas
//                     that are right but whose values amplify a tiny constant error
//                     (exp(1.0000005*x) on a wide range), the found formula is the truth after
//                     snapping each constant of its canonical form to a simple value built from
//                     the truth's constants and pi (canonical forms compared). At noise > 0
//                     either path must also pass the form check (kepler/judge/form_check.hpp):
//                     every number of the found formula refitted on noise-free values of the
//                     truth at the fresh points must match it to a relative 1e-6, so a
//                     look-alike within the noise (sin z for z, cos a for sqrt(1 - a^2)) is
//                     not exact.
//  symbolic_solution  SRBench's symbolic-solution rule, exactly (kepler/judge/
//                     symbolic_solution.hpp): every float of the found formula rounded to 3
//                     decimals, |c| < 1e-4 set to 0, then truth - model a constant or truth /
//                     model a nonzero constant, decided canonically where canonical() can and
//                     confirmed on the fresh points (otherwise decided on them to a relative
//                     1e-9); as in SRBench, only for a held-out R^2 > 0.5. It does not follow
//                     from `exact` (1.0006*x*y is exact at noise 0.01, not a symbolic solution)
//                     nor the other way round (x + 1 for x). Formerly `lenient`, a numeric
//                     test at the judge's tolerance.
//  accurate           R^2 > 0.999 of the found formula on held-out rows of the training
//                     distribution (noise included). Says nothing about recovery: an
//                     overfitted polynomial is accurate.
//
// Tolerance (exact_tolerance): tol(eps) = min(1e-2, 1e-6 + 0.3 * eps) for data with noise
// sd = eps * rms(y). At eps = 0 the 1e-6 leaves room for constants tidied to short decimals
// and for a fit that stopped at a relative 1e-6 (the pipeline's tidy step keeps the RMSE
// within a relative 1e-6), nothing more. With noise, a constant fitted by least squares from
// N rows is off by about eps / sqrt(N) relative (for y = a*g(x): var(a)/a^2 = eps^2/N); the
// 0.3 * eps allows 3 standard errors at N = 100 rows (10 at N = 1000) for a well conditioned
// constant. The cap 1e-2 keeps "exact" meaning a formula whose constants are right to a
// percent whatever the noise. tol(0) = 1e-6, tol(1e-3) = 3.01e-4, tol(1e-2) = 3.001e-3,
// tol(eps >= 0.033) = 1e-2.
//
// Fresh points (widen): each training range [low, high] becomes [low - w, high + w] with
// w = (high - low) / 2 (twice as wide before clamping), except that a range with low >= 0 never goes below
// low / 2 and one with high <= 0 never goes above high / 2: physical quantities keep their sign
// (and a range starting at 0 stays at 0), so sqrt, log and fractional powers of them stay
// defined. [1, 5] becomes [0.5, 7], [1, 2] becomes [0.5, 2.5], [3, 10] becomes [1.5, 13.5],
// [0, 1] becomes [0, 1.5]. A single-point range stays a point. Points are drawn uniformly and
// independently per variable (deterministic for a seed) and only those where the truth is
// finite are kept, until `points` are kept or 20 * points were drawn. If fewer than
// max(1, points / 10) (1000 for the default 10000) are kept, the wide ranges leave the truth
// mostly undefined, and the judge falls back to the training ranges themselves (Verdict::
// widened = false, said in the reason). If even those give fewer, nothing can be judged:
// exact and symbolic_solution are false, max_relative_error is NaN and the reason says why.
//
// Relative error at a point: |f - t| / max(|t|, 1e-6 * median|t|), the median over the fresh
// points. The floor only matters where the truth passes near zero (sin, cos, differences
// T2 - T1), where a pure relative error divides by rounding noise; the median rather than the
// rms because a truth with a pole (1/(omega^2 - omega0^2)) has a huge rms. So near a zero of
// the truth, an absolute error up to tol * 1e-6 * median|t| is accepted; any larger additive
// error is caught there (sin(x) + 1e-8 against sin(x) is not exact, while x + 1e-8
// against x on [1, 5] is exact). Where f == t exactly
// (t = 0 included) the error is 0.
//
// Non-finite values: for path (a) the found formula must be finite at EVERY fresh point where
// the truth is (no allowance): a formula that is NaN or infinite where the law is defined is
// not the law, e.g. sqrt(x - 2) against sqrt(x). Random points do not hit removable
// singularities (x/x at x = 0), and the sign-keeping widening keeps logs and roots of positive
// quantities defined, so a formula equivalent to the truth is finite wherever the truth is.
// Then max_relative_error is +inf. Path (b) forgives such points only
// when rounding the found formula's own constants (its structure kept) to the nearest snap
// values makes it finite at every fresh point where the truth is: a constant within the noise
// can push sqrt's argument below zero where the truth's argument is near zero
// (sqrt(x1^2 + x2^2 - 2.004*x1*x2*cos(t)) near x1 = x2, t = 0), but sqrt(x)^2 against x on a
// range with negative x stays not exact although canonical() turns it into x.
//
// Snapping (path b): the candidate values are k * pi^p with p in -4, -3.5, ..., 4 and k in
// K = K0 U {1/a, a*b, a/b : a, b in K0}, where K0 = {1, 2, 1/2} and the absolute values of the
// nonzero constants of the truth and of canonical(truth) (exponents included; canonical writes
// 1/sqrt(2*pi) as 0.7071067811865475/sqrt(pi)). Each constant of canonical(found) within a
// relative `tolerance` of a candidate is replaced by the subtree (sign) k * pi^p (nearest
// first; up to 5 candidates per constant and 256 combinations are tried), and the result must
// satisfy canonical(found', true) == canonical(truth, true). Constants are snapped in the
// canonical form, where each product carries one folded coefficient, so the tolerance applies
// to the formula's effective coefficients: errors within it cannot compound (1.003*x/1.997
// against x/2 at tolerance 3e-3 is not snapped), and a constant inside a square counts twice
// ((0.1591551*h)^2 is a coefficient of h^2). This judges constants, not values: a constant
// within tolerance inside an exponent, a sine or next to a pole can move the values by far
// more than the tolerance on the wide range; that is the point of the path, and it only ever
// accepts the truth's own structure. canonical() does not expand products over sums or apply
// function identities, so the path can miss an equivalent formula (never the other way
// round); path (a) does not care about form.
//
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler {

struct JudgedRange {
    double low = 1.0;
    double high = 5.0;
};  // one per variable of the truth (Var k)

struct JudgeOptions {
    double noise = 0.0;          // the noise level EPS the data had (sd = EPS * rms(y))
    std::size_t points = 10000;  // fresh evaluation points
    std::uint64_t seed = 12345;
    // Names for the reason text (variable k); "x<k>" where missing.
    std::vector<std::string> variable_names;
    // Values of physical constants the truth holds as numbers, not columns (`kepler bench
    // --constants`): SRBench's rule does not round them in the model (symbolic_solution.hpp).
    std::vector<double> named_constants;
};

struct Verdict {
    bool exact = false;
    bool symbolic_solution = false;  // SRBench's rule (see above)
    bool accurate = false;
    // Found vs truth on the fresh points: the largest relative error (see above); +inf if found
    // is not finite somewhere the truth is; NaN if there were too few points to judge.
    double max_relative_error = 0.0;
    double heldout_r2 = 0.0;           // NaN if there are no held-out rows
    double tolerance = 0.0;            // the relative tolerance used for `exact`
    std::size_t fresh_points = 0;      // points where the truth is finite, used for the verdict
    std::size_t fresh_drawn = 0;       // points drawn to find them (the last ranges tried)
    std::size_t found_non_finite = 0;  // of those, where the found formula is NaN or infinite
    bool widened = true;               // false if the judge fell back to the training ranges
    bool snapped = false;              // exact by path (b) only
    // The form check (noise > 0, when exact before it): the refitted formula's largest relative
    // error on the fresh points; NaN if the check did not run.
    double form_error = std::numeric_limits<double>::quiet_NaN();
    std::string symbolic_reason;      // one line: why (not) a symbolic solution
    std::vector<double> worst_point;  // the fresh point of the largest relative error
    std::string reason;               // one line: why exact or not
};

// min(1e-2, 1e-6 + 0.3 * noise). Throws std::invalid_argument for a negative or NaN noise.
double exact_tolerance(double noise);

// The range fresh points are drawn from, for a training range (see above).
JudgedRange widen(const JudgedRange& training);

// `found` and `truth` are formulas over the same variables (Var k); Param nodes count as the
// constants they hold. `ranges` are the training ranges, one per variable (at least as many
// as either formula uses). heldout_X / heldout_y: held-out rows of the training distribution,
// noise included, for `accurate` (columns = variables; may have zero rows).
// Throws std::invalid_argument for too few ranges, a range with low > high or not finite,
// heldout_X with too few columns, or heldout_y of another length than heldout_X's rows.
Verdict judge(const Expression& found, const Expression& truth, std::span<const JudgedRange> ranges,
              const Eigen::Ref<const Eigen::MatrixXd>& heldout_X, const Eigen::Ref<const Eigen::VectorXd>& heldout_y,
              const JudgeOptions& options = {});

}  // namespace kepler
