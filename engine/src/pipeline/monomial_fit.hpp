// The dimensional quick fit (Buckingham Pi): y = k * monomial * g_1^e_1 * ... with the plan's
// target monomial and at most two of its dimensionless groups g_i raised to small exponents
// (e_i in -3..3 by halves and 0), k fitted linearly on every row and in the target's own
// space. The quick fits' power law takes logarithms, so it needs y of one sign, which a small
// target at 10 % noise is not; and the enumeration over the groups fits y/monomial, whose noise
// is largest where the monomial is smallest, so at 10 % noise III.19.51's
// -m*q^4/(8*epsilon^2*h^2*n^2) was lost there. Here every row weighs by its own noise.
#pragma once

#include <Eigen/Core>
#include <optional>

#include "kepler/pipeline/dimensional_plan.hpp"
#include "kepler/search/quick_fits.hpp"

namespace kepler::pipeline {

// The best such fit by RMSE, or nothing without a monomial, with more than two groups, or
// when no exponent choice gives finite values and a nonzero k. Var k of the formula is column
// k of X, as in the plan.
std::optional<QuickFit> monomial_fit(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

}  // namespace kepler::pipeline
