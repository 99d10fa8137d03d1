// The search fits its constants on a sample of rows, by linear least squares of one scale and
// one offset. Before a finalist is judged, all of its free constants (those that are not small
// integers or 1/2) are refitted together by Levenberg–Marquardt on the table's rows, which
// matters most on noisy data and for constants inside functions.
#pragma once

#include <Eigen/Core>
#include <cstdint>

#include "kepler/core/expression.hpp"

namespace kepler {

// Rows used at most (evenly spread over the table): enough for the constants' precision,
// bounded so that a log of a million rows does not make polishing slow.
inline constexpr Eigen::Index kPolishRows = 10000;

// `e` with its free constants refitted, or `e` itself if that does not lower the squared
// error on the rows used (or there is nothing to fit).
Expression polish_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                            const Eigen::Ref<const Eigen::VectorXd>& y, std::uint64_t seed = 1);

// Calls f(Xr, yr) with the rows polish_constants fits on: X and y themselves up to
// kPolishRows rows, else every k-th row (deterministic, and spread over the whole table, for
// drifting logs), so that the snapping rule judges on the rows the constants were fitted on.
template <class F>
auto with_polish_rows(const Eigen::Ref<const Eigen::MatrixXd>& X, const Eigen::Ref<const Eigen::VectorXd>& y, F&& f) {
    if (X.rows() <= kPolishRows) return f(X, y);
    const Eigen::Index step = (X.rows() + kPolishRows - 1) / kPolishRows;
    const Eigen::Index n = (X.rows() + step - 1) / step;
    Eigen::MatrixXd Xs(n, X.cols());
    Eigen::VectorXd ys(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        Xs.row(i) = X.row(i * step);
        ys(i) = y(i * step);
    }
    return f(Eigen::Ref<const Eigen::MatrixXd>(Xs), Eigen::Ref<const Eigen::VectorXd>(ys));
}

}  // namespace kepler
