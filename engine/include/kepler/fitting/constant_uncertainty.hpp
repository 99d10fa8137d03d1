// How well the data pin down a formula's fitted constants: each free constant with its
// standard error from the final fit, so a report can say `c = 831.4 ± 0.3`, and the snapping
// rule (snap_evidence.hpp) can tell how far a simple value lies from the fit.
//
// The free constants are the ones Levenberg–Marquardt polishes (constants_to_parameters in
// constant_fitting.hpp: every Const that is not an integer with |v| <= 10 or +-0.5), less the
// values that only a snap writes: integers and fractions p/q whose decimal does not end
// (q = 3, 6, 7, 9, 11, 12, to a relative 1e-12): a snapped 1/3 is a stated value, not a fitted
// one, while 1.3 or 0.25 may be a tidied fit and counts as free. They are listed in node order.
//
// The errors are the usual asymptotic ones of non-linear least squares: with J the exact
// Jacobian of the formula's values with respect to the constants at the fitted values (forward
// mode, the derivatives fit_constants uses), the covariance is sigma^2 (J^T J)^-1 with
// sigma^2 = SSR / (n - p), n rows and p constants. They assume independent residuals of one
// variance and a model that is right; a formula that misfits the data gets errors that include
// its misfit (sigma is the residual spread, not the noise).
//
// Magnitudes: J's columns are scaled to unit norm and the residuals by a power of two before
// any sum of squares (fitting/magnitude.hpp), so constants of 1e-300 or 1e300 get their errors
// without underflow or overflow.
//
// Rank deficiency: when two constants trade off (c1*c2*x, or a constant the values do not
// depend on) J^T J is singular. The decomposition is a singular value decomposition of the
// scaled J; directions whose singular value is below 1e-10 of the largest are left out (the
// pseudo-inverse), and a constant that has any weight (above 1e-8) on such a direction gets
// standard error +inf: the data do not determine it. Nothing throws for that. With n <= p, or
// values or derivatives that are not finite at some row, every error is NaN.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <limits>
#include <optional>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler {

struct FittedConstant {
    double value = 0.0;
    double standard_error = std::numeric_limits<double>::quiet_NaN();
};

// Per Param slot of an expression: the standard error per unit residual standard deviation,
// sqrt([(J^T J)^-1]_kk) (+inf or NaN as above). The snapping rule multiplies it by its own
// residual scale. `rank_deficient` says whether some direction was left out.
struct ParameterSensitivity {
    std::vector<double> per_unit_sd;                                // one per slot (Expression::parameter_count())
    double residual_sd = std::numeric_limits<double>::quiet_NaN();  // sqrt(SSR / (n - p))
    Eigen::Index rows = 0;
    bool rank_deficient = false;
};

// X: rows x variables, y: the target (X.rows() entries, else std::invalid_argument). Uses the
// Param slots' current values.
ParameterSensitivity parameter_sensitivity(const Expression& with_parameters,
                                           const Eigen::Ref<const Eigen::MatrixXd>& X,
                                           const Eigen::Ref<const Eigen::VectorXd>& y);

// The free constants of `e` (see above) with their standard errors from a fit on (X, y).
// Empty when there are none. Throws std::invalid_argument when y and X differ in rows.
std::vector<FittedConstant> constant_uncertainty(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                                                 const Eigen::Ref<const Eigen::VectorXd>& y);

// The stated value a constant stands for (see above): the integer or p/q (q in 1, 3, 6, 7, 9,
// 11, 12; |p| < 1e6) within a relative 1e-12 of v, exactly; nullopt when there is none (and for
// 0). 1.0000000000000602 is 1.
std::optional<double> stated_value_near(double v);

// The node index of each free constant of `e`, in node order (the constants
// constant_uncertainty reports).
std::vector<std::size_t> free_constant_nodes(const Expression& e);

}  // namespace kepler
