// Constants of the unit system by name (README "Named constants"), a step of discover()'s
// finish (discover_stages.hpp): a law's number that is k*pi^a*C^b for a constant C of the
// system's table (snap_constants.hpp), and the constant the dimensional plan brought in, are
// written as C in a named form, an ordinary Expression over the inputs followed by the named
// constants, which the printers write with the constants' symbols. Its numeric form (each
// constant's value substituted: 2*pi*sqrt(L/9.80665)) is what is scored and judged.
//
// Units: the constants' values are in coherent units, so the law is named in coherent units
// (each input divided by its unit scale, the target multiplied by its own) and the named form
// is then brought back to the table's units with the scale factors kept as numbers; where
// they cancel (P [kPa], V [L]: 1 kPa*L = 1 J) the law reads as a physicist writes it,
// P = 0.05*R*T/V. A named form must be dimensionally consistent with the constants' dimensions;
// its dimension may differ from the target's only by one base unit to the power +-1 carried by
// the multiplier (0.05 mol of gas: 0.05*R), which a note says. When no number is a constant's
// form, the constant the plan brought in is named with its multiplier fitted (period =
// 6.2822*sqrt(L/g_n) when the data do not fix 2*pi; see brought_in for the choice of constant).
// Before snapping, a sum with a number in it is written with a leading 1 (0.063 - 7e-19*v^2 as
// 0.063*(1 - 1.11e-17*v^2)), so that a constant the search split over two numbers is one:
// m_0/sqrt(1 - v^2/c^2). A constant whose symbol is the name of a column of the table is never
// named: the name is the column's.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/units/dimension.hpp"
#include "kepler/units/unit_system.hpp"
#include "run_state.hpp"

namespace kepler::pipeline {

struct NamedLaw {
    Expression numeric;  // over the inputs, in the table's units: what is scored
    Expression named;    // Var k < inputs is input k, Var inputs + j is constants[j]
    std::vector<const PhysicalConstant*> constants;
    std::vector<std::string> notes;  // each constant named and how; a multiplier's unit
};

class ConstantNamer {
public:
    // Nothing is named without units or with DiscoverOptions::snap_constants off.
    explicit ConstantNamer(const RunState& run);

    // The named form of `e` (over the inputs in the table's units, simplified), or nothing
    // when it names no constant.
    std::optional<NamedLaw> name(const Expression& e) const;

    // Notes for the run: columns that have a constant's name (the name is the column's).
    const std::vector<std::string>& notes() const { return notes_; }

private:
    // The target's dimension over the named form's; nothing if the form is inconsistent.
    std::optional<Dimension> missing(const Expression& named) const;
    std::optional<Expression> brought_in(const Expression& coherent, std::vector<std::string>& notes) const;
    Expression with_constant(const Expression& coherent, std::size_t j, Rational p) const;
    Expression in_table_units(const Expression& coherent) const;  // simplified

    const RunState& run_;
    bool active_ = false;
    std::size_t inputs_ = 0;
    std::vector<double> scales_;  // each input's unit scale to coherent units
    double target_scale_ = 1.0;
    Eigen::MatrixXd X_;  // coherent units, then one column per constant (its value)
    Eigen::VectorXd y_;
    std::vector<PhysicalConstant> constants_;  // the system's, less those named like a column
    std::vector<Dimension> dimensions_;        // the inputs', then the constants'
    Dimension target_;
    std::vector<std::string> notes_;
};

// For a law with a dimensional constant of its own (the plan found no constant of the table
// that completes the target's dimension): what each number that multiplies a term of the law
// carries, one note per number ("the number 0.3315 carries the unit kg*m^2*s^-3*A^-2", a
// resistance), in coherent units when every column is in them, else as a dimension. `e` is a
// formula over the inputs; terms whose dimension cannot be read are skipped.
std::vector<std::string> unit_carrying_notes(const RunState& run, const Expression& e);

// "k_B = 1.380649e-23 kg*m^2*s^-2*K^-1 (Boltzmann constant)": a constant brought in, as
// DiscoveryResult::constants_introduced lists it.
std::string describe_constant(const PhysicalConstant& c, const UnitSystem& system);

// The constant as FoundLaw::named_constants lists it (value and unit in coherent units).
NamedConstant named_constant(const PhysicalConstant& c, const UnitSystem& system);

}  // namespace kepler::pipeline
