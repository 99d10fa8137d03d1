// CSV tables. The row structure (separators, quotes, line ends) is scanned by hand, which is
// what lets every error say exactly which line and column went wrong and what was expected
// there; each cell's number goes through a Spirit X3 primitive parser, a date-time through the
// X3 grammar of date_time.cpp.
//
// The cell parser wraps std::from_chars rather than using x3::double_: on this toolchain
// from_chars (libstdc++ 12, fast_float) is about 30% faster than x3::double_ and rounds
// correctly, while x3::double_ can be an ulp off for 17-digit values (measured on 3 million
// numbers), so a table written with full precision would not read back bit for bit.
//
// Loading is two passes (docs/ARCHITECTURE.md): the header is parsed, a first pass finds the
// rows (csv_row_layout.hpp) and cuts them into blocks, the matrix is allocated once at its
// final size, and the blocks are parsed in parallel straight into it. A file is read with
// pread, a block at a time, so memory is the matrix plus a few blocks. Each block keeps its
// first error and, per column, its first number and first date-time cell; merged in file order
// they give the same table, and the same first error, as one sequential parse.

#include "kepler/grammar/csv_reader.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/spirit/home/x3.hpp>
#include <charconv>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "csv_row_layout.hpp"
#include "csv_source.hpp"
#include "date_time.hpp"
#include "text_position.hpp"

namespace kepler::grammar {

namespace {

namespace x3 = boost::spirit::x3;
using Iterator = const char*;
using detail::CsvBlock;
using detail::CsvSource;

// An X3 primitive: a decimal number as std::from_chars reads it (also nan, inf, infinity), with
// an optional leading '+' that from_chars itself does not take.
struct CellNumberParser : x3::parser<CellNumberParser> {
    using attribute_type = double;
    static constexpr bool has_attribute = true;

