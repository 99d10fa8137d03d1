// How well a few channels can explain the target, whatever the law: a cubic response surface
// with pairwise products, fitted by least squares, scored by BIC. In log space for one-signed
// quantities, where a power law is exactly linear and most laws of physics are close to it.
// Screening fits it to every small subset of its short list and proposes the best ones.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace kepler {

// A column as the response surface sees it: log|x| when one-signed, else x; standardised.
struct ChannelScale {
    bool log = false;
    double center = 0.0;
    double scale = 1.0;
};

// The scale of a column with NaN for missing values (center and scale from its finite values;
// scale 1 if it has no spread).
ChannelScale channel_scale(const Eigen::Ref<const Eigen::VectorXd>& x);
// The column in that scale; NaN stays NaN.
Eigen::VectorXd to_scale(const ChannelScale& s, const Eigen::Ref<const Eigen::VectorXd>& x);

struct SubsetFit {
    std::size_t rows = 0;        // rows where every channel of the subset has a value
    std::size_t parameters = 0;  // of the response surface
    double r2 = 0.0;             // in the target's scale (log|y| or y)
    double bic = std::numeric_limits<double>::infinity();
    double rmse = std::numeric_limits<double>::infinity();  // predictions mapped back to y, in y's units
    // The log-linear fit (a pure power law), when the target and every channel are in log scale.
    double power_law_r2 = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> exponents;
};

// U: the channels in their scales (rows x channels, NaN where missing); y: the target (finite),
// `target` its scale. The fit uses the rows where every channel of `subset` has a value; with
// fewer rows than twice the parameters it returns rows = 0 and an infinite BIC.
SubsetFit fit_subset(const Eigen::MatrixXd& U, const std::vector<ChannelScale>& scales, const Eigen::VectorXd& y,
                     const ChannelScale& target, std::span<const std::size_t> subset);

}  // namespace kepler
