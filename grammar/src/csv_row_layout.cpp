// Hand-written rather than a library: what it tracks (quote parity, the three kinds of line end,
// block cuts) is specific to this reader. Pieces without quotes go line to line with memchr;
// the rest byte by byte, one comparison for the bytes that matter to nothing here (everything
// above '"': digits, letters, , . - ;).

#include "csv_row_layout.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace kepler::grammar::detail {

namespace {

// Pieces of the source scanned at a time: big enough that reading them costs little per byte,
// small enough not to matter for memory.
constexpr std::size_t kChunkBytes = std::size_t{8} << 20;

class RowScanner {
public:
    RowScanner(std::size_t begin, std::size_t first_line, std::size_t max_rows, std::size_t block_bytes)
        : max_rows_(max_rows),
          block_bytes_(std::max<std::size_t>(block_bytes, 1)),
          line_(first_line),
          row_start_(begin) {
        block_.begin = begin;
        block_.first_line = first_line;
    }

    // Scans `text`, the bytes from offset `offset` on; false once max_rows rows are complete.
    bool scan(std::string_view text, std::size_t offset) {
        const char* data = text.data();
        const std::size_t n = text.size();
        std::size_t i = 0;
        // Fast path for a piece without quotes that starts a line (the common case): memchr
        // jumps from line end to line end. A lone CR (a line end memchr does not see) sends
        // the rest of the piece to the byte loop, from the start of its line.
        if (!in_quotes_ && !pending_cr_ && std::memchr(data, '"', n) == nullptr) {
            const bool has_cr = std::memchr(data, '\r', n) != nullptr;
            for (;;) {
                const void* hit = std::memchr(data + i, '\n', n - i);
                const std::size_t line_end_at =
                    hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - data) : n;
                if (has_cr) {
                    std::size_t length = line_end_at - i;
                    if (hit && length > 0 && data[line_end_at - 1] == '\r') --length;  // CRLF
                    if (std::memchr(data + i, '\r', length) != nullptr) break;
                }
                if (!hit) {
                    i = n;
                    break;
                }
                if (!line_end(offset + line_end_at + 1)) return false;
                i = line_end_at + 1;
            }
        }
        for (; i < n; ++i) {
            const char c = data[i];
            if (pending_cr_) {
                // A CR ends a line; a LF right after it is part of the same line end.
                pending_cr_ = false;
                if (c == '\n') {
                    if (!line_end(offset + i + 1)) return false;
                    continue;
                }
                if (!line_end(offset + i)) return false;
            }
            if (static_cast<unsigned char>(c) > '"') continue;
            if (c == '"') {
                in_quotes_ = !in_quotes_;
            } else if (c == '\n') {
                if (!line_end(offset + i + 1)) return false;
            } else if (c == '\r') {
                pending_cr_ = true;
            }
        }
        return true;
    }

    CsvRowLayout finish(std::size_t end) {
        if (!stopped_) {
            if (pending_cr_ && !line_end(end)) return std::move(layout_);
            if (end > row_start_) ++rows_;  // the last row, without a line end
            layout_.end = end;
            close_block(end);
        }
        layout_.rows = rows_;
        return std::move(layout_);
    }

private:
    // A line end; the next line starts at `next`. False once max_rows rows are complete.
    bool line_end(std::size_t next) {
        ++line_;
        if (in_quotes_) return true;
        ++rows_;
        row_start_ = next;
        if (max_rows_ > 0 && rows_ == max_rows_) {
            stopped_ = true;
            layout_.end = next;
            close_block(next);
            layout_.rows = rows_;
            return false;
        }
        if (next - block_.begin >= block_bytes_) {
            close_block(next);
            block_.begin = next;
            block_.first_row = rows_;
            block_.first_line = line_;
        }
        return true;
    }

    void close_block(std::size_t end) {
        block_.end = end;
        block_.rows = rows_ - block_.first_row;
        if (block_.rows > 0) layout_.blocks.push_back(block_);
    }

    std::size_t max_rows_;
    std::size_t block_bytes_;
    std::size_t line_;
    std::size_t row_start_;
    std::size_t rows_ = 0;
    bool in_quotes_ = false;
    bool pending_cr_ = false;
    bool stopped_ = false;
    CsvBlock block_;
    CsvRowLayout layout_;
};

}  // namespace

CsvRowLayout scan_rows(const CsvSource& source, std::size_t begin, std::size_t end, std::size_t first_line,
                       std::size_t max_rows, std::size_t block_bytes) {
    RowScanner scanner(begin, first_line, max_rows, block_bytes);
    std::vector<char> buffer;
    for (std::size_t at = begin; at < end; at += kChunkBytes) {
        const std::size_t to = std::min(end, at + kChunkBytes);
        if (!scanner.scan(source.read(at, to, buffer), at)) break;
    }
    return scanner.finish(end);
}

}  // namespace kepler::grammar::detail
