// Dimensional checking of a formula: the dimension of an Expression given each variable's
// dimension, or a DimensionError naming the node where the units stop making sense.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

#include "kepler/core/expression.hpp"
#include "kepler/units/dimension.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler {

struct DimensionError : std::runtime_error {
    std::size_t node;  // postfix index of the offending node (the operator, not its operand)

    DimensionError(std::size_t node_index, const std::string& message)
        : std::runtime_error(message), node(node_index) {}
};

// Largest denominator allowed in the exponent of a dimensional base: x^(1/2), x^(3/2), x^(1/12)
// pass; x^0.37 (37/100) or x^pi do not.
inline constexpr std::int32_t kMaxExponentDenominator = 12;

// The dimension of e given each variable's dimension. Rules:
//  - Const, Param and Pi are dimensionless; Var i has variables[i];
//  - + and - need equal dimensions; * and / multiply and divide dimensions;
//  - Neg and Abs keep the dimension; Sqrt halves the exponents;
//  - exp log sin cos tan asin acos atan tanh need a dimensionless argument and give a
//    dimensionless result;
//  - a^b needs b dimensionless; if a has a dimension, b must be constant (a Const, or a
//    subexpression of Const/Pi nodes that folds to a number, such as (1/2) or -(3); a Param is
//    not constant) whose value is a rational with denominator <= kMaxExponentDenominator,
//    and the result is dim(a)^b. If a is dimensionless, b may be anything dimensionless.
// Throws DimensionError with a readable message ("cannot add L to M L T^-2", "argument of exp
// must be dimensionless, found L"); dimensions are written with system->format when a system
// is given, else Dimension::to_string ("[e0^1 e1^-2]"). Throws std::invalid_argument if a
// variable has no entry in `variables` or the postfix array is malformed.
Dimension dimension_of(const Expression& e, std::span<const Dimension> variables, const UnitSystem* system = nullptr);

}  // namespace kepler
