// Reading a CSV table and checking column names, with the CLI's error messages.
#pragma once

#include <string>
#include <string_view>

#include "kepler/core/table.hpp"
#include "kepler/grammar/csv_reader.hpp"

namespace kepler::api {

// The table in `path` (its first options.max_rows rows, if set). Throws InputError with the
// reader's "<file>:<line>:<col>: ..." message and position.
Table load_table(const std::string& path, const grammar::CsvOptions& options = {});

// Throws InputError "<source>:1:1: unknown <role> column 'name'; expected one of: a, b, c"
// unless `table` has a column `name`. `role` is "target" or "input".
void require_column(const Table& table, std::string_view source, const std::string& name, std::string_view role);

}  // namespace kepler::api
