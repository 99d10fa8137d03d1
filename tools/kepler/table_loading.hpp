// Reading the table a command works on (kepler::api's loading), with errors printed the CLI's way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/grammar/csv_reader.hpp"
#include "kepler/units/table_units.hpp"

namespace kepler::cli {

// The table in `path` (its first options.max_rows rows, if set), or nothing after printing
// "kepler: error: <file>:<line>:<col>: ..." to stderr.
std::optional<Table> load_table(const std::string& path, const grammar::CsvOptions& options = {});

// True if `table` has a column `name`; otherwise prints an error naming the file's header
// line and the columns there are, and returns false.
bool check_column(const Table& table, const std::string& path, const std::string& name, const char* role);

// True if the dimensional analysis of the `used` columns (target first) can be done in exact
// arithmetic. Exponents are 32-bit rationals: units like m^(1/9973)*s^(1/9967) on a few columns
// overflow them while the dimension matrix is reduced. Then prints "kepler: error:
// FILE:1:COL: ..." naming the columns whose units have fractional exponents, and returns false.
bool check_exact_units(const Table& table, const std::string& path, const TableUnits& units,
                       const std::vector<std::size_t>& used);

}  // namespace kepler::cli
