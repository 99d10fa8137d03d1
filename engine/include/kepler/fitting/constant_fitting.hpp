// Non-linear least squares for the constants of a formula: the Param nodes of an expression
// are fitted to data with Levenberg–Marquardt (Eigen's unsupported LevenbergMarquardt module,
// the MINPACK lmder algorithm). The Jacobian is exact: forward-mode automatic differentiation
// over the postfix program, evaluated block-wise like Evaluator (each stack slot carries its
// values and one derivative array per parameter).
//
// Points where the formula is not finite (log of a negative number, division by zero, ...)
// are never accepted: a trial step that makes some residual non-finite is reported to the
// optimiser as a residual far larger than the current one, so the step is rejected and the
// trust region shrinks. A start that is itself not finite is skipped.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler {

struct ConstantFitOptions {
    // Successful LM steps per start; rejected trial steps are capped at 4x this (+ 20).
    int max_iterations = 100;
    // Extra starts when the first does not end in an exact fit (relative RMS residual
    // <= 1e-10): start r = 1..restarts perturbs each initial value p to
    // p + 0.5 r (|p| + 0.1) z with z standard normal, drawn from `seed`.
    int restarts = 2;
    std::uint64_t seed = 1;
};

struct ConstantFit {
    bool improved = false;           // `parameters` fit strictly better than the initial values
    double sse = 0.0;                // sum of squared residuals at `parameters` (+inf if no start was finite)
    std::vector<double> parameters;  // one per Param slot (Expression::parameter_count())
    int iterations = 0;              // LM steps taken, all starts together
};

// Fits the Param nodes of `e` (initial values: their stored values) to minimise
// sum_i (y_i - e(X_i))^2 and returns the best of all starts; if no start improves on the
// initial values, those are returned (improved = false). X is rows x variables, y has X.rows()
// entries. With no parameters, or fewer rows than parameters, nothing is fitted.
// Deterministic: the same inputs and seed give the same result.
ConstantFit fit_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                          const Eigen::Ref<const Eigen::VectorXd>& y, const ConstantFitOptions& options = {});

// The values and the exact Jacobian of `e` with respect to its parameter slots at `params`
// (params.size() >= e.parameter_count()): values(i) = e(X_i), jacobian(i, k) = de(X_i)/dp_k.
// The derivative evaluation fit_constants uses; `values` and `jacobian` are resized.
void evaluate_with_jacobian(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                            std::span<const double> params, Eigen::VectorXd& values, Eigen::MatrixXd& jacobian);

// `e` with every Const node that is not a "simple" number turned into a Param whose initial
// value is the constant, so a formula found with rough constants can be polished by
// fit_constants. Simple numbers stay: integers with |v| <= 10, and +-0.5; so does a rational
// exponent of a power (p/q with q <= 12, |p/q| <= 64: an input's power in a dimensionless
// group, which units fix and the noise must not move). New slots are numbered in node order
// after the existing ones (e.parameter_count(), ...).
Expression constants_to_parameters(const Expression& e);

// The reverse: every Param node becomes a Const with its current value
// (Expression::with_parameters_frozen).
Expression parameters_to_constants(const Expression& e);

}  // namespace kepler
