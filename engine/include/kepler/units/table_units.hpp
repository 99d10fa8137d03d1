// The units of a table's columns, resolved in one unit system.
#pragma once

#include <vector>

#include "kepler/units/unit_system.hpp"

namespace kepler {

// The units of a table: its unit system and, for every column, the scale of its unit to the
// system's coherent unit and its dimension (1 km/h = {0.2777..., L T^-1} in SI).
struct TableUnits {
    UnitSystem system;
    std::vector<ScaledDimension> columns;  // one per table column
};

}  // namespace kepler
