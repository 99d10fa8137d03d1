// The constants of a unit system that complete a target's dimension: with one of them as an
// extra input, some monomial has the target's dimension. The one rule behind the pipeline's
// dimensional plan (a search's scale may carry a power of such a constant), the screen's
// feasibility check (a subset of channels is worth searching) and constant_to_complete.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "kepler/units/buckingham_pi.hpp"
#include "kepler/units/dimension.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler {

struct CompletingConstant {
    std::size_t index = 0;                       // in system.constants
    const PhysicalConstant* constant = nullptr;  // &system.constants[index]
    // buckingham_pi of the inputs followed by the constant (its exponent last); its
    // target_exponents are set.
    PiAnalysis pi;
};

// Every constant of `system` that completes the target's dimension on its own, in table order
// (all of them: the smallest exponents do not tell k_B from R for a gas law in moles, the data
// do). Dimensionless constants are skipped: they complete nothing. Whether the inputs reach the
// target without a constant is not looked at (check buckingham_pi first where that matters).
// Throws std::overflow_error as buckingham_pi does, only if an exponent overflows 32 bits.
std::vector<CompletingConstant> completing_constants(std::span<const Dimension> inputs, const Dimension& target,
                                                     const UnitSystem& system);

}  // namespace kepler
