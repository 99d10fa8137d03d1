// What dimensional analysis tells the search before it starts: the target's unit-bearing
// monomial, the dimensionless groups (Buckingham Pi), whether a constant has to be brought in
// to make the target's dimension, and the constraints the search enforces.
#pragma once

#include <Eigen/Core>
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
    std::vector<Expression> groups;      // each group as a formula over the inputs (Var k = input k)
    std::optional<Expression> monomial;  // the target's monomial over the inputs, if reachable
    // The powers of two the search's rows were multiplied by, each input's then the target's
    // (empty: none); see undo_binary_scaling.
    std::vector<int> binary_powers;
};

// The constant of plan.constants whose power the scale of `formula` carries, if any: the
// target's dimension divided by the formula's (its constants counted as pure numbers).
// Null also when the formula's dimension cannot be read (dimension_of throws); then
// `failure`, if given, receives the reason.
const PhysicalConstant* constant_used(const DimensionalPlan& plan, const Expression& formula,
                                      std::string* failure = nullptr);

DimensionalPlan plan_dimensions(std::span<const Dimension> inputs, const Dimension& target, const UnitSystem& system);

// Picks, among the monomials with the target's dimension (the plan's times integer powers of
// the groups), the one that leaves the dimensionless rest y/monomial flattest: log|y/m| is
// regressed on the logs of the groups and each slope, rounded to an integer, moves into the
// monomial. Buckingham Pi's smallest exponents are arbitrary between such choices (E = m*v^2
// or m*c^2 times a function of v/c), and the search over the groups finds the rest sooner
// when it has no power to rebuild (m*c^2/sqrt(1 - v^2/c^2) is 1/sqrt(1 - g^2) over m*c^2, but
// 1/(g^2*sqrt(1 - g^2)) over m*v^2). Powers beyond 2 are not moved (a steep non-power rest
// such as exp(-g^2) has a large local slope), and the change is kept only if it lowers the
// variance of log|y/m|; a no-op without a monomial or groups, or where y/m or a group is not
// of one sign. X: rows x inputs in coherent units, as the plan's formulas read them.
// discover() searches the groups over Buckingham Pi's monomial first and over this one with
// the time left when the first finds no exact law.
void balance_monomial(DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

// The search runs on rows whose columns far from 1 were multiplied by powers of two
// (discover_units.cpp), so a group over those rows is its value times a power of two: a
// different number inside exp(hbar*omega/(k_B*T)) that the search would have to fit. This
// multiplies each group by the power that undoes it, and the monomial by the one that makes
// y/monomial the table's y/monomial, so the groups problem is the same at any magnitudes.
// binary_powers: each input's power, then the target's; kept in the plan for balance_monomial.
void undo_binary_scaling(DimensionalPlan& plan, std::vector<int> binary_powers);

// prod x_k^e_k as a formula: the positive powers over the negative ones (x1*x2/x3^2);
// the constant 1 if every exponent is zero.
Expression monomial_expression(std::span<const Rational> exponents);

}  // namespace kepler
