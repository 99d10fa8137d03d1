// The dimensional rules a search applies to y = T^-1(a*f + b), shared by the enumerator and the
// evolution so that both admit exactly the same formulas.
#pragma once

#include <optional>

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

}  // namespace kepler::detail
