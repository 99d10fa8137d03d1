// Fitted constants come out of least squares with noise in their last digits
// (8.314000000000002). A physicist writes 8.314: replace each constant by the decimal with the
// fewest significant digits that fits the data as well.
#pragma once

#include <Eigen/Core>

#include "kepler/core/expression.hpp"

namespace kepler {

// Returns `e` with each Const shortened to the fewest significant digits (1..15) for which the
// RMSE against y on X grows by at most a relative `tolerance` (plus 1e-12 of y's RMS, so exact
// fits stay exact). Constants are tidied one at a time, left to right.
Expression tidy_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                          const Eigen::Ref<const Eigen::VectorXd>& y, double tolerance = 1e-6);

// `value` rounded to `digits` significant decimal digits.
double round_significant(double value, int digits);

}  // namespace kepler
