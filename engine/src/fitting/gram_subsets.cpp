#include "kepler/fitting/gram_subsets.hpp"

#include <Eigen/Cholesky>
#include <limits>
#include <stdexcept>

namespace kepler {

namespace {

using SmallMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, GramSubsets::kMaxSubset, GramSubsets::kMaxSubset>;
using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, GramSubsets::kMaxSubset, 1>;

}  // namespace

GramSubsets::GramSubsets(const Eigen::MatrixXd& columns, const Eigen::VectorXd& y) {
    Eigen::MatrixXd unit = columns;
    for (Eigen::Index j = 0; j < unit.cols(); ++j) unit.col(j).normalize();
    gram_ = unit.transpose() * unit;
    projection_ = unit.transpose() * y;
    yy_ = y.squaredNorm();
}

double GramSubsets::rss(std::span<const Eigen::Index> chosen, double min_rcond) const {
    const auto k = static_cast<Eigen::Index>(chosen.size());
    if (k > kMaxSubset) throw std::invalid_argument("GramSubsets::rss: more columns than kMaxSubset");
    SmallMatrix G(k, k);
    SmallVector b(k);
    for (Eigen::Index i = 0; i < k; ++i) {
        b(i) = projection_(chosen[static_cast<std::size_t>(i)]);
        for (Eigen::Index j = 0; j < k; ++j)
            G(i, j) = gram_(chosen[static_cast<std::size_t>(i)], chosen[static_cast<std::size_t>(j)]);
    }
    const Eigen::LDLT<SmallMatrix> ldlt(G);
    if (ldlt.info() != Eigen::Success || !ldlt.isPositive() || (min_rcond > 0.0 && ldlt.rcond() < min_rcond))
        return std::numeric_limits<double>::infinity();
    return yy_ - b.dot(ldlt.solve(b));
}

}  // namespace kepler
