// Canonical text for what the unit grammars build, so that the fuzz targets can parse that text
// again and compare: a unit as "<scale> <coherent units>" ("0.27777777777777778 m*s^-1"), and a
// unit system as a file in which every unit and constant is written that way.
#pragma once

#include <string>

#include "kepler/units/unit_system.hpp"

namespace kepler::fuzz {

// The scale as the shortest text that reads back to it, then the dimension as a product of the
// system's coherent units (UnitSystem::format_in_units), nothing for a dimensionless unit:
// "1000 m", "2.5", "1 kg*m*s^-2", "1 cm^(3/2)*g^(1/2)*s^-1".
std::string unit_text(const UnitSystem& system, const ScaledDimension& value);

// A unit-system file that defines the same system: `system`, the bases in their order, the
// prefixes, then every other unit and the constants with their values as unit_text. Names are
// always quoted.
std::string unit_system_text(const UnitSystem& system);

}  // namespace kepler::fuzz
