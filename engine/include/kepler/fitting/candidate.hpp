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
//     0.5 * log2(1 + (r_i / eps)^2),   eps = 1e-9 * rms(y), floored at 1e-300,
// i.e. roughly the bits needed per row to send r_i to a precision of eps. An exact formula
// costs ~0 bits, a relative error of 1e-3 about 20 bits, and the cost grows only
// logarithmically with the error. error_rows * error_bits is the length of the residuals'
// code, so complexity_bits + error_rows * error_bits is a two-part description length.
// Infinite if any prediction is not finite.
//
// residual_scale: the noise of the table where it is known (0: none). Where it is above
// 1e-9 * rms(y) the residuals are coded as noise of that standard deviation, by Student's t
// with kNoiseDegreesOfFreedom (Lange, Little & Taylor 1989, "Robust statistical modeling using
// the t distribution"): the mean of (nu + 1)/2 * log2(1 + (r_i/s)^2/nu), s = residual_scale *
// sqrt((nu - 2)/nu). Why not the code above at eps = the noise: with eps far below the noise
// it is the sum of log|r_i|, which rows whose residual happens to be near zero dominate (two
// formulas whose RMSEs agree to 0.2 % then differ by tens of bits at random); at eps = the
// noise it is a Cauchy likelihood, which saturates: at 10 % noise m*c^2 (RMSE 18.16) cost only
// 21 bits more than m*c^2/sqrt(1 - v^2/c^2) (17.44) on 1,000 rows, less than the law's longer
// formula, where a Gaussian likelihood gives 61. The t code gives 47 and still grows only
// logarithmically on the odd large residual (a spike).
constexpr double kNoiseDegreesOfFreedom = 4.0;
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
