// CSV tables. The row structure (separators, quotes, line ends) is scanned by hand, which is
// what lets every error say exactly which line and column went wrong and what was expected
// there; each cell's number goes through a Spirit X3 primitive parser.
//
// The cell parser wraps std::from_chars rather than using x3::double_: on this toolchain
// from_chars (libstdc++ 12, fast_float) is about 30% faster than x3::double_ and rounds
// correctly, while x3::double_ can be an ulp off for 17-digit values (measured on 3 million
// numbers), so a table written with full precision would not read back bit for bit.

#include "kepler/grammar/csv_reader.hpp"
#include "text_position.hpp"

#include <algorithm>
#include <boost/spirit/home/x3.hpp>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unordered_map>
#include <vector>

namespace kepler::grammar {

namespace {

namespace x3 = boost::spirit::x3;
using Iterator = const char*;

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

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_line_end(char c) { return c == '\n' || c == '\r'; }
bool is_white(char c) { return is_blank(c) || is_line_end(c); }

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

struct Field {
    std::string text;   // unescaped and trimmed
    Iterator begin;     // first character of the field in the input (its opening quote if quoted)
    bool quoted = false;
};

class CsvParser {
public:
    CsvParser(std::string_view text, std::string_view source)
        : source_(source), p_(text.data()), end_(text.data() + text.size()) {
        if (end_ - p_ >= 3 && p_[0] == '\xEF' && p_[1] == '\xBB' && p_[2] == '\xBF') p_ += 3;
        line_start_ = p_;
        // Trailing empty (or blank) lines are not rows: the data ends after its last visible
        // character. A quoted field always ends in '"', so this never cuts one short.
        content_end_ = end_;
        while (content_end_ != p_ && is_white(content_end_[-1])) --content_end_;
    }

    Table parse() {
        Table table;
        parse_header(table);
        parse_rows(table);
        return table;
    }

private:
    // ---------------------------------------------------------------- positions and errors

    std::size_t column_of(Iterator where) const { return detail::column_of(line_start_, where); }

    [[noreturn]] void fail(Iterator where, std::string message) const {
        throw ParseError(std::string(source_), line_, column_of(where), std::move(message));
    }

    bool at_content_end(Iterator q) const { return q >= content_end_; }

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
            if (*q == '"') in_quotes = !in_quotes;
            else if (in_quotes) continue;
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
        fail(p_, std::string("expected '") + separator_ + "' or the end of the line after a quoted field, found " +
                     quote(std::string_view(p_, static_cast<std::size_t>(token_end - p_))));
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
            if (*q == '"') in_quotes = !in_quotes;
            else if (in_quotes) continue;
            else if (*q == separator_) ++count;
            else if (is_line_end(*q)) break;
        }
        return count;
    }

    // ---------------------------------------------------------------- header

