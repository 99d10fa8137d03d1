// Whether a formula with fitted numbers can be dimensionally consistent: dimension_of
// (dimension_check.hpp) reads every number as a pure number, but a search fits constants that
// carry units (the gas constant in P = 8.314*n*T/V, an offset in metres in c/(x + 0.12)). This
// check asks instead whether SOME assignment of dimensions to the formula's numbers makes it
// well-typed, and so tells a law that needs a dimensional constant from one that takes the
// cosine of a length (cos(x)/x with x in metres), which no choice of units repairs.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/units/dimension.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler {

// Where and why a formula cannot be made consistent.
struct Inconsistency {
    std::size_t node;     // postfix index of the operator whose rule fails
    std::string message;  // "argument of cos must be dimensionless, found L"
};

// The rules, over an unknown dimension u_j (rational exponents) for every number j:
//  - Const and Param nodes are numbers that may carry ANY dimension (u_j free): a scale, an
//    offset or a coefficient in the table's units. So x + 1 with x a length is consistent (the
//    1 reads as one unit of length, as a fitted offset x0 would), and cos(c*x) is (c carries
//    1/length). Pi is a pure number (it never carries a unit).
//  - Var i has variables[i]; + and - need equal dimensions; * and / multiply and divide;
//    Neg and Abs keep the dimension; Sqrt halves and Square doubles it;
//  - exp log sin cos tan asin acos atan tanh need a dimensionless argument and give a
//    dimensionless result;
//  - a^b needs b dimensionless. If b folds to a number (Const and Pi nodes only, as
//    dimension_of reads it) that is a rational with denominator <= kMaxExponentDenominator,
//    the result is dim(a)^b; otherwise (x^0.37, x^p with p fitted, x^y) a must be
//    dimensionless and so is the result.
//  - with `target` given, the whole formula must have that dimension.
// Every rule is a linear equation over the exponents of the u_j, one system per base
// dimension with the same coefficients; the equations are reduced one at a time (Gaussian
// elimination, in the order of the postfix walk), and the first one the earlier ones make
// unsatisfiable is the inconsistency reported, with the dimension it is left with
// ("argument of cos must be dimensionless, found L"; written with system->format when a
// system is given, else Dimension::to_string). Nothing when a consistent assignment exists.
// Throws std::invalid_argument if a variable has no entry in `variables` or the postfix
// array is malformed.
std::optional<Inconsistency> dimensional_inconsistency(const Expression& e, std::span<const Dimension> variables,
                                                       const std::optional<Dimension>& target,
                                                       const UnitSystem* system = nullptr);

// True when dimensional_inconsistency finds nothing.
inline bool dimensionally_consistent(const Expression& e, std::span<const Dimension> variables,
                                     const std::optional<Dimension>& target) {
    return !dimensional_inconsistency(e, variables, target).has_value();
}

// The dimension each number of `e` (its Const and Param nodes, in postfix order) must carry by
// the rules above, where they fix it: in 0.083*T/(x + 29.8), with T in K, x in m and the target
// in Pa, the 0.083 carries Pa*m/K and the 29.8 m. Nothing for a number the rules leave free
// (in 2*T/(3*x + 4) the units can sit on the 2 or the 3), and nothing for any number when e is
// inconsistent. Throws as dimensional_inconsistency does.
std::vector<std::optional<Dimension>> number_dimensions(const Expression& e, std::span<const Dimension> variables,
                                                        const std::optional<Dimension>& target);

}  // namespace kepler
