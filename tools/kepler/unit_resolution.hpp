// The CLI's unit options (--unit-system, --units) and their resolution through kepler::api,
// with errors printed the CLI's way.
#pragma once

#include <CLI/App.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kepler/api/unit_resolution.hpp"
#include "kepler/core/table.hpp"
#include "kepler/units/table_units.hpp"

namespace kepler::cli {

struct UnitArguments {
    std::string unit_system = "si";
    std::string units_file;

    api::UnitChoice choice() const { return {unit_system, units_file}; }
};

// Adds --unit-system and --units to a subcommand.
void add_unit_options(CLI::App& command, UnitArguments& args);

struct ResolvedUnits {
    bool ok = true;                   // false: an error was printed, exit with kBadInput
    std::optional<TableUnits> units;  // none: the table has no units (dimensional analysis off)
};

// api::resolve_units, with its InputError printed as "kepler: error: FILE:LINE:COL: ..." and
// ok=false.
ResolvedUnits resolve_units(const Table& table, const std::string& data_path, const UnitArguments& args,
                            const std::vector<std::size_t>& used);

using api::used_columns;

}  // namespace kepler::cli
