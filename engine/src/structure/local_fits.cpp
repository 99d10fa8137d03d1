// Leave-one-out local polynomial fits (local_fits.hpp): nearest neighbours by brute force, one
// small least-squares fit per row.
#include "local_fits.hpp"

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace kepler::detail {

namespace {

// Below this ratio of smallest to largest pivot the normal equations lose too many digits.
constexpr double kMinPivotRatio = 1e-10;
// |A'w - e_0| below this: the centre's value is a combination of the neighbours' (estimable).
constexpr double kEstimableTolerance = 1e-6;
constexpr double kChiSquareMedian = 0.454936423119572;  // median of chi^2 with 1 degree of freedom

// The chosen rows with each input scaled to unit standard deviation, so that distances do not
// depend on units. A constant input is left out (it cannot tell rows apart).
Eigen::MatrixXd standardised(const Eigen::MatrixXd& X, const std::vector<Eigen::Index>& rows) {
    const auto n = static_cast<Eigen::Index>(rows.size());
    Eigen::MatrixXd Z(n, X.cols());
    Eigen::Index kept = 0;
    for (Eigen::Index c = 0; c < X.cols(); ++c) {
        Eigen::VectorXd column(n);
        for (Eigen::Index i = 0; i < n; ++i) column[i] = X(rows[static_cast<std::size_t>(i)], c);
        const double mean = column.mean();
        const double sd = std::sqrt((column.array() - mean).square().sum() / static_cast<double>(n));
        if (!(sd > 0.0)) continue;
        Z.col(kept++) = (column.array() - mean) / sd;
    }
    return Z.leftCols(kept);
}

struct Neighbour {
    double distance2;
    Eigen::Index row;
};

// The k nearest other rows of each row, nearest first (ties: the lower row first).
std::vector<std::vector<Neighbour>> nearest_neighbours(const Eigen::MatrixXd& Z, std::size_t k) {
    const Eigen::Index n = Z.rows();
    // Row-major copy: the inner loop walks one row's inputs.
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> R = Z;
    std::vector<std::vector<Neighbour>> out(static_cast<std::size_t>(n));
    std::vector<Neighbour> best;
    for (Eigen::Index i = 0; i < n; ++i) {
        best.assign(k, Neighbour{std::numeric_limits<double>::infinity(), -1});
        for (Eigen::Index j = 0; j < n; ++j) {
            if (j == i) continue;
            const double d2 = (R.row(i) - R.row(j)).squaredNorm();
            if (d2 >= best.back().distance2) continue;
            // Insertion into the sorted list of the k best so far.
            std::size_t p = k - 1;
            while (p > 0 && best[p - 1].distance2 > d2) {
                best[p] = best[p - 1];
                --p;
            }
            best[p] = Neighbour{d2, j};
        }
        out[static_cast<std::size_t>(i)] = best;
    }
    return out;
}

// The basis of a local polynomial around row i: 1, the offsets (x_j - x_i)/h and, for degree 2,
// their products (squares included); h (the farthest neighbour's distance) keeps it well scaled.
Eigen::RowVectorXd local_basis(const Eigen::RowVectorXd& offset, int degree) {
    const Eigen::Index d = offset.size();
    const Eigen::Index size = degree == 2 ? 1 + d + d * (d + 1) / 2 : 1 + d;
    Eigen::RowVectorXd b(size);
    b[0] = 1.0;
    b.segment(1, d) = offset;
    Eigen::Index next = 1 + d;
    if (degree == 2)
        for (Eigen::Index a = 0; a < d; ++a)
            for (Eigen::Index c = a; c < d; ++c) b[next++] = offset[a] * offset[c];
    return b;
}

// The weights w with which the least-squares fit over A's rows predicts its constant term (the
// value at the centre row): w = A (A'A)^-1 e_0. By the normal equations, several times cheaper
// than a pseudo-inverse and accurate enough here (the basis is scaled to at most 1); where they
// fail (neighbours on a lower-dimensional set, duplicate rows), by the pseudo-inverse, and
// `full_rank` then says whether the centre's value is still determined by the neighbours.
Eigen::VectorXd prediction_weights(const Eigen::MatrixXd& A, bool& full_rank) {
    const Eigen::MatrixXd normal = A.transpose() * A;
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(normal);
    full_rank = true;
    if (ldlt.info() == Eigen::Success && ldlt.isPositive()) {
        const Eigen::VectorXd v = ldlt.solve(Eigen::VectorXd::Unit(A.cols(), 0));
        const double pivot_ratio = ldlt.vectorD().minCoeff() / ldlt.vectorD().maxCoeff();
        if (v.allFinite() && pivot_ratio > kMinPivotRatio) return A * v;
    }
    // The value at the centre is still determined by the neighbours when e_0 lies in A's row
    // space (A'w = e_0: the neighbours on one line, the centre on it too); otherwise the
    // pseudo-inverse's prediction extrapolates off their set.
    const Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> cod(A);
    Eigen::VectorXd w = cod.pseudoInverse().row(0).transpose();
    full_rank = (A.transpose() * w - Eigen::VectorXd::Unit(A.cols(), 0)).norm() <= kEstimableTolerance;
    return w;
}

}  // namespace

// The rows to use: all of them, or max_rows drawn without replacement (a partial Fisher-Yates
// shuffle on the generator's raw output, so the draw is the same with every standard library).
std::vector<Eigen::Index> chosen_rows(Eigen::Index rows, std::size_t max_rows, std::uint64_t seed) {
    std::vector<Eigen::Index> index(static_cast<std::size_t>(rows));
    std::iota(index.begin(), index.end(), Eigen::Index{0});
    if (static_cast<std::size_t>(rows) <= max_rows) return index;
    std::mt19937_64 rng(seed);
    for (std::size_t i = 0; i < max_rows; ++i) {
        const std::size_t j = i + static_cast<std::size_t>(rng() % (index.size() - i));
        std::swap(index[i], index[j]);
    }
    index.resize(max_rows);
    std::sort(index.begin(), index.end());
    return index;
}

LocalFits local_fits(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const std::vector<Eigen::Index>& rows,
                     Eigen::Index max_quadratic_inputs) {
    const Eigen::MatrixXd Z = standardised(X, rows);
    const Eigen::Index d = Z.cols();
    const auto n = static_cast<Eigen::Index>(rows.size());
    LocalFits fits;
    // Quadratic where the rows allow twice its coefficients as neighbours, linear otherwise.
    const Eigen::Index quadratic_terms = 1 + d + d * (d + 1) / 2;
    fits.degree = (d <= max_quadratic_inputs && 2 * quadratic_terms + 1 <= n) ? 2 : 1;
    const Eigen::Index terms = fits.degree == 2 ? quadratic_terms : 1 + d;
    const auto k = static_cast<std::size_t>(std::min<Eigen::Index>(2 * terms, n - 1));
    fits.neighbours = k;
    const auto neighbours = nearest_neighbours(Z, k);

    // For each row: the local fit's prediction at it from its neighbours alone, yhat = w . y_nb;
    // the residual y - yhat has variance sigma^2 (1 + |w|^2) for noise of sd sigma.
    fits.at.resize(rows.size());
    Eigen::MatrixXd A(static_cast<Eigen::Index>(k), terms);
    Eigen::VectorXd values(static_cast<Eigen::Index>(k));
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto& nb = neighbours[static_cast<std::size_t>(i)];
        LocalFit& fit = fits.at[static_cast<std::size_t>(i)];
        for (const Neighbour& m : nb) fit.neighbours.push_back(static_cast<std::size_t>(m.row));
        const double h = std::sqrt(nb.back().distance2);
        if (!(h > 0.0)) continue;  // all neighbours on the row itself: nothing to fit
        for (std::size_t m = 0; m < k; ++m) {
            const auto j = static_cast<Eigen::Index>(m);
            A.row(j) = local_basis((Z.row(nb[m].row) - Z.row(i)) / h, fits.degree);
            values[j] = y[rows[static_cast<std::size_t>(nb[m].row)]];
        }
        const Eigen::VectorXd w = prediction_weights(A, fit.full_rank);
        fit.fitted = true;
        fit.residual = y[rows[static_cast<std::size_t>(i)]] - w.dot(values);
        fit.scale = std::sqrt(1.0 + w.squaredNorm());
    }
    return fits;
}

