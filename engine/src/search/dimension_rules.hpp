// The transforms and dimensional rules a search applies to y = T^-1(a*f + b), shared by the
// enumerator and the evolution so that both try the same transforms and admit exactly the same
// formulas.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <vector>

#include "kepler/search/search_options.hpp"
#include "kepler/search/target_transform.hpp"
#include "kepler/units/dimension.hpp"

namespace kepler::detail {

// The dimension of T(y) for a target of dimension `target`, or nothing where T is meaningless
// for it (log, exp and the inverse trigonometric functions need a dimensionless y).
std::optional<Dimension> transformed_dimension(const TargetTransform& t, const Dimension& target);

// Whether T(y) = a*f + b can hold for f of dimension `df` when T(y) has dimension `dt`: the
// scale a must be a pure number, carry a power of a constant brought in, or be free, as
// `constraints.scale` says. (The offset b is a pure number, so it is allowed only when T(y) is
// dimensionless.)
bool scale_admissible(const DimensionalConstraints& constraints, const Dimension& dt, const Dimension& df);

// As above, for a search with or without units (without, every scale is admissible).
bool scale_admissible(const std::optional<DimensionalConstraints>& constraints, const Dimension& dt,
                      const Dimension& df);

// One transform of the target that a search fits T(y) ~ a*f + b to.
struct SearchTransform {
    TargetTransform transform;
    Dimension dimension;     // of T(y); dimensionless in a search without units
    bool allow_offset;       // b is a pure number: only where T(y) is dimensionless
    Eigen::VectorXd values;  // T(y) on the sample rows
    double centred_norm;     // the sum of (T(y) - mean)^2 over the sample rows, > 0
};

// The transforms a search tries, in order (the algebraic ones, Identity first, then the
// inverse functions): those defined on every value of `y` (all rows, so that T^-1 of a fit
// holds on every row), meaningful for the target's dimension (transformed_dimension), and
// varying over the sample `sample_y` (a constant T(y) cannot be fitted by a*f + b with a != 0).
std::vector<SearchTransform> search_transforms(const Eigen::VectorXd& y, const Eigen::VectorXd& sample_y,
                                               const std::optional<DimensionalConstraints>& constraints);

}  // namespace kepler::detail
