// Reading the table a command works on (kepler::api's loading), with errors printed the CLI's way.
#pragma once

#include <optional>
#include <string>

#include "kepler/core/table.hpp"
#include "kepler/grammar/csv_reader.hpp"

namespace kepler::cli {

// The table in `path` (its first options.max_rows rows, if set), or nothing after printing
// "kepler: error: <file>:<line>:<col>: ..." to stderr.
std::optional<Table> load_table(const std::string& path, const grammar::CsvOptions& options = {});

// True if `table` has a column `name`; otherwise prints an error naming the file's header
// line and the columns there are, and returns false.
bool check_column(const Table& table, const std::string& path, const std::string& name, const char* role);

}  // namespace kepler::cli
