#include "kepler/screen/unit_feasibility.hpp"

#include <stdexcept>

#include "kepler/units/buckingham_pi.hpp"
#include "kepler/units/completing_constants.hpp"

namespace kepler {

namespace {

// Which of the first `count` inputs some solution of `pi` (a monomial with the target's
// dimension or a dimensionless group) uses. Any monomial with the target's dimension is the
// particular one plus null-space vectors, so if neither the particular one nor a basis vector
// uses input k, no formula does.
std::vector<bool> used_inputs(const PiAnalysis& pi, std::size_t count) {
    std::vector<bool> used(count, false);
    for (std::size_t k = 0; k < count; ++k) {
        used[k] = pi.target_exponents && !(*pi.target_exponents)[k].is_zero();
        for (const auto& g : pi.groups) used[k] = used[k] || !g[k].is_zero();
    }
    return used;
}

bool all_of(const std::vector<bool>& v) {
    for (bool b : v)
        if (!b) return false;
    return true;
}

}  // namespace

UnitFeasibility check_unit_feasibility(std::span<const Dimension> inputs, const Dimension& target,
                                       const UnitSystem& system) {
    UnitFeasibility out;
    // Over every analysis that reaches the target: the inputs some formula could use.
    std::vector<bool> ever_used(inputs.size(), false);
    auto note_reachable = [&](const std::vector<bool>& used) {
        out.target_reachable = true;
        for (std::size_t k = 0; k < used.size(); ++k) ever_used[k] = ever_used[k] || used[k];
    };
    try {
        const PiAnalysis plain = buckingham_pi(inputs, target);
        if (plain.target_exponents) {
            const std::vector<bool> used = used_inputs(plain, inputs.size());
            if (all_of(used)) {
                out.feasible = true;
                out.target_reachable = true;
                return out;
            }
            note_reachable(used);
        }
        // A constant may complete the target's dimension, or let a channel in (mol with N_A).
        for (const CompletingConstant& c : completing_constants(inputs, target, system)) {
            const std::vector<bool> used = used_inputs(c.pi, inputs.size());
            note_reachable(used);
            if (all_of(used)) out.constants.push_back(c.constant);
        }
    } catch (const std::overflow_error&) {
        // Exponents beyond 32 bits: no law of physics needs those; what was found stands (the
        // inputs' own analysis; the constants' analyses come all at once or not at all).
    }
    out.feasible = !out.constants.empty();
    if (!out.feasible && out.target_reachable)
        for (std::size_t k = 0; k < inputs.size(); ++k)
            if (!ever_used[k]) out.unusable.push_back(k);
    return out;
}

}  // namespace kepler
