// Is what a formula leaves of the target only noise? The search's stopping rule at noise: once a
// formula's residuals are noise, no split or evolution can find a formula that beats it by more
// than chance, so the search stops there instead of running to its time limit.
//
// Why the residuals, not the target: the nearest-neighbour estimate (noise_estimate.hpp) of the
// target errs upwards by what a local quadratic cannot follow of the law (1.09-1.2 times the
// noise in 3-4 inputs at noise 0.01, twice in 5-6), and a stop rule "RMSE <= that estimate" then
// stops on a wrong formula. The residuals of a good formula are nearly flat, so the same local
// fits follow what is left of the law almost exactly: the estimate on the residuals is the
// noise, whatever the law's curvature, while the residuals' RMS is the noise plus the formula's
// misfit. Their ratio tells the two apart: near 1 for the law, above it for a formula that
// leaves structure (a smooth misfit is followed by the local fits, so it is not counted as
// noise). The previous rule (best RMSE within 1.1 times a surrogate model's held-out RMSE)
// stopped I.15.3x at noise 0.01 on `x*tan(1.78565 - 0.5*cos(u/c) - 0.5*exp(u*t/x))`, 1.06 times
// the noise: its residuals' ratio is 1.08-1.14 over three samples, the law's 1.00-1.04.
//
// The rule: at the floor when rms(r) <= (1 + kFloorSigmas / sqrt(m)) * noise(r), m the rows the
// estimate used. 1/sqrt(m) is about the relative spread of the ratio for the law itself (the
// median-based estimate's relative sd is ~1.2/sqrt(m), the RMS's 0.7/sqrt(m), positively
// correlated), so the law passes ~97 % of the time at kFloorSigmas = 2 (a miss only costs
// search time), and a formula whose misfit is above ~0.35 of the noise (RMS 1.06 times the
// noise at 1,000 rows) does not. Residuals with no noise at all (estimate 0) are never at the
// floor: that is the exact rule's case (fitting/exact_fit.hpp). Magnitudes: the residuals are
// scaled by a power of two before their squares are taken (fitting/magnitude.hpp).
#pragma once

#include <Eigen/Core>

#include "kepler/structure/noise_estimate.hpp"

namespace kepler {

inline constexpr double kFloorSigmas = 2.0;

struct NoiseFloorCheck {
    double rmse = 0.0;       // of the residuals, all rows
    double noise_sd = 0.0;   // nearest-neighbour estimate on the residuals
    double ratio = 0.0;      // rmse / noise_sd (infinity when noise_sd is 0)
    double threshold = 0.0;  // 1 + kFloorSigmas / sqrt(rows the estimate used)
    bool at_floor = false;
};

// X: rows x inputs the formula uses; residuals = y - f(X), all finite. Throws
// std::invalid_argument as estimate_noise (sizes differ, non-finite values, under 12 rows).
NoiseFloorCheck check_residuals_are_noise(const Eigen::MatrixXd& X, const Eigen::VectorXd& residuals,
                                          const NoiseEstimateOptions& options = {});

}  // namespace kepler
