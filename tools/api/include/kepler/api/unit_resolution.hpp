// Turning a table's unit texts (header brackets, or a side file of `name [unit]` lines) into
// scales and dimensions of a unit system: what gives discover() its dimensional analysis.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/units/table_units.hpp"

namespace kepler::api {

// Where the units come from (the CLI's --unit-system and --units).
struct UnitChoice {
    // A built-in system (si, si-angle, gaussian, natural, feynman) or a unit-system file's path.
    std::string system = "si";
    // A side file giving column units, one `name [unit]` a line, besides or instead of the
    // header's; "" for none.
    std::string file;
};

// The table columns a fit with this target and inputs works with: the target first, then the
// inputs (when `inputs` is empty, every other column that is not a timestamp, as discover()
// takes them). Names the table lacks are left out.
std::vector<std::size_t> used_columns(const Table& table, const std::string& target,
                                      const std::vector<std::string>& inputs);

// Every column's unit resolved through the chosen system, or nothing when no column has a unit
// (dimensional analysis off). `source` names the table in messages (its CSV path). `used` are
// the columns the caller works with: each needs a unit once any column has one.
//
// Throws InputError with a "FILE:LINE:COLUMN: message" text and its position: an unknown or
// malformed unit (in the header: "<source>:1:<col>"; in the side file: its line and column;
// in a table built by hand, whose unit positions are unknown: "unit of column 'a':1:<char>"),
// an unknown unit-system name ("... unknown unit system 'x'; expected one of: si, si-angle,
// gaussian, natural, feynman, or a file path"), a malformed unit-system or side file, a side-file column the table
// lacks, a column given two different units, a used column without a unit.
std::optional<TableUnits> resolve_units(const Table& table, std::string_view source, const UnitChoice& choice,
                                        const std::vector<std::size_t>& used);

// Checks that the dimensional analysis of the `used` columns (target first) can be done in exact
// arithmetic. Exponents are 32-bit rationals: units like m^(1/9973)*s^(1/9967) on a few columns
// overflow them while the dimension matrix is reduced. Throws InputError "SOURCE:1:COL: ..."
// naming the columns whose units have fractional exponents (finest first).
void check_exact_units(const Table& table, std::string_view source, const TableUnits& units,
                       const std::vector<std::size_t>& used);

}  // namespace kepler::api
