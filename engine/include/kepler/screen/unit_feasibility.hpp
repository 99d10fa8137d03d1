// Can a set of channels give the target's unit? A screened subset is only worth searching if
// some formula over its channels has the target's dimension, with or without one constant of
// the unit system's table (the rule discover() applies), and if every channel in it can take
// part in such a formula: a channel whose unit cannot cancel against the others' (a
// temperature among forces and lengths with no constant bringing in kelvin) could only ever
// appear as a pure number, which is no dimensionally consistent use at all.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "kepler/units/dimension.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler {

struct UnitFeasibility {
    bool feasible = false;
    // Empty when the channels make the target's dimension on their own; otherwise every
    // constant of the system's table that completes it on its own (k_B and R both complete a
    // gas law in moles), in table order.
    std::vector<const PhysicalConstant*> constants;
    // Positions (into the inputs) of the channels that cannot enter any formula with the
    // target's dimension, with no constant and with each constant tried; empty when feasible.
    std::vector<std::size_t> unusable;
    bool target_reachable = false;  // some monomial (with a constant, if needed) has the target's dimension
};

// Exact (Buckingham Pi over rationals): a channel can take part when some monomial with the
// target's dimension or some dimensionless group has a nonzero exponent on it.
UnitFeasibility check_unit_feasibility(std::span<const Dimension> inputs, const Dimension& target,
                                       const UnitSystem& system);

}  // namespace kepler