    template <typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, const Iterator& last, const Context& context, RContext&, Attribute& attr) const {
        x3::skip_over(first, last, context);
        Iterator p = first;
        if (p != last && *p == '+' && p + 1 != last && *(p + 1) != '-' && *(p + 1) != '+') ++p;
        double value;
        auto [end, ec] = std::from_chars(p, last, value, std::chars_format::general);
        if (ec != std::errc()) return false;
        first = end;
        x3::traits::move_to(value, attr);
        return true;
    }
};
constexpr CellNumberParser cell_number{};

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kNumberOrMissing = "a number or a missing value (empty, NaN, NA)";

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_line_end(char c) { return c == '\n' || c == '\r'; }
bool is_white(char c) { return is_blank(c) || is_line_end(c); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view text, std::string_view lower_word) {
    if (text.size() != lower_word.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (lower(text[i]) != lower_word[i]) return false;
    return true;
}

// The spellings of a missing value besides the empty cell and NaN (which from_chars reads).
bool is_missing_word(std::string_view text) {
    return equals_ignoring_case(text, "na") || equals_ignoring_case(text, "n/a") || equals_ignoring_case(text, "null");
}

// A numeric column with one of these names (any letter case) holds timestamps.
bool named_like_a_timestamp(std::string_view name) {
    constexpr std::array<std::string_view, 8> kNames = {"time",  "timestamp", "datetime", "date_time",
                                                        "epoch", "unix_time", "t_unix",   "unix_timestamp"};
    return std::any_of(kNames.begin(), kNames.end(), [&](std::string_view n) { return equals_ignoring_case(name, n); });
}

std::string quote(std::string_view text) {
    constexpr std::size_t kMax = 40;
    std::string out;
    out += '\'';
    if (text.size() > kMax) {
        out += text.substr(0, kMax);
        out += "...";
    } else {
        out += text;
    }
    out += '\'';
    return out;
}

std::string fields(std::size_t n) { return std::to_string(n) + (n == 1 ? " field" : " fields"); }

// The first cell of one kind (a number, a date-time) in a column, within one block.
struct CellSeen {
    std::size_t line = 0;  // 0: none seen
    std::size_t column = 0;
    std::string text;
    bool seen() const { return line != 0; }
    bool before(const CellSeen& other) const {
        return line < other.line || (line == other.line && column < other.column);
    }
};

// What parsing one block found besides its numbers.
struct BlockOutcome {
    std::optional<ParseError> error;        // the block's first error; parsing stopped there
    std::vector<CellSeen> first_number;     // per column; empty if the block was not parsed
    std::vector<CellSeen> first_date_time;  // per column
};

struct Field {
    std::string text;  // unescaped and trimmed
    Iterator begin;    // first character of the field in the input (its opening quote if quoted)
    bool quoted = false;
};

// Parses a piece of CSV text: the header (at the start of the data), or a block of whole rows.
// The piece ends at the end of the data or of the block; `line` is the line the piece starts on.
class CsvParser {
public:
    CsvParser(std::string_view text, std::string_view source, std::size_t line, char separator = ',')
        : source_(source),
          p_(text.data()),
          end_(text.data() + text.size()),
          content_end_(end_),
          line_start_(p_),
          line_(line),
          separator_(separator) {}

    std::size_t offset(Iterator base) const { return static_cast<std::size_t>(p_ - base); }
    std::size_t line() const { return line_; }
    char separator() const { return separator_; }

    // ---------------------------------------------------------------- header

    void parse_header(Table& table) {
        if (p_ == content_end_) fail(p_, "expected a header row, found an empty file");
        detect_separator();
        std::unordered_map<std::string, std::size_t> seen;
        for (;;) {
            Field field = read_field();
            if (table.names.size() == kMaxCsvColumns)
                fail(field.begin, "expected at most " + std::to_string(kMaxCsvColumns) + " columns, found more");
            add_column(table, field, seen);
            if (p_ != content_end_ && *p_ == separator_) {
                ++p_;
                continue;
            }
            break;
        }
        if (p_ != content_end_) next_line();  // on the header's line end
    }

    // ---------------------------------------------------------------- data

    // Parses the block's `rows` rows into out[c * stride + r] (r counted from the block's first
    // row), noting each column's first number and date-time cell in `outcome`.
    void parse_rows(std::size_t rows_expected, double* out, std::size_t stride, BlockOutcome& outcome) {
        const std::size_t columns = outcome.first_number.size();
        std::size_t rows = 0;
        while (p_ < content_end_) {
            // A blank line between data rows is a row without fields.
            Iterator q = p_;
            while (q != content_end_ && is_blank(*q)) ++q;
            if (q != content_end_ && is_line_end(*q)) fail(p_, "expected " + fields(columns) + ", found an empty line");
            // The first pass counted the rows by quote parity; the parser reports any stray quote
            // that could make the counts differ before it gets here, so this is a safeguard.
            if (rows == rows_expected) fail(p_, "expected the end of the rows, found more (unbalanced '\"')");

            for (std::size_t c = 0; c < columns; ++c) {
                out[c * stride + rows] = read_cell(c, outcome);
                // p_ is now on the separator, the line end, or the end of the data.
                if (c + 1 < columns) {
                    if (p_ == content_end_ || *p_ != separator_)
                        fail(p_, "expected " + fields(columns) + ", found " + std::to_string(c + 1));
                    ++p_;
                } else if (p_ != content_end_ && *p_ == separator_) {
                    ++p_;
                    std::size_t found = columns + count_remaining_fields();
                    while (p_ != content_end_ && is_blank(*p_)) ++p_;
                    fail(p_, "expected " + fields(columns) + ", found " + std::to_string(found));
                }
            }
            ++rows;
            if (p_ != content_end_) next_line();
        }
        if (rows != rows_expected) fail(p_, "expected more rows, found the end of the block (unbalanced '\"')");
    }

private:
    // ---------------------------------------------------------------- positions and errors

    // Counted on from the last position asked for when that lies before `where` on the same
    // line, so that walking along a long line (a header, a first row noting every column's
    // first number) stays linear.
    std::size_t column_of(Iterator where) const { return column_in(line_start_, where); }
    std::size_t column_in(Iterator line_start, Iterator where) const {
        if (column_cache_.line_start != line_start || column_cache_.at > where)
            column_cache_ = {line_start, line_start, 1};
        column_cache_.column += detail::column_of(column_cache_.at, where) - 1;
        column_cache_.at = where;
        return column_cache_.column;
    }

    // Where a header field's text is not valid UTF-8, and the message for it.
    void check_utf8(const Field& field, std::size_t index) const {
        const std::size_t bad = detail::invalid_utf8_at(field.text);
        if (bad == std::string_view::npos) return;
        // Unquoted header fields are the input bytes themselves (past leading blanks).
        Iterator where = field.quoted ? field.begin : field.begin + bad;
        fail(where, "expected a column header in UTF-8, found the byte 0x" + detail::hex_byte(field.text[bad]) +
                        " that is not UTF-8 in header field " + std::to_string(index));
    }

    [[noreturn]] void fail(Iterator where, std::string message) const {
        throw ParseError(std::string(source_), line_, column_of(where), std::move(message));
    }

    // Consumes one line end (LF, CRLF or a lone CR) at p_ and starts the next line.
    void next_line() {
        if (*p_ == '\r') ++p_;
        if (p_ != end_ && *p_ == '\n') ++p_;
        ++line_;
        line_start_ = p_;
    }

    // ---------------------------------------------------------------- fields

    // The separator: ',' or ';', whichever appears first outside quotes on the header line.
    void detect_separator() {
        bool in_quotes = false;
        for (Iterator q = p_; q != content_end_; ++q) {
            if (*q == '"')
                in_quotes = !in_quotes;
            else if (in_quotes)
                continue;
            else if (*q == ',' || *q == ';') {
                separator_ = *q;
                return;
            } else if (is_line_end(*q)) {
                return;
            }
        }
    }

    // Reads a quoted field starting at p_ (on the opening quote), returns its content and
    // leaves p_ after the closing quote. Line ends inside the quotes are part of the content.
    std::string read_quoted() {
        Iterator open = p_;
        std::size_t open_line = line_;
        Iterator open_line_start = line_start_;
        std::string content;
        ++p_;
        for (;;) {
            if (p_ >= content_end_) {
                line_ = open_line;
                line_start_ = open_line_start;
                fail(open, "expected a closing '\"' for the quoted field that starts here, found end of file");
            }
            char c = *p_;
            if (c == '"') {
                if (p_ + 1 != content_end_ && p_[1] == '"') {
                    content += '"';
                    p_ += 2;
                    continue;
                }
                ++p_;
                return content;
            }
            if (c == '\n' || (c == '\r' && (p_ + 1 == end_ || p_[1] != '\n'))) {
                content += '\n';
                ++p_;
                ++line_;
                line_start_ = p_;
                continue;
            }
            if (c != '\r') content += c;  // CRLF inside quotes becomes LF
            ++p_;
        }
    }

    // After a quoted field: blanks, then a separator, a line end or the end of the data.
    void expect_field_end_after_quote() {
        while (p_ != content_end_ && is_blank(*p_)) ++p_;
        if (p_ == content_end_ || *p_ == separator_ || is_line_end(*p_)) return;
        Iterator token_end = p_;
        while (token_end != content_end_ && *token_end != separator_ && !is_line_end(*token_end)) ++token_end;
        std::string message = "expected '";
        message += separator_;
        message += "' or the end of the line after a quoted field, found ";
        message += quote(std::string_view(p_, static_cast<std::size_t>(token_end - p_)));
        fail(p_, std::move(message));
    }

    // Reads one field of any kind (header fields, quoted cells); p_ is left on the separator,
    // the line end, or the end of the data.
    Field read_field() {
        while (p_ != content_end_ && is_blank(*p_)) ++p_;
        Field field;
        field.begin = p_;
        if (p_ != content_end_ && *p_ == '"') {
            field.quoted = true;
            field.text = read_quoted();
            expect_field_end_after_quote();
            // White space inside the quotes is trimmed too: quotes only protect separators.
            std::string_view t = field.text;
            while (!t.empty() && is_white(t.front())) t.remove_prefix(1);
            while (!t.empty() && is_white(t.back())) t.remove_suffix(1);
            field.text = std::string(t);
            return field;
        }
        Iterator q = p_;
        while (q != content_end_ && *q != separator_ && !is_line_end(*q)) ++q;
        Iterator text_end = q;
        while (text_end != p_ && is_blank(text_end[-1])) --text_end;
        field.text.assign(p_, text_end);
        p_ = q;
        return field;
    }

    // How many fields the rest of the line holds, from p_ (just after a separator); p_ is not moved.
    std::size_t count_remaining_fields() const {
        std::size_t count = 1;
        bool in_quotes = false;
        for (Iterator q = p_; q != content_end_; ++q) {
            if (*q == '"')
                in_quotes = !in_quotes;
            else if (in_quotes)
                continue;
            else if (*q == separator_)
                ++count;
            else if (is_line_end(*q))
                break;
        }
        return count;
    }

    // ---------------------------------------------------------------- header

    // Splits `name [unit]` and checks the name.
    void add_column(Table& table, const Field& field, std::unordered_map<std::string, std::size_t>& seen) {
        // Where a character of the field's text lies in the input (exact for unquoted fields
        // and for quoted ones without "" escapes, which is all that a header needs).
        auto at = [&](std::size_t offset) {
            Iterator base = field.begin;  // already past leading blanks
            if (field.quoted) {
                ++base;
                while (base != content_end_ && is_white(*base)) ++base;
            }
            return base + offset;
        };
        check_utf8(field, table.names.size() + 1);
        std::string_view text = field.text;
        std::string_view name = text, unit;
        std::size_t unit_column = 0;
        std::size_t open = text.find('[');
        if (open != std::string_view::npos) {
            std::size_t close = text.find(']', open + 1);
            if (close == std::string_view::npos)
                fail(at(open), "expected ']' to close the unit that starts here, found end of the column header");
            std::string_view after = text.substr(close + 1);
            std::size_t extra = after.find_first_not_of(" \t");
            if (extra != std::string_view::npos)
                fail(at(close + 1 + extra),
                     "expected the end of the column header after the unit, found " + quote(after.substr(extra)));
            name = text.substr(0, open);
            while (!name.empty() && is_blank(name.back())) name.remove_suffix(1);
            unit = text.substr(open + 1, close - open - 1);
            while (!unit.empty() && is_blank(unit.front())) unit.remove_prefix(1);
            unit_column = column_of(at(static_cast<std::size_t>(unit.data() - text.data())));
            while (!unit.empty() && is_blank(unit.back())) unit.remove_suffix(1);
        }
        std::size_t index = table.names.size() + 1;
        if (name.empty() && open == std::string_view::npos)
            fail(field.begin,
                 "expected a column name in header field " + std::to_string(index) + ", found an empty field");
        if (name.empty())
            fail(field.begin, "expected a column name before the unit in header field " + std::to_string(index));
        auto [it, inserted] = seen.emplace(std::string(name), index);
        if (!inserted)
            fail(field.begin, "expected a unique column name, found " + quote(name) + " again (it also names column " +
                                  std::to_string(it->second) + ")");
        table.names.emplace_back(name);
        table.units.emplace_back(unit);
        table.unit_columns.push_back(unit.empty() ? 0 : unit_column);
    }

    // ---------------------------------------------------------------- cells

    // Where a cell starts: its line and that line's start (a quoted cell may span lines).
    struct CellStart {
        std::size_t line;
        Iterator line_start;
        Iterator at;
    };

    [[noreturn]] void fail_at(const CellStart& cell, std::string message) const {
        throw ParseError(std::string(source_), cell.line, column_in(cell.line_start, cell.at), std::move(message));
    }

    void note(std::vector<CellSeen>& first, std::size_t column, const CellStart& cell, std::string_view text) const {
        CellSeen& seen = first[column];
        if (seen.seen()) return;
        seen.line = cell.line;
        seen.column = column_in(cell.line_start, cell.at);
        seen.text = text;
    }

    // One cell of column `column`; p_ ends on what follows it (separator, line end, end of data).
    double read_cell(std::size_t column, BlockOutcome& outcome) {
        while (p_ != content_end_ && is_blank(*p_)) ++p_;
        const CellStart cell{line_, line_start_, p_};
        if (p_ != content_end_ && *p_ != '"') {
            // Fast path: the number straight from the input.
            double value = 0.0;
            if (x3::parse(p_, content_end_, cell_number, value)) {
                Iterator number_end = p_;
                while (p_ != content_end_ && is_blank(*p_)) ++p_;
                if (p_ == content_end_ || *p_ == separator_ || is_line_end(*p_)) {
                    if (value == value)  // NaN is a missing value, not a number
                        note(outcome.first_number, column, cell, std::string_view(cell.at, number_end - cell.at));
                    return value;
                }
            }
            p_ = cell.at;
        }
        Field field = read_field();
        return cell_value(field.text, column, cell, outcome);
    }

    // A cell that is not a plain number (or is quoted): a missing value, a number in quotes,
    // a date-time, or an error.
    double cell_value(std::string_view text, std::size_t column, const CellStart& cell, BlockOutcome& outcome) const {
        if (text.empty() || is_missing_word(text)) return kMissing;
        double value = 0.0;
        Iterator first = text.data(), last = first + text.size();
        if (x3::parse(first, last, cell_number, value) && first == last) {
            if (value == value) note(outcome.first_number, column, cell, text);
            return value;
        }
        if (detail::looks_like_date_time(text)) {
            if (std::optional<double> seconds = detail::parse_date_time(text)) {
                note(outcome.first_date_time, column, cell, text);
                return *seconds;
            }
            std::string message = "expected ";
            message += detail::kDateTimeForm;
            message += ", found ";
            message += quote(text);
            fail_at(cell, std::move(message));
        }
        first = text.data();
        if (*first == '+') ++first;
        auto [end, ec] = std::from_chars(first, last, value, std::chars_format::general);
        if (ec == std::errc::result_out_of_range && end == last)
            fail_at(cell, "expected a number within the range of a double, found " + quote(text));
        std::string message = "expected ";
        message += kNumberOrMissing;
        message += ", found ";
        message += quote(text);
        fail_at(cell, std::move(message));
    }

    struct ColumnCache {
        Iterator line_start = nullptr;
        Iterator at = nullptr;
        std::size_t column = 1;
    };
    mutable ColumnCache column_cache_;
    std::string_view source_;
    Iterator p_;
    Iterator end_;
    Iterator content_end_;
    Iterator line_start_;
    std::size_t line_;
    char separator_;
};

// ---------------------------------------------------------------- the whole table

// Where the data ends: trailing empty (or blank) lines are not rows, so the data ends after its
// last visible character. A quoted field always ends in '"', so this never cuts one short.
std::size_t trimmed_end(const CsvSource& source, std::size_t begin, std::size_t end, std::vector<char>& buffer) {
    constexpr std::size_t kStep = std::size_t{1} << 16;
    while (end > begin) {
        const std::size_t from = end - std::min(end - begin, kStep);
        std::string_view tail = source.read(from, end, buffer);
        std::size_t keep = tail.size();
        while (keep > 0 && is_white(tail[keep - 1])) --keep;
        if (keep > 0) return from + keep;
        end = from;
    }
    return begin;
}

struct Header {
    std::size_t data_begin = 0;  // offset of the first data row
    std::size_t data_line = 0;   // its line
    char separator = ',';
};

// Parses the header from a prefix of the data that grows until it holds the whole header line
// (a file's header is read without reading the file).
Header read_header(const CsvSource& source, std::string_view name, std::size_t begin, std::size_t end, Table& table,
                   std::vector<char>& buffer) {
    std::size_t prefix = std::size_t{1} << 16;
    for (;;) {
        const std::size_t to = source.in_memory() ? end : std::min(end, begin + prefix);
        const bool whole = to == end;
        std::string_view text = source.read(begin, to, buffer);
        // A prefix may end inside the header: an error, or a header that fills the whole prefix,
        // then only means the prefix was too short.
        Table header;
        try {
            CsvParser parser(text, name, 1);
            parser.parse_header(header);
            const std::size_t consumed = parser.offset(text.data());
            if (consumed < text.size()) {
                table = std::move(header);
                return {begin + consumed, parser.line(), parser.separator()};
            }
            if (whole)  // point at the start of the (missing) line after the header
                throw ParseError(std::string(name), parser.line() + 1, 1,
                                 "expected at least one data row, found end of file");
        } catch (const ParseError&) {
            if (whole) throw;
        }
        prefix *= 4;
    }
}

// The first error in file order among `first` and `candidate`.
void keep_first(std::optional<ParseError>& first, const ParseError& candidate) {
    if (!first || candidate.line() < first->line() ||
        (candidate.line() == first->line() && candidate.column() < first->column()))
        first = candidate;
}

ParseError kind_mismatch(std::string_view source, const std::string& column, bool column_has_date_times,
                         const CellSeen& cell) {
    std::string message = "expected ";
    if (column_has_date_times) {
        message += detail::kDateTimeForm;
        message += ": column '";
        message += column;
        message += "' starts with date-times, found ";
        message += quote(cell.text);
    } else {
        message += kNumberOrMissing;
        message += ": column '";
        message += column;
        message += "' starts with numbers, found the date-time ";
        message += quote(cell.text);
    }
    return ParseError(std::string(source), cell.line, cell.column, std::move(message));
}

Table load(const CsvSource& source, std::string_view name, const CsvOptions& options) {
    std::vector<char> buffer;
    std::size_t begin = 0;
    if (source.size() >= 3) {
        std::string_view head = source.read(0, 3, buffer);
        if (head == "\xEF\xBB\xBF") begin = 3;  // a UTF-8 byte-order mark
    }
    const std::size_t end = trimmed_end(source, begin, source.size(), buffer);

    Table table;
    const Header header = read_header(source, name, begin, end, table, buffer);
    const std::size_t columns = table.columns();

    // Pass 1: the rows and blocks. Then the matrix, once, at its final size.
    const detail::CsvRowLayout layout =
        detail::scan_rows(source, header.data_begin, end, header.data_line, options.max_rows, options.block_bytes);
    const std::size_t rows = layout.rows;
    table.data.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns));

