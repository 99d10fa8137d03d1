// Internal to screening: the pairs of channels that are nearly linear in each other.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <vector>

namespace kepler::screening {

struct CorrelatedPair {
    std::size_t a = 0, b = 0;  // columns of X, a < b
    double r = 0.0;            // Pearson correlation over the rows where both have a value
};

// Pearson correlation of a and b over the rows where both are finite; `common` gets the count.
// NaN with fewer than 3 common rows or no spread.
double pearson(const Eigen::Ref<const Eigen::VectorXd>& a, const Eigen::Ref<const Eigen::VectorXd>& b,
               std::size_t* common = nullptr);

// Every pair of columns of X (NaN = missing) with |r| >= threshold over at least `min_common`
// common rows, r measured on at most `max_rows` evenly spaced rows. All pairs are screened at
// once with one matrix product of the standardised columns (missing values at the mean), which
// is the O(p^2 n) step of screening and runs at BLAS-like speed in Eigen; the pairs that come
// close are then measured exactly on their common rows.
std::vector<CorrelatedPair> correlated_pairs(const Eigen::MatrixXd& X, double threshold, std::size_t min_common,
                                             std::size_t max_rows);

}  // namespace kepler::screening
