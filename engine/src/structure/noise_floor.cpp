// The residuals' RMS against their nearest-neighbour noise estimate (noise_floor.hpp).
#include "kepler/structure/noise_floor.hpp"

#include <cmath>
#include <limits>

#include "kepler/fitting/magnitude.hpp"

namespace kepler {

NoiseFloorCheck check_residuals_are_noise(const Eigen::MatrixXd& X, const Eigen::VectorXd& residuals,
                                          const NoiseEstimateOptions& options) {
    NoiseFloorCheck check;
    // A power of two brings the residuals near 1, exactly, so tiny or huge ones square safely.
    const int e = max_abs_exponent(residuals.array());
    const Eigen::VectorXd scaled = scaled_by_power_of_two(residuals.array(), -e).matrix();
    const NoiseEstimate noise = estimate_noise(X, scaled, options);
    check.rmse = rms_at_any_magnitude(residuals.array());
    check.noise_sd = std::ldexp(noise.sd, e);
    check.ratio = check.noise_sd > 0.0 ? check.rmse / check.noise_sd : std::numeric_limits<double>::infinity();
    check.threshold = 1.0 + kFloorSigmas / std::sqrt(static_cast<double>(noise.rows));
    check.at_floor = check.noise_sd > 0.0 && check.ratio <= check.threshold;
    return check;
}

}  // namespace kepler
