// Rows whose target is a spike: a sensor's glitch (a reading ×10, a dropped digit) that one row
// carries and its neighbours do not. A few such rows dominate every sum of squares the search
// ranks formulas by, so they are found before the search, from the table alone, and left out
// (discover() says how many in its notes; DiscoverOptions::reject_spikes turns it off).
//
// The test, at each row: a local polynomial fitted to the row's nearest neighbours alone
// (local_fits.hpp, as the noise estimate) predicts its target; the row is a spike when its
// residual is
//  1. above noise_sigmas (8) times the noise, by the median-based noise estimate of the same
//     fits (a Gaussian residual that far out has probability 1e-15): not noise;
//  2. above local_spreads (5) times the spread of its neighbours' targets (their median
//     absolute deviation): not the local fit's misfit of a steep law. Near a pole, a kink or an
//     oscillation the fits miss by many noise sds on exact data too, but by less than the
//     target varies across the neighbours (measured on 1,000 rows at noise 0: at most 2.2
//     times near the pole of 1/(3 - z), 1 for asin near 1, 1.2 for sin(3x)); a spike x10 is
//     17 to 50 times;
//  3. the largest among its neighbours' residuals: a spike also spoils its neighbours'
//     predictions (by its weight in their fits), and only its own row is the spike.
// A row whose neighbours do not span the local polynomial (a logged input held at a set-point:
// the neighbours all share its value, the row does not) is not judged: its prediction would be
// an extrapolation (the gas-piston log's V steps gave 28 false spikes before this rule).
// Rows found are left out and the fits redone (in rounds, at most max_rounds), since a spike's
// neighbours are judged again without it. If more than max_share (5 %) of the rows would go,
// these are not glitches but a law the local fits cannot follow, or a second population: none
// is left out and SpikeRows::gave_up says so.
//
// Measured on 1,000 rows (tests/test_spike_rows.cpp): 10 spikes x10 in 3 and 5 inputs at noise
// 0, 0.01 and 0.1 all found (but for a row whose value is so small that x10 stays within 12
// noise sds), at most one other row with them; no row on the clean tables, the pole, asin,
// sin(3x), tan and Gaussian laws at noise 0 and 0.01.
//
// Cost: brute-force neighbours in chunks of at most chunk_rows rows (a random partition, so
// every row is judged among neighbours from its chunk): O(rows * chunk_rows * inputs) per
// round, ~20 ms per 1,000 rows in 3 inputs. Deterministic for a seed.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace kepler {

struct SpikeOptions {
    double noise_sigmas = 8.0;
    double local_spreads = 5.0;
    double max_share = 0.05;
    int max_rounds = 8;
    std::size_t chunk_rows = 2000;
    Eigen::Index max_quadratic_inputs = 6;
    std::uint64_t seed = 1;
};

struct SpikeRows {
    std::vector<Eigen::Index> rows;   // indices into X and y, increasing
    bool gave_up = false;             // more than max_share of the rows looked like spikes: none returned
    std::size_t would_have_been = 0;  // how many, when gave_up
};

// X: rows x inputs, y: the target, all finite (std::invalid_argument otherwise, or when the
// sizes differ). Fewer than 30 rows: none (too few neighbours to tell a spike from the law).
SpikeRows find_spike_rows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SpikeOptions& options = {});

}  // namespace kepler
