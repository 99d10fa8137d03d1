// Putting the parts of a separable split back together: y = c * g_1 * ... * g_k or
// y = c0 + c_1 g_1 + ... + c_k g_k, with every constant (the c's and the parts' own) refitted
// together by Levenberg-Marquardt on the original rows. Internal to structure_split.cpp.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler::structure_split {

enum class Joint { product, sum };

struct Combination {
    Expression formula;             // the whole formula, constants folded in, simplified
    std::vector<Expression> terms;  // each part as fitted: c * g_1 (product: c rides on the first), c_i g_i (sum)
    double constant = 0.0;          // sum: c0 (product: 0, unused)
    double rmse = 0.0;              // on the rows it was fitted on
};

// parts: formulas over X's columns (each uses its own group of inputs). Starting values of the
// joint constants come from linear least squares on (X, y); then all constants are fitted by
// fit_constants on X, y (give at most a few thousand rows: the caller samples). Empty when the
// combination is not finite on some row or the linear start is singular.
std::optional<Combination> combine_parts(Joint joint, const std::vector<Expression>& parts, const Eigen::MatrixXd& X,
                                         const Eigen::VectorXd& y, std::uint64_t seed);

// The data a part must fit once the others are known, from the real rows:
// product: y / (product of the other terms); sum: y - c0 - (sum of the other terms).
// Rows where that is not finite get NaN (the caller drops them).
Eigen::VectorXd residual_for_part(Joint joint, const Combination& combination, std::size_t part,
                                  const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

}  // namespace kepler::structure_split
