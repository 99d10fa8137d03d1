// Fitted constants come out of least squares with noise in their last digits
// (8.314000000000002), and with more digits than the data support (1.0006 at 1 % noise, where
// the data say 1.0006 +- 0.0003). A physicist writes 8.314 and 1: replace each constant by the
// decimal with the fewest significant digits that the data do not find worse, by the snapping
// rule (fitting/snap_evidence.hpp) that snap_by_evidence uses too.
//
// Each free constant (fitting/constant_uncertainty.hpp: not a small integer, 1/2 or a fraction
// like 1/3) is tidied in turn, left to right. Among the decimals of 1, 2, ..., 15 significant
// digits whose restricted model the rule accepts (counting every constant tidied so far as
// removed), the one of least description length is taken: each digit costs ln 10 nats, the
// worse fit half the rule's cost n (r^2 - r_f^2) / s^2 (the log-likelihood ratio), so a digit
// stays when it is worth more than a factor 10 in likelihood. The fewest digits the rule merely
// accepts would move a constant by up to 2.6 standard errors (0.416 for 0.41575 +- 0.0001);
// this keeps it within about one (0.4157). Each decimal is judged with the value substituted
// and, when that fails and a first-order estimate (its standard error) says it might pass, with
// the constants not yet tidied refitted by Levenberg–Marquardt (at most 3 refits a constant).
// On exact data only a decimal that keeps the fit exact (RMSE <= 1e-12 rms(y)) passes, so
// 8.314000000000002 becomes 8.314 and pi keeps 13 digits; at noise the digits beyond the
// standard error go, so data that say 8.314 (+- 0.0001) keep 8.314, and a coefficient
// 1.0006 +- 0.0003 becomes 1. Rows: those polish_constants fits on. Nothing throws beyond
// std::invalid_argument for y and X of different row counts.
#pragma once

#include <Eigen/Core>
#include <limits>
#include <span>

#include "kepler/core/expression.hpp"

namespace kepler {

// `noise_sd`: the table's noise estimate in y's units (NaN: none), as SnapEvidence takes it.
// Constants equal to one of `stated` (the exact values of snapped physical constants,
// snap_constants.hpp) are left as they are.
Expression tidy_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                          const Eigen::Ref<const Eigen::VectorXd>& y,
                          double noise_sd = std::numeric_limits<double>::quiet_NaN(),
                          std::span<const double> stated = {});

// `value` rounded to `digits` significant decimal digits.
double round_significant(double value, int digits);

}  // namespace kepler
