// Subset least squares from the Gram matrix (fitting/gram_subsets.hpp): the residual of the
// law's own columns is rounding, a missing column leaves its share, and two columns alike to
// rounding are refused when the caller asks for a condition bound.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "kepler/fitting/gram_subsets.hpp"

using kepler::GramSubsets;

TEST(GramSubsets, ScoresEachSubsetByItsResidualSumOfSquares) {
    const Eigen::Index n = 200;
    Eigen::MatrixXd columns(n, 3);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const double x = 0.5 + 0.01 * static_cast<double>(i);
        columns.row(i) << x, x * x, std::sin(x);
        y(i) = 2.0 * x + 3.0 * x * x;
    }
    const GramSubsets gram(columns, y);
    EXPECT_EQ(gram.columns(), 3);
    const std::vector<Eigen::Index> law{0, 1}, half{0}, none{};
    EXPECT_NEAR(gram.rss(law), 0.0, 1e-8 * y.squaredNorm());
    // x alone: the residual of the least-squares line through the origin.
    const Eigen::VectorXd x = columns.col(0);
    const double k = x.dot(y) / x.squaredNorm();
    EXPECT_NEAR(gram.rss(half), (y - k * x).squaredNorm(), 1e-9 * y.squaredNorm());
    EXPECT_DOUBLE_EQ(gram.rss(none), y.squaredNorm());
}

TEST(GramSubsets, RefusesColumnsAlikeToRoundingAndTooLargeSubsets) {
    const Eigen::Index n = 50;
    Eigen::MatrixXd columns(n, 2);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const double x = 1.0 + static_cast<double>(i);
        columns.row(i) << x, x * (1.0 + 1e-15 * static_cast<double>(i % 3));
        y(i) = x;
    }
    const GramSubsets gram(columns, y);
    const std::vector<Eigen::Index> both{0, 1};
    EXPECT_TRUE(std::isinf(gram.rss(both, 1e-12)));
    const std::vector<Eigen::Index> nine(9, 0);
    EXPECT_THROW(gram.rss(nine), std::invalid_argument);
}
