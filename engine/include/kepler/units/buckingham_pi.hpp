// Buckingham Pi on the dimension matrix D (rows = base dimensions, columns = inputs): a
// monomial prod x_j^p_j with the target's dimension (D p = d(target)) and a basis of the
// dimensionless products (the null space of D), both with small exponents.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "kepler/units/dimension.hpp"
#include "kepler/units/rational.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler {

struct PiAnalysis {
    // Rank of the inputs' dimension matrix.
    std::size_t rank = 0;
    // p (one entry per input) with prod x_j^p_j having the target's dimension, small
    // exponents preferred; nullopt if the inputs cannot make it. All zeros for a
    // dimensionless target (an empty vector when there are no inputs).
    std::optional<std::vector<Rational>> target_exponents;
    // A basis of the dimensionless products: n_inputs - rank vectors of exponents, each
    // scaled to coprime integers with a positive first nonzero entry, small entries preferred.
    std::vector<std::vector<Rational>> groups;
};

// How many choices of pivot (repeating) inputs buckingham_pi tries when looking for small
// exponents. Beyond it the search stops; the first choice tried is always the natural one
// (the pivots of the reduced row echelon form), so a result always exists.
inline constexpr std::size_t kMaxPivotChoices = 5000;

// Exact (Rational) analysis. Throws std::overflow_error only if an exponent overflows 32 bits.
//
// "Small": each choice of r = rank independent inputs as pivots (free inputs the rest) gives
// one null-space basis (each free input to the power 1, solved for the pivots) and one
// particular solution (free inputs to the power 0). Kept are the basis with the smallest
// sum of |exponents| over all its vectors (after integer scaling; tie: fewer nonzeros, then
// the earlier pivot choice in lexicographic order), and independently the particular solution
// with the smallest sum of |p| (same ties).
PiAnalysis buckingham_pi(std::span<const Dimension> inputs, const Dimension& target);

// Which constant of `system` (at most one) makes the target's dimension reachable when added
// as an extra input. Tried in table order; among those that work, the one whose solution has
// the smallest sum of |exponents| (its own included) wins, the earliest on a tie. Dimensionless
// constants are skipped. nullopt if none works, and also if the inputs already reach the
// target (no constant is needed; check buckingham_pi first).
std::optional<std::size_t> constant_to_complete(std::span<const Dimension> inputs, const Dimension& target,
                                                const UnitSystem& system);

}  // namespace kepler
