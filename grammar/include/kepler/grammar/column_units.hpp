// Column units from a side file (the CLI's `--units FILE`), for tables whose header carries no
// units. One column per line, in the form of a CSV header cell:
//
//   # comments and blank lines are ignored
//   P [Pa]
//   v [m/s]          # a comment may follow
//   mass flow [kg/s] # a name may contain spaces (trimmed at both ends)
//
// The unit text is not interpreted here: it is a unit expression (kepler/grammar/unit_parser.hpp)
// to be parsed in whatever unit system is in use, and each entry keeps its position so that
// errors from that parse point into the side file:
//
//   parse_unit(u.unit_text, system, path, u.line, u.column_in_line - 1)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "kepler/grammar/parse_error.hpp"

namespace kepler::grammar {

struct ColumnUnit {
    std::string column;              // "P"
    std::string unit_text;           // "Pa", trimmed
    std::size_t line = 0;            // 1-based line of the entry
    std::size_t column_in_line = 0;  // 1-based column (in characters) of unit_text's first character
};

// Reads the file at `path`. Throws ParseError with source = `path`: line 0, column 0,
// "cannot open file" if it cannot be read; otherwise as parse_column_units.
std::vector<ColumnUnit> read_column_units(const std::string& path);

// The entries in file order. Throws ParseError naming `source_name`, line, column and what was
// expected: "expected a column name, found '['", "expected '[' and the column's unit, found end
// of line", "expected a unit inside the brackets, found ']'", "expected ']', found end of line",
// "expected end of line, found 'x'", "column 'P' is already listed on line 3".
std::vector<ColumnUnit> parse_column_units(std::string_view text, std::string_view source_name);

}  // namespace kepler::grammar
