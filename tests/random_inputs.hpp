// Random test tables shared by the search tests: inputs drawn uniformly and independently.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <random>

namespace kepler::testing {

// rows x cols values uniform in [low, high), the same for the same seed.
inline Eigen::MatrixXd uniform_matrix(Eigen::Index rows, Eigen::Index cols, double low, double high,
                                      std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(low, high);
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r)
        for (Eigen::Index c = 0; c < cols; ++c) m(r, c) = u(rng);
    return m;
}

}  // namespace kepler::testing
