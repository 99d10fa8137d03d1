// Random test tables shared by the tests: inputs drawn uniformly and independently.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>

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

// gamma(a) + gamma(b)*c over the first three columns: a smooth law outside the grammar, the
// target of tests of run control (signals, limits, checkpoints, progress). No short formula
// fits it and what the best one leaves is structure, not noise, so a search of it runs to its
// time limit. (A target of pure noise no longer does: the noise-floor rule ends the search once
// a constant leaves only noise.)
inline Eigen::VectorXd unreachable_law(const Eigen::MatrixXd& x) {
    Eigen::VectorXd y(x.rows());
    for (Eigen::Index r = 0; r < x.rows(); ++r) y(r) = std::tgamma(x(r, 0)) + std::tgamma(x(r, 1)) * x(r, 2);
    return y;
}

// That law as CSV text: columns y,a,b,c,d, `rows` rows, inputs uniform in [1, 5].
inline std::string unreachable_law_csv(int rows, std::uint64_t seed) {
    const Eigen::MatrixXd x = uniform_matrix(rows, 4, 1.0, 5.0, seed);
    const Eigen::VectorXd y = unreachable_law(x);
    std::ostringstream csv;
    csv.precision(17);
    csv << "y,a,b,c,d\n";
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        csv << y(r);
        for (Eigen::Index c = 0; c < x.cols(); ++c) csv << "," << x(r, c);
        csv << "\n";
    }
    return csv.str();
}

}  // namespace kepler::testing
