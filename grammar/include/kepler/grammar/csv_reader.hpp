// Measurement tables from CSV text.
//
// Format: a header row of column names, each optionally followed by its unit in brackets
// (`v [m/s]` gives name "v", unit "m/s"; `ratio [1]`; no bracket gives unit ""), then one row
// of cells per observation. The separator is ',' or ';', whichever the header line uses
// (outside quotes) first. Fields may be quoted ("..." with "" for a quote character), spaces
// around fields are trimmed, lines end in LF, CRLF or CR, a UTF-8 byte-order mark is skipped,
// and trailing empty lines are ignored.
//
// A cell holds one of:
//   - a number (`1.5`, `-2e-3`, `+7`, `inf`), read correctly rounded;
//   - a missing value: an empty cell, `NaN`, `NA`, `N/A` or `null` (any letter case), stored as
//     a quiet NaN (Kepler's fit leaves such rows out and counts them);
//   - an ISO 8601 date-time (`2026-11-23T10:15:00Z`, `2026-11-23 10:15:00.250`,
//     `2026-11-23T11:15:00+01:00`, or a date alone), stored as seconds since the Unix epoch
//     (UTC; without an offset the time is taken as UTC).
// A column whose first non-missing cell is a date-time is a date-time column: its other cells
// must be date-times or missing, and a number column's cells numbers or missing. Anything else
// is an error naming the line and column, e.g. "expected a number or a missing value (empty,
// NaN, NA), found 'abc'", or a malformed date-time ("expected an ISO 8601 date-time ...").
//
// Timestamps: Table::roles marks a column as ColumnRole::Timestamp when it holds date-times, or
// when it holds numbers and its name (without the unit, any letter case) is one of time,
// timestamp, datetime, date_time, epoch, unix_time, t_unix, unix_timestamp. The unit and the
// position of a column play no part. Every other column is a ColumnRole::Measurement.
//
// Loading is parallel (oneTBB) and reads a file a block at a time, so memory is about the
// table's numbers (rows x columns x 8 bytes) plus a few blocks; the result and any error are
// those of a sequential parse (the first error in the file).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kepler/core/table.hpp"
#include "kepler/grammar/parse_error.hpp"

namespace kepler::grammar {

struct CsvOptions {
    // Read only the first max_rows data rows (0 = all); the rest of the file is not read.
    std::size_t max_rows = 0;
    // Rows are parsed in blocks of about this many bytes, in parallel (a block holds whole
    // rows, at least one). The default suits large files; tests use tiny blocks.
    std::size_t block_bytes = std::size_t{4} << 20;
    // A pipe (`<(command)`) is read into memory whole; more than this is refused (a file of
    // that size is read piece by piece instead). Devices (/dev/zero, a terminal) are refused.
    std::size_t max_pipe_bytes = std::size_t{1} << 30;
};

// The most columns a table may have: a formula names a column with a 16-bit index.
inline constexpr std::size_t kMaxCsvColumns = 65535;

// Reads and parses the file at `path`. Throws ParseError with source = `path`; a file that
// cannot be opened gives line 0, column 0 and the message "cannot open file" ("cannot read
// file" for a read error, "expected a regular file or a pipe, found a device" for /dev/zero,
// "expected at most N bytes through a pipe..." for a pipe longer than max_pipe_bytes). The
// header must be valid UTF-8 and have at most kMaxCsvColumns fields.
Table read_csv(const std::string& path, const CsvOptions& options = {});

// Parses CSV text; errors name `source_name`, the 1-based line and column, and what was
// expected, e.g. "expected 4 fields, found 3".
Table parse_csv(std::string_view text, std::string_view source_name, const CsvOptions& options = {});

}  // namespace kepler::grammar
