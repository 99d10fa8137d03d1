// Measurement tables from CSV text.
//
// Format: a header row of column names, each optionally followed by its unit in brackets
// (`v [m/s]` gives name "v", unit "m/s"; `ratio [1]`; no bracket gives unit ""), then one row
// of numbers per observation. The separator is ',' or ';', whichever the header line uses
// (outside quotes) first. Fields may be quoted ("..." with "" for a quote character), spaces
// around fields are trimmed, lines end in LF or CRLF, a UTF-8 byte-order mark is skipped, and
// trailing empty lines are ignored. Every cell must hold a number (`nan` and `inf` count);
// empty cells are an error for now.
#pragma once

#include <string>
#include <string_view>

#include "kepler/core/table.hpp"
#include "kepler/grammar/parse_error.hpp"

namespace kepler::grammar {

// Reads and parses the file at `path`. Throws ParseError with source = `path`; a file that
// cannot be opened or read gives line 0, column 0 and the message "cannot open file".
Table read_csv(const std::string& path);

// Parses CSV text; errors name `source_name`, the 1-based line and column, and what was
// expected, e.g. "expected 4 fields, found 3" or "expected a number, found 'abc'".
Table parse_csv(std::string_view text, std::string_view source_name);

}  // namespace kepler::grammar