double median_noise_sd(const LocalFits& fits) {
    // Rows whose neighbours do not span the fit extrapolate (LocalFit::full_rank): left out when
    // at least half of the fitted rows remain.
    std::size_t fitted = 0, full_rank = 0;
    for (const LocalFit& f : fits.at) {
        fitted += f.fitted ? 1 : 0;
        full_rank += f.fitted && f.full_rank ? 1 : 0;
    }
    const bool only_full_rank = 2 * full_rank >= fitted;
    std::vector<double> scaled;
    scaled.reserve(fits.at.size());
    for (const LocalFit& f : fits.at)
        if (f.fitted && (f.full_rank || !only_full_rank))
            scaled.push_back((f.residual / f.scale) * (f.residual / f.scale));
    if (scaled.empty()) return 0.0;
    // The median, not the mean: a steep corner or a kink spoils the fit on a few rows, and their
    // large residuals must not pass for noise. For Gaussian noise the scaled residual is
    // sigma^2 chi^2(1), whose median is 0.45494 sigma^2.
    auto middle = scaled.begin() + static_cast<std::ptrdiff_t>(scaled.size() / 2);
    std::nth_element(scaled.begin(), middle, scaled.end());
    return std::sqrt(*middle / kChiSquareMedian);
}

}  // namespace kepler::detail
