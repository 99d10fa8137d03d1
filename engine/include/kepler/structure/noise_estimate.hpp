// How much noise is in the target, from the table alone: a yardstick for "is the rest noise?"
// that does not depend on any model of the law.
//
// Why a second estimate next to the surrogate's (surrogate.hpp): that one is one model's
// opinion, traded against smoothness by marginal likelihood, and its held-out RMSE carries its
// own misfit; a stop rule that asks "is the rest noise?" should not be judged by the model it
// is judging with. This one assumes only a smooth law, and is cheap. The two fail differently:
// the surrogate follows an oscillating law better (I.30.3 without noise: 6e-4 of rms(y) against
// 7e-2 here), this one needs no fit of the whole table.
//
// The method: at each row, a local polynomial fitted to its nearest neighbours alone (not the
// row itself) predicts the row's target as a weighted sum of theirs, yhat_i = w_i . y_nb, so
//     y_i - yhat_i = e_i - w_i . e_nb + (the local fit's misfit of the law),
// whose variance is sigma^2 (1 + |w_i|^2) plus the misfit squared. The estimate is the median
// over rows of (y_i - yhat_i)^2 / (1 + |w_i|^2), over the median of chi^2(1). The fits are
// quadratic (misfit ~ h^3 for neighbours within h) up to max_quadratic_inputs inputs, linear
// above, on twice as many neighbours as coefficients, in inputs scaled to unit variance.
//
// Why not the Gamma test (Stefansson, Koncar & Jones 1997; half the mean squared difference to
// the k-th neighbour, regressed on the squared distance, intercept = noise variance): tried first,
// on the same tables it was 0.5-3.8 times the noise at 0.01 in 2 to 4 inputs and often 0 (a
// negative intercept): the law's curvature between neighbours is not linear in their squared
// distance when they are ~0.2 standard deviations apart, as 1,000 rows in 3 inputs leave them.
// Why the median: a steep corner or a near pole spoils the local fit on a few rows, and their
// residuals must not pass for noise.
//
// Assumptions: the noise is independent between rows, with one variance, and near Gaussian (the
// median's factor is Gaussian's; a heavy-tailed noise reads low); the law is smooth on the scale
// of the local fits; the inputs are what the law depends on. The misfit only adds, so the
// estimate errs upwards: it is the noise plus what a local quadratic cannot follow, which grows
// with the inputs at a fixed row count and with the law's oscillation (sin^2 of an angle with
// several periods in the box).
//
// Accuracy, measured on the 100 Feynman laws (1,000 rows each, uniform_table, seed 1; estimate
// over the noise drawn, noise relative to rms(y)):
//     inputs   noise 0 (/ rms(y))    noise 0.01            noise 0.1
//     1-2      median 1e-5, max 2e-4 1.00-1.07             1.00-1.03
//     3        median 5e-4, 90% 4e-3 median 1.09, 90% 1.22 median 1.02, 90% 1.05, max 2.0
//     4        median 3e-3, 90% 1e-2 median 1.2, 90% 1.7   0.97-1.04 (90%), max 1.7
//     5-6      median 1e-2           median 2, 90% 4.2     median 1.08, 90% 1.15, max 1.5
//     8-9      2e-2 - 8e-2           2.7-7.7               1.1-1.3
// Never below 0.97 of the noise at 0.01 or 0.1. The worst are oscillating laws (I.30.3, III.8.54,
// I.50.26, III.15.12: 7-11 at noise 0.01).
//
// Cost: rows are subsampled to max_rows and neighbours are found by brute force, O(n^2 d), then
// one small least-squares fit per row (at most 56 x 28 at 6 inputs): ~10 ms for 1,000 rows in
// 2 to 4 inputs, ~50 ms in 6, on one core. A k-d tree would not pay: in 5 to 9 inputs it
// degenerates to a near full scan,
// and the distances cost less than the local fits. Deterministic for a seed (the subsample is
// the only random choice). Throws only on bad input (below).
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>

namespace kepler {

struct NoiseEstimateOptions {
    std::size_t max_rows = 2000;  // a random subset of this many rows when the table has more
    // Local quadratic fits up to this many inputs (28 coefficients at 6), linear above.
    Eigen::Index max_quadratic_inputs = 6;
    std::uint64_t seed = 1;
};

struct NoiseEstimate {
    double sd = 0.0;             // the noise's standard deviation, in y's units
    int degree = 0;              // of the local fits: 2 (quadratic) or 1 (linear)
    std::size_t neighbours = 0;  // rows in each local fit
    std::size_t rows = 0;        // rows used (after subsampling)
};

// X: rows x inputs, y: the target, all finite. Throws std::invalid_argument when the sizes
// differ, a value is not finite, or there are fewer than 12 rows.
NoiseEstimate estimate_noise(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                             const NoiseEstimateOptions& options = {});

}  // namespace kepler
