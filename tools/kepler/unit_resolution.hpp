// Turning a table's unit texts (header brackets or a --units side file) into scales and
// dimensions of a unit system, with the CLI's error reporting.
#pragma once

#include <CLI/App.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/pipeline/discover.hpp"

namespace kepler::cli {

struct UnitArguments {
    std::string unit_system = "si";
    std::string units_file;
};

// Adds --unit-system and --units to a subcommand.
void add_unit_options(CLI::App& command, UnitArguments& args);

struct ResolvedUnits {
    bool ok = true;                   // false: an error was printed, exit with kBadInput
    std::optional<TableUnits> units;  // none: the table has no units (dimensional analysis off)
};

// Every column's unit resolved through the chosen system. `used` are the table columns the
// command works with: each of them needs a unit once any column has one. Errors (an unknown
// unit, a malformed unit or unit-system file, a column given two different units, a used
// column without a unit) are printed as "kepler: error: FILE:LINE:COL: ..." and give ok=false.
ResolvedUnits resolve_units(const Table& table, const std::string& data_path, const UnitArguments& args,
                            const std::vector<std::size_t>& used);

// The table columns a command with this target and --inputs list works with: the target first,
// then the inputs (without --inputs, every other column that is not a timestamp).
std::vector<std::size_t> used_columns(const Table& table, const std::string& target,
                                      const std::vector<std::string>& inputs);

}  // namespace kepler::cli
