// Scores of how much a channel tells about the target, each blind to what the others miss:
//
// - select_power_law: forward stepwise regression of log|y| on log|x_j| (power laws, the most
//   common shape of a physical law, are linear there), so a channel is credited only with what
//   it adds to the channels already taken in: a distractor correlated with a true channel
//   adds little once that channel is in.
// - correlation_ratio: eta^2 of the target's ranks on quantile bins of a channel, which sees
//   any dependence of the target's level on the channel, monotone or not (a sine, a parabola).
//
// Both take a matrix with NaN for missing readings; each channel uses the rows where it has a
// value (the target is finite on every row given).
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace kepler {

// Whether a column can be taken to logs: every finite value nonzero and of one sign.
bool one_signed(const Eigen::Ref<const Eigen::VectorXd>& values);

struct PowerLawStep {
    std::size_t column = 0;  // column of X
    double r2_gain = 0.0;    // increase of the R^2 of log|y| when this column was taken in
    // What the final fit loses without this column (R^2 of all steps minus R^2 without it): a
    // channel taken in early because it follows the target, not because the law uses it, adds
    // nothing once the law's channels are in.
    double unique_gain = 0.0;
};

struct PowerLawSelection {
    bool fitted = false;  // false: the target is not one-signed (see `why_not`)
    std::string why_not;
    std::vector<PowerLawStep> steps;  // in the order taken in
    double r2 = 0.0;                  // R^2 of log|y| on the columns taken in
    std::vector<double> exponents;    // one per step: the refitted exponent of that column
};

// Forward stepwise least squares (orthogonal least squares: at each step the column whose part
// orthogonal to those already in removes the most residual variance). Only one-signed columns
// take part; missing values are mean-imputed in log space. Stops after `max_steps`, or when the
// best step no longer pays for itself: n*log(RSS_before/RSS_after) < log(n) + 2*log(p) (BIC
// with a penalty for having picked the best of p columns, so noise channels stay out).
//
// Hand-written rather than a library: Eigen has no sparse regression, and the search over
// columns, done on residualised columns, is about forty lines. LASSO would need a penalty
// path and still leave the coefficients shrunk; stepwise selection gives what screening
// wants, an order of entry and an honest gain per channel.
PowerLawSelection select_power_law(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::size_t max_steps = 10);

// Average ranks (ties share the mean of their ranks), 1-based; NaN stays NaN.
Eigen::VectorXd average_ranks(const Eigen::Ref<const Eigen::VectorXd>& v);

// The correlation ratio eta^2 = SS_between / SS_total of `target_ranks` over B quantile bins of
// `x` (tied x values share a bin; B ~ sqrt(n)/2 within [8, 40]), corrected for its bias under
// independence (the adjusted R^2 of the bin means, floored at 0), on the rows where x is
// finite. 0 with fewer than 3 bins' worth of rows.
double correlation_ratio(const Eigen::Ref<const Eigen::VectorXd>& x,
                         const Eigen::Ref<const Eigen::VectorXd>& target_ranks);

}  // namespace kepler
