// Constants a combination of parts does not need. Putting parts together leaves redundant
// constants behind: c * (a*g) * (b*h + d) with d = 0 and one scale for a, b and c, or
// c * exp(1.036 - u^2) where exp(1 - u^2) and another c fit as well. Levenberg-Marquardt
// cannot remove them (the fit is flat along the redundancy); this tries each free constant at
// a simple value (0, then the nearest integer) with the others refitted, and keeps the simple
// value when the fit stays as good. Internal to structure_split.cpp.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>

#include "kepler/core/expression.hpp"

namespace kepler::structure_split {

// `e` (constants as Const nodes) with redundant constants made simple, simplified. The fit
// "stays as good" when the sum of squared residuals grows by at most a factor 1 + 4/rows
// (what dropping a parameter costs at the noise level) plus rounding (1e-8 rms(y) per row).
// `stop` is asked before each trial (one LM fit); true: return what is pruned so far.
Expression prune_constants(const Expression& e, const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::uint64_t seed,
                           const std::function<bool()>& stop);

}  // namespace kepler::structure_split
