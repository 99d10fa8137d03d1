// What dimensional analysis tells the search before it starts: the target's unit-bearing
// monomial, the dimensionless groups (Buckingham Pi), whether a constant has to be brought in
// to make the target's dimension, and the constraints the search enforces.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/search/search_options.hpp"
#include "kepler/units/buckingham_pi.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler {

struct DimensionalPlan {
    PiAnalysis pi;
    DimensionalConstraints constraints;
    // Filled when the inputs cannot make the target's dimension: the constants of the system's
    // table that complete it (each on its own), or none (then the law has an unknown
    // dimensional constant). Which one a formula uses shows in its dimension: see
    // constant_used().
    std::vector<const PhysicalConstant*> constants;
    bool unknown_constant = false;
    std::vector<Expression> groups;     // each group as a formula over the inputs (Var k = input k)
    std::optional<Expression> monomial; // the target's monomial over the inputs, if reachable
};

// The constant of plan.constants whose power the scale of `formula` carries, if any: the
// target's dimension divided by the formula's (its constants counted as pure numbers).
const PhysicalConstant* constant_used(const DimensionalPlan& plan, const Expression& formula);

DimensionalPlan plan_dimensions(std::span<const Dimension> inputs, const Dimension& target, const UnitSystem& system);

// prod x_k^e_k as a formula: the positive powers over the negative ones (x1*x2/x3^2);
// the constant 1 if every exponent is zero.
Expression monomial_expression(std::span<const Rational> exponents);

}  // namespace kepler
