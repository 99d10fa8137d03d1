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
    norms_ = columns.colwise().norm().transpose();
    for (Eigen::Index j = 0; j < unit.cols(); ++j) unit.col(j) /= norms_(j);
    gram_ = unit.transpose() * unit;
    projection_ = unit.transpose() * y;
    yy_ = y.squaredNorm();
}

namespace {

// The Gram block and projection of `chosen`, factored; false where not positive definite or
// below min_rcond.
bool factor(const Eigen::MatrixXd& gram, const Eigen::VectorXd& projection, std::span<const Eigen::Index> chosen,
            double min_rcond, Eigen::LDLT<SmallMatrix>& ldlt, SmallVector& b) {
    const auto k = static_cast<Eigen::Index>(chosen.size());
    if (k > GramSubsets::kMaxSubset) throw std::invalid_argument("GramSubsets: more columns than kMaxSubset");
    SmallMatrix G(k, k);
    b.resize(k);
    for (Eigen::Index i = 0; i < k; ++i) {
        b(i) = projection(chosen[static_cast<std::size_t>(i)]);
        for (Eigen::Index j = 0; j < k; ++j)
            G(i, j) = gram(chosen[static_cast<std::size_t>(i)], chosen[static_cast<std::size_t>(j)]);
    }
    ldlt.compute(G);
    return ldlt.info() == Eigen::Success && ldlt.isPositive() && !(min_rcond > 0.0 && ldlt.rcond() < min_rcond);
}

}  // namespace

double GramSubsets::rss(std::span<const Eigen::Index> chosen, double min_rcond) const {
    Eigen::LDLT<SmallMatrix> ldlt;
    SmallVector b;
    if (!factor(gram_, projection_, chosen, min_rcond, ldlt, b)) return std::numeric_limits<double>::infinity();
    return yy_ - b.dot(ldlt.solve(b));
}

Eigen::VectorXd GramSubsets::coefficients(std::span<const Eigen::Index> chosen, double min_rcond) const {
    Eigen::LDLT<SmallMatrix> ldlt;
    SmallVector b;
    if (!factor(gram_, projection_, chosen, min_rcond, ldlt, b)) return {};
    const SmallVector unit = ldlt.solve(b);
    Eigen::VectorXd out(unit.size());
    for (Eigen::Index i = 0; i < unit.size(); ++i) out(i) = unit(i) / norms_(chosen[static_cast<std::size_t>(i)]);
    return out;
}

}  // namespace kepler
