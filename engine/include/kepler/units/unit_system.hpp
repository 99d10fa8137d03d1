// A unit system: its base dimensions, named units (each a scale to the system's coherent unit
// and a dimension), prefixes, and a table of physical constants. Built by the grammar from a
// unit-system file (the built-ins si, si-angle, gaussian, natural and feynman are such files).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kepler/units/dimension.hpp"

namespace kepler {

// A value of a unit in the system's coherent units: 1 km = {1000, L}.
struct ScaledDimension {
    double scale = 1.0;
    Dimension dimension;
};

struct BaseDimension {
    std::string symbol;  // how dimensions are printed: "L", "M", "T", "I", "Theta", ...
    std::string name;    // "length"
    std::string unit;    // coherent unit symbol: "m"
};

struct Unit {
    std::string symbol;      // "N", "km/h" is not a unit but an expression of units
    ScaledDimension value;   // 1 symbol = value.scale coherent units of value.dimension
    bool prefixable = true;  // may take a prefix: "kN", "uF"
};

struct Prefix {
    std::string symbol;   // "k", "u", "µ"
    double factor = 1.0;  // 1e3, 1e-6
};

struct PhysicalConstant {
    std::string symbol;     // "c", "G", "k_B", "hbar"
    std::string name;       // "speed of light in vacuum"
    ScaledDimension value;  // value.scale is the value in coherent units
};

class UnitSystem {
public:
    std::string name;
    std::vector<BaseDimension> bases;  // at most kMaxBaseDimensions
    std::vector<Unit> units;
    std::vector<Prefix> prefixes;
    std::vector<PhysicalConstant> constants;

    // The unit called `symbol`: an exact match first, else a prefix followed by a prefixable
    // unit ("km" = k + m). Nothing if neither exists.
    std::optional<ScaledDimension> find_unit(std::string_view symbol) const;
    const PhysicalConstant* find_constant(std::string_view symbol) const;
    std::optional<std::size_t> base_index(std::string_view base_symbol) const;

    // Dimension in the system's notation, bases in the order the system declares them, zero
    // exponents left out: "M^1/2 L^3/2 T^-1" (Gaussian statcoulomb); "1" if dimensionless.
    std::string format(const Dimension& d) const;
    // The dimension as a product of coherent units: "kg*m*s^-2"; "1" if dimensionless.
    std::string format_in_units(const Dimension& d) const;
};

}  // namespace kepler
