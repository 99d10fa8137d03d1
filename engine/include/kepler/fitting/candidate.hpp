// One scored formula for the target, as the search reports it.
#pragma once

#include <Eigen/Core>
#include <optional>

#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/expression.hpp"

namespace kepler {

struct Candidate {
    // The complete formula for y in terms of Var 0..n-1 (the columns of X); fitted constants
    // are folded in as Const nodes.
    Expression expression;
    double complexity_bits = 0.0;  // ComplexityModel::bits(expression)
    double error_bits = 0.0;       // see error_bits() below: a mean over rows
    // The rows error_bits is a mean over. ParetoFront::best() weighs the error by it.
    std::size_t error_rows = 1;
    // On all rows:
    double rmse = 0.0;
    double r2 = 0.0;
    double max_relative_error = 0.0;  // max |r_i| / max(|y_i|, tiny), as fit_metrics()
};

// The description length of the residuals, in bits: the mean over rows of
//     0.5 * log2(1 + (r_i / eps)^2),   eps = max(1e-9 * rms(y), residual_scale), floored at 1e-300,
// i.e. roughly the bits needed per row to send r_i to a precision of eps. An exact formula
// costs ~0 bits, a relative error of 1e-3 about 20 bits, and the cost grows only
// logarithmically with the error. error_rows * error_bits is the length of the residuals'
// code, so complexity_bits + error_rows * error_bits is a two-part description length.
// Infinite if any prediction is not finite.
//
// residual_scale: the noise of the table where it is known (0: none). Why it matters: with
// eps far below the noise, the code is the sum of log|r_i|, which rows whose residual happens
// to be near zero dominate; two formulas whose RMSEs agree to 0.2 % then differ by tens of bits
// at random (at 10 % noise Y*(0.2*sigma + 3)/(3/sigma + 9*sigma + 1) beat Y/(2*(sigma + 1)) by
// that). At eps = the noise scale it is a Cauchy likelihood of the residuals at their scale:
// smooth in the fit, and still robust to the odd large residual.
double error_bits(const Eigen::Ref<const Eigen::VectorXd>& observed, const Eigen::Ref<const Eigen::VectorXd>& predicted,
                  double residual_scale = 0.0);

// The candidate for `expression` given its predictions of y on every row: all the scores.
// Empty if a prediction is not finite.
std::optional<Candidate> candidate_from_predictions(Expression expression, const Eigen::Ref<const Eigen::VectorXd>& y,
                                                    const Eigen::Ref<const Eigen::VectorXd>& predicted,
                                                    const ComplexityModel& model);

// Evaluates `expression` on every row of X and fills all the scores. Empty if the formula
// is not finite on some row. `evaluator` provides reusable scratch memory.
std::optional<Candidate> score_candidate(Expression expression, const Eigen::Ref<const Eigen::MatrixXd>& X,
                                         const Eigen::Ref<const Eigen::VectorXd>& y, const ComplexityModel& model,
                                         Evaluator& evaluator);

}  // namespace kepler
