// One operator applied to whole arrays of values: the element-wise step every evaluator of
// the engine shares (the block evaluator, the derivative evaluator, the enumerator's bank).
#pragma once

#include <Eigen/Core>

#include "kepler/core/expression.hpp"

namespace kepler {

// out = op(a) for a unary operator; throws std::logic_error for any other node kind.
// `out` may be the same memory as `a`.
void apply_unary(Op op, Eigen::Map<const Eigen::ArrayXd> a, Eigen::Map<Eigen::ArrayXd> out);
// out = a op b for a binary operator; throws std::logic_error for any other node kind.
void apply_binary(Op op, Eigen::Map<const Eigen::ArrayXd> a, Eigen::Map<const Eigen::ArrayXd> b,
                  Eigen::Map<Eigen::ArrayXd> out);

}  // namespace kepler
