// The loader's first pass over a CSV's data rows: where the rows are, so that the matrix can be
// allocated once at its final size and blocks of rows parsed in parallel straight into it.
#pragma once

#include <cstddef>
#include <vector>

#include "csv_source.hpp"

namespace kepler::grammar::detail {

// A run of whole rows: its text starts at a row's first byte and ends after its last row's
// line end (or at the end of the data).
struct CsvBlock {
    std::size_t begin = 0;  // byte offset in the source
    std::size_t end = 0;
    std::size_t first_row = 0;  // index of its first row in the table
    std::size_t rows = 0;
    std::size_t first_line = 0;  // 1-based line of its first row, for error positions
};

struct CsvRowLayout {
    std::vector<CsvBlock> blocks;  // in file order, together covering [begin, end)
    std::size_t rows = 0;
    std::size_t end = 0;  // where the rows read end (before `end` given when max_rows cut them)
};

// Finds the rows of the data [begin, end) of `source`, whose first row is on line `first_line`.
// A row ends at a line end (LF, CRLF or a lone CR) outside double quotes; every line end counts
// for the line numbers. Quotes are tracked by parity, which is how the parser reads every
// well-formed file; where a stray quote would make the two disagree, the parser reports an
// error at or before that quote, in the same block, so the first error is still the right one.
// Blocks are cut at the first row end at least `block_bytes` after the block's start. With
// max_rows > 0 the layout stops after that many rows. `end` must not fall inside a line end.
CsvRowLayout scan_rows(const CsvSource& source, std::size_t begin, std::size_t end, std::size_t first_line,
                       std::size_t max_rows, std::size_t block_bytes);

}  // namespace kepler::grammar::detail
