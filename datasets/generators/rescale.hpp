// A table measured in another coherent unit system: each base unit j becomes 10^k_j of the
// old one, and every column is converted as if it had been measured in those units, while
// the headers keep the base units' names. A length measured in a unit of 10^k m is x / 10^k,
// so a column of dimension prod_j b_j^e_j is multiplied by 10^-(sum_j e_j k_j). Every
// dimensionless group, and so every dimensionally homogeneous law, is unchanged; only the
// magnitudes the search sees change (the bench's --rescale).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/units/dimension.hpp"

namespace kepler::datasets {

// Power-of-ten exponents k_j for `bases` base units, each an integer uniform in
// [-max_exponent, max_exponent], a pure function of (seed, key, j): the same law and seed
// give the same units on every machine. max_exponent 0 gives all zeros.
// Throws std::invalid_argument if max_exponent < 0 or bases > kMaxBaseDimensions.
std::vector<double> unit_exponents(std::uint64_t seed, std::string_view key, std::size_t bases, int max_exponent);

// The factor that converts a value of dimension `d` into the rescaled units:
// 10^-(sum_j d_j k_j). Slots of `d` past exponents.size() must be 0 (std::invalid_argument).
double rescale_factor(const Dimension& d, const std::vector<double>& exponents);

// Multiplies column c of `table` by rescale_factor(column_dimensions[c], exponents).
// Throws std::invalid_argument if column_dimensions does not have one entry per column.
void rescale_table(Table& table, const std::vector<Dimension>& column_dimensions, const std::vector<double>& exponents);

}  // namespace kepler::datasets