    // Pass 2: the blocks, in parallel. Blocks after one that failed are skipped: the first error
    // in file order is in that block or before it.
    std::vector<BlockOutcome> outcomes(layout.blocks.size());
    std::atomic<std::size_t> first_failed{layout.blocks.size()};
    auto parse_block = [&](std::size_t b, std::vector<char>& block_buffer) {
        if (b > first_failed.load(std::memory_order_relaxed)) return;
        const CsvBlock& block = layout.blocks[b];
        BlockOutcome& outcome = outcomes[b];
        outcome.first_number.resize(columns);
        outcome.first_date_time.resize(columns);
        try {
            std::string_view text = source.read(block.begin, block.end, block_buffer);
            CsvParser parser(text, name, block.first_line, header.separator);
            parser.parse_rows(block.rows, table.data.data() + block.first_row, rows, outcome);
        } catch (const ParseError& error) {
            outcome.error = error;
            std::size_t seen = first_failed.load(std::memory_order_relaxed);
            while (b < seen && !first_failed.compare_exchange_weak(seen, b, std::memory_order_relaxed)) {}
        }
    };
    if (layout.blocks.size() == 1) {
        parse_block(0, buffer);
    } else {
        tbb::enumerable_thread_specific<std::vector<char>> buffers;
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, layout.blocks.size(), 1),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                              std::vector<char>& local = buffers.local();
                              for (std::size_t b = range.begin(); b != range.end(); ++b) parse_block(b, local);
                          });
    }

    // Merge in file order: the first block error, and in each column the first cell whose kind
    // (number or date-time) is not the kind of the column's first non-missing cell.
    std::optional<ParseError> first_error;
    for (const BlockOutcome& outcome : outcomes)
        if (outcome.error) {
            keep_first(first_error, *outcome.error);
            break;
        }
    table.roles.assign(columns, ColumnRole::Measurement);
    for (std::size_t c = 0; c < columns; ++c) {
        std::optional<bool> date_times;  // the column's kind, once known
        for (const BlockOutcome& outcome : outcomes) {
            if (outcome.first_number.empty()) continue;  // skipped
            const CellSeen& number = outcome.first_number[c];
            const CellSeen& date_time = outcome.first_date_time[c];
            if (!date_times) {
                if (!number.seen() && !date_time.seen()) continue;
                date_times = date_time.seen() && (!number.seen() || date_time.before(number));
            }
            const CellSeen& other = *date_times ? number : date_time;
            if (other.seen()) {
                keep_first(first_error, kind_mismatch(name, table.names[c], *date_times, other));
                break;
            }
        }
        if (date_times.value_or(false) || named_like_a_timestamp(table.names[c]))
            table.roles[c] = ColumnRole::Timestamp;
    }
    if (first_error) throw *first_error;
    return table;
}

}  // namespace

Table parse_csv(std::string_view text, std::string_view source_name, const CsvOptions& options) {
    const CsvSource source = CsvSource::in_memory(text);
    return load(source, source_name, options);
}

Table read_csv(const std::string& path, const CsvOptions& options) {
    const CsvSource source = CsvSource::open_file(path, options.max_pipe_bytes);
    return load(source, path, options);
}

}  // namespace kepler::grammar
