// Leave-one-out local polynomial fits between neighbouring rows: at each row, a polynomial fitted
// to its nearest other rows alone predicts the row's target. The machinery shared by the noise
// estimate (noise_estimate.hpp: the median of the scaled residuals) and the spike finder
// (spike_rows.hpp: rows far off their neighbours' fit). Private to engine/structure.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace kepler::detail {

// The rows to use: all of them, or max_rows drawn without replacement (a partial Fisher-Yates
// shuffle on the generator's raw output, so the draw is the same with every standard library),
// in increasing order.
std::vector<Eigen::Index> chosen_rows(Eigen::Index rows, std::size_t max_rows, std::uint64_t seed);

struct LocalFit {
    bool fitted = false;  // false when every neighbour sits on the row itself
    // false when the neighbours do not determine the polynomial's value at the row (all on one
    // set-point of an input that the row is not on): the prediction is then the
    // pseudo-inverse's, an extrapolation off the neighbours' set that its weights do not show.
    bool full_rank = true;
    double residual = 0.0;                // y_i - w . y_nb
    double scale = 1.0;                   // sqrt(1 + |w|^2): the residual's sd is the noise's times this
    std::vector<std::size_t> neighbours;  // positions in `rows`, nearest first
};

struct LocalFits {
    int degree = 0;              // of the local polynomials: 2 or 1
    std::size_t neighbours = 0;  // rows in each fit
    std::vector<LocalFit> at;    // one per entry of `rows`
};

// For each of `rows` (indices into X and y), the fit over its nearest others among `rows`, in
// inputs scaled to unit standard deviation (a constant input is left out): quadratic up to
// max_quadratic_inputs inputs where the rows allow twice its coefficients as neighbours,
// linear otherwise. Brute-force neighbours: O(rows^2 * inputs). Needs at least 2 rows.
LocalFits local_fits(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const std::vector<Eigen::Index>& rows,
                     Eigen::Index max_quadratic_inputs);

// The noise sd from scaled residuals (residual / scale) over the fitted rows (the full-rank ones
// when they are at least half): the median of their squares over the median of chi^2(1); 0
// when none is fitted.
double median_noise_sd(const LocalFits& fits);

}  // namespace kepler::detail
