// Least squares of y on subsets of one set of columns, each scored without touching the rows:
// with the columns scaled to unit norm, the Gram matrix G = M'M and b = M'y give a subset S's
// residual sum of squares as y'y - b_S' G_SS^-1 b_S, a solve of |S| x |S|. The polynomial
// quick fit (search/quick_fits.cpp) tries every subset of up to 4 of 66 monomials this way,
// the rational and root quick fits (pipeline/rational_fit.cpp) every choice of numerator and
// denominator terms. Choosing on the Gram matrix squares the condition number: fine for
// choosing, not for the digits of a law, which the callers fit again on the columns.
#pragma once

#include <Eigen/Core>
#include <span>

namespace kepler {

class GramSubsets {
public:
    // Subsets of at most this many columns (the solves need no heap).
    static constexpr Eigen::Index kMaxSubset = 8;

    // `columns` unscaled, one row per row of y; a zero column has no unit norm, so callers
    // leave such columns out.
    GramSubsets(const Eigen::MatrixXd& columns, const Eigen::VectorXd& y);

    // The residual sum of squares of y on the columns `chosen`, or +inf when their Gram block
    // is not positive definite or its reciprocal condition number is below min_rcond (two
    // columns alike to rounding). Throws std::invalid_argument for more than kMaxSubset columns.
    double rss(std::span<const Eigen::Index> chosen, double min_rcond = 0.0) const;

    // The least-squares coefficients of y on the columns `chosen` as given (unscaled), as rss
    // solves for them; empty where rss is +inf.
    Eigen::VectorXd coefficients(std::span<const Eigen::Index> chosen, double min_rcond = 0.0) const;

    Eigen::Index columns() const { return gram_.cols(); }

private:
    Eigen::MatrixXd gram_;
    Eigen::VectorXd norms_;  // of the columns as given
    Eigen::VectorXd projection_;
    double yy_ = 0.0;
};

}  // namespace kepler
