// The noise estimate (noise_estimate.hpp): leave-one-out local fits (local_fits.hpp) on a
// subsample, the median of the scaled residuals.
#include "kepler/structure/noise_estimate.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "local_fits.hpp"

namespace kepler {

namespace {

constexpr Eigen::Index kMinRows = 12;

void check_input(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const NoiseEstimateOptions& options) {
    if (X.rows() != y.size()) throw std::invalid_argument("estimate_noise: X and y have different row counts");
    const Eigen::Index needed = kMinRows;
    if (y.size() < needed || static_cast<Eigen::Index>(options.max_rows) < needed)
        throw std::invalid_argument("estimate_noise: needs at least " + std::to_string(needed) + " rows");
    if (!X.allFinite() || !y.allFinite()) throw std::invalid_argument("estimate_noise: values must be finite");
}

}  // namespace

NoiseEstimate estimate_noise(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const NoiseEstimateOptions& options) {
    check_input(X, y, options);
    const std::vector<Eigen::Index> rows = detail::chosen_rows(X.rows(), options.max_rows, options.seed);
    const detail::LocalFits fits = detail::local_fits(X, y, rows, options.max_quadratic_inputs);
    NoiseEstimate estimate;
    estimate.rows = rows.size();
    estimate.degree = fits.degree;
    estimate.neighbours = fits.neighbours;
    estimate.sd = detail::median_noise_sd(fits);
    return estimate;
}

}  // namespace kepler
