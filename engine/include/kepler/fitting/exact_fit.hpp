// When a formula counts as exact: the one rule every stage uses to stop early or to call a
// fit a law (the enumerator, the evolution, the quick fits, the structure split, discover()
// and screened_discover()). Relative to the target's root mean square, so it holds at any
// magnitude: a least-squares fit of the right formula in double precision leaves a residual
// of ~1e-15 of rms(y); 1e-12 leaves room for the round-off of longer formulas and of fitted
// constants, and is still far below any noise a measurement has.
#pragma once

#include <Eigen/Core>
#include <cmath>

#include "kepler/fitting/magnitude.hpp"

namespace kepler {

inline constexpr double kExactRelativeRmse = 1e-12;

// sqrt(mean(y^2)) at any magnitude (magnitude.hpp); 0 for an empty vector.
inline double root_mean_square(const Eigen::VectorXd& y) { return rms_at_any_magnitude(y.array()); }

// The largest RMSE an exact formula for a target of this RMS may have.
inline double exact_rmse_bound(double target_rms) { return kExactRelativeRmse * target_rms; }

inline bool is_exact_fit(double rmse, double target_rms) { return rmse <= exact_rmse_bound(target_rms); }

}  // namespace kepler