    void parse_header(Table& table) {
        if (p_ == content_end_) fail(p_, "expected a header row, found an empty file");
        detect_separator();
        std::unordered_map<std::string, std::size_t> seen;
        for (;;) {
            Field field = read_field();
            add_column(table, field, seen);
            if (p_ != content_end_ && *p_ == separator_) {
                ++p_;
                continue;
            }
            break;
        }
        if (p_ != content_end_) next_line();  // on the header's line end
    }

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
        std::string_view text = field.text;
        std::string_view name = text, unit;
        std::size_t unit_column = 0;
        std::size_t open = text.find('[');
        if (open != std::string_view::npos) {
            std::size_t close = text.find(']', open + 1);
            if (close == std::string_view::npos)
                fail(at(open),
                     "expected ']' to close the unit that starts here, found end of the column header");
            std::string_view after = text.substr(close + 1);
            std::size_t extra = after.find_first_not_of(" \t");
            if (extra != std::string_view::npos)
                fail(at(close + 1 + extra),
                     "expected the end of the column header after the unit, found " +
                         quote(after.substr(extra)));
            name = text.substr(0, open);
            while (!name.empty() && is_blank(name.back())) name.remove_suffix(1);
            unit = text.substr(open + 1, close - open - 1);
            while (!unit.empty() && is_blank(unit.front())) unit.remove_prefix(1);
            unit_column = column_of(at(static_cast<std::size_t>(unit.data() - text.data())));
            while (!unit.empty() && is_blank(unit.back())) unit.remove_suffix(1);
        }
        std::size_t index = table.names.size() + 1;
        if (name.empty() && open == std::string_view::npos)
            fail(field.begin, "expected a column name in header field " + std::to_string(index) +
                                  ", found an empty field");
        if (name.empty())
            fail(field.begin, "expected a column name before the unit in header field " + std::to_string(index));
        auto [it, inserted] = seen.emplace(std::string(name), index);
        if (!inserted)
            fail(field.begin, "expected a unique column name, found " + quote(name) +
                                  " again (it also names column " + std::to_string(it->second) + ")");
        table.names.emplace_back(name);
        table.units.emplace_back(unit);
        table.unit_columns.push_back(unit.empty() ? 0 : unit_column);
    }

    // ---------------------------------------------------------------- data

    void parse_rows(Table& table) {
        const std::size_t columns = table.names.size();
        if (p_ >= content_end_) {
            // Point at the start of the (missing) line after the header.
            ++line_;
            line_start_ = content_end_;
            fail(content_end_, "expected at least one data row, found end of file");
        }

        // Data lines are counted up front (the trailing empty lines are already cut off), so the
        // column-major matrix can be filled in place. Quoted line breaks overcount (trimmed at
        // the end); lines ended by a lone CR undercount (the matrix grows).
        std::size_t capacity = static_cast<std::size_t>(std::count(p_, content_end_, '\n')) + 1;
        Eigen::MatrixXd data(static_cast<Eigen::Index>(capacity), static_cast<Eigen::Index>(columns));
        double* out = data.data();
        std::size_t rows = 0;

        while (p_ < content_end_) {
            // A blank line between data rows is a row without fields.
            Iterator q = p_;
            while (q != content_end_ && is_blank(*q)) ++q;
            if (q != content_end_ && is_line_end(*q))
                fail(p_, "expected " + fields(columns) + ", found an empty line");
            if (rows == capacity) {
                capacity *= 2;
                data.conservativeResize(static_cast<Eigen::Index>(capacity), Eigen::NoChange);
                out = data.data();
            }

            for (std::size_t c = 0; c < columns; ++c) {
                double value = read_cell();
                out[c * capacity + rows] = value;
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

        if (rows != capacity) data.conservativeResize(static_cast<Eigen::Index>(rows), Eigen::NoChange);
        table.data = std::move(data);
    }

    // One cell as a number; p_ ends on what follows the cell (separator, line end, end of data).
    double read_cell() {
        while (p_ != content_end_ && is_blank(*p_)) ++p_;
        Iterator begin = p_;
        double value = 0.0;
        if (p_ != content_end_ && *p_ != '"') {
            // Fast path: the number straight from the input.
            if (x3::parse(p_, content_end_, cell_number, value)) {
                while (p_ != content_end_ && is_blank(*p_)) ++p_;
                if (p_ == content_end_ || *p_ == separator_ || is_line_end(*p_)) return value;
            }
            p_ = begin;
            Field field = read_field();
            bad_cell(field.text, begin);
        }
        if (p_ == content_end_) bad_cell({}, begin);
        // Quoted cell: the number must fill the quotes.
        Field field = read_field();
        Iterator first = field.text.data(), last = first + field.text.size();
        if (!field.text.empty() && x3::parse(first, last, cell_number, value) && first == last) return value;
        bad_cell(field.text, begin);
    }

    [[noreturn]] void bad_cell(std::string_view text, Iterator where) const {
        // Empty: the separator before it was there, so the cell exists but holds nothing.
        if (text.empty()) fail(where, "expected a number, found an empty cell");
        double value;
        Iterator first = text.data(), last = first + text.size();
        if (*first == '+') ++first;
        auto [end, ec] = std::from_chars(first, last, value, std::chars_format::general);
        if (ec == std::errc::result_out_of_range && end == last)
            fail(where, "expected a number within the range of a double, found " + quote(text));
        fail(where, "expected a number, found " + quote(text));
    }

    std::string_view source_;
    Iterator p_;
    Iterator end_;
    Iterator content_end_;
    Iterator line_start_;
    std::size_t line_ = 1;
    char separator_ = ',';
};

}  // namespace

Table parse_csv(std::string_view text, std::string_view source_name) {
    return CsvParser(text, source_name).parse();
}

Table read_csv(const std::string& path) {
    std::string text;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) throw ParseError(path, 0, 0, "cannot open file");
    struct stat info {};
    if (::fstat(fileno(file), &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0)
        text.reserve(static_cast<std::size_t>(info.st_size));
    char buffer[1 << 16];
    std::size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, got);
    bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) throw ParseError(path, 0, 0, "cannot open file");  // e.g. a directory
    return parse_csv(text, path);
}

}  // namespace kepler::grammar
