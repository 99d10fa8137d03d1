// The column-units side file: lines split by hand, each line parsed by a small Spirit X3 grammar
// (`name [unit] # comment`), whose expectation points give the error messages.

#include "kepler/grammar/column_units.hpp"
#include "text_position.hpp"

#include <sys/stat.h>
#include <boost/spirit/home/x3.hpp>
#include <cstdio>
#include <map>

namespace kepler::grammar {

namespace {

namespace x3 = boost::spirit::x3;
using Iterator = const char*;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

struct Entry {
    Iterator name_begin = nullptr, name_end = nullptr;
    Iterator unit_begin = nullptr, unit_end = nullptr;
};

struct entry_tag;

Entry& entry(auto& ctx) { return x3::get<entry_tag>(ctx); }

const auto on_name = [](auto& ctx) {
    entry(ctx).name_begin = x3::_attr(ctx).begin();
    entry(ctx).name_end = x3::_attr(ctx).end();
};
const auto on_unit = [](auto& ctx) {
    entry(ctx).unit_begin = x3::_attr(ctx).begin();
    entry(ctx).unit_end = x3::_attr(ctx).end();
};

const x3::rule<class name_class> name = "a column name";
const x3::rule<class open_class> open_bracket = "'[' and the column's unit";
const x3::rule<class unit_class> unit = "a unit";
const x3::rule<class close_class> close_bracket = "']'";
const x3::rule<class end_class> end_of_line = "end of line";

const auto name_def = x3::raw[x3::lexeme[+(x3::char_ - x3::char_("[]#"))]][on_name];
const auto open_bracket_def = x3::lit('[');
const auto unit_def = x3::raw[x3::lexeme[*(x3::char_ - x3::char_("[]#"))]][on_unit];
const auto close_bracket_def = x3::lit(']');
const auto end_of_line_def = x3::eoi;

BOOST_SPIRIT_DEFINE(name, open_bracket, unit, close_bracket, end_of_line)

const auto comment = x3::lit('#') >> x3::omit[*x3::char_];
const auto line_grammar =
    x3::eoi | comment | (x3::eps > name > open_bracket > unit > close_bracket > -comment > end_of_line);

using detail::quote;

class ColumnUnitsParser {
public:
    ColumnUnitsParser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

    std::vector<ColumnUnit> parse() {
        Iterator p = text_.data();
        Iterator end = p + text_.size();
        if (end - p >= 3 && p[0] == '\xEF' && p[1] == '\xBB' && p[2] == '\xBF') p += 3;
        while (p != end) {
            Iterator line_end = p;
            while (line_end != end && *line_end != '\n' && *line_end != '\r') ++line_end;
            parse_line(std::string_view(p, static_cast<std::size_t>(line_end - p)));
            p = line_end;
            if (p != end && *p == '\r') ++p;
            if (p != end && *p == '\n') ++p;
            if (p != end) ++line_number_;
        }
        return std::move(entries_);
    }

private:
    std::size_t column_of(Iterator where) const { return detail::column_of(line_.data(), where); }

    [[noreturn]] void fail(Iterator where, std::string message) const {
        throw ParseError(std::string(source_), line_number_, column_of(where), std::move(message));
    }

    std::string describe_token(Iterator p) const {
        Iterator end = line_.data() + line_.size();
        if (p == end) return "end of line";
        Iterator q = p;
        if (*q == '[' || *q == ']' || *q == '#') {
            ++q;
        } else {
            while (q != end && !is_blank(*q) && *q != '[' && *q != ']' && *q != '#') ++q;
        }
        return quote(std::string_view(p, static_cast<std::size_t>(q - p)));
    }

    void parse_line(std::string_view line) {
        line_ = line;
        Entry e;
        Iterator first = line.data();
        Iterator last = line.data() + line.size();
        try {
            x3::phrase_parse(first, last, x3::with<entry_tag>(e)[line_grammar], x3::ascii::space);
        } catch (const x3::expectation_failure<Iterator>& error) {
            Iterator where = error.where();
            while (where != last && is_blank(*where)) ++where;
            fail(where, "expected " + error.which() + ", found " + describe_token(where));
        }
        if (e.name_begin == nullptr) return;  // blank line or comment

        Iterator name_end = e.name_end;
        while (name_end != e.name_begin && is_blank(name_end[-1])) --name_end;
        Iterator unit_begin = e.unit_begin, unit_end = e.unit_end;
        while (unit_begin != unit_end && is_blank(*unit_begin)) ++unit_begin;
        while (unit_end != unit_begin && is_blank(unit_end[-1])) --unit_end;
        if (unit_begin == unit_end) fail(unit_end, "expected a unit inside the brackets, found ']'");

        std::string column(e.name_begin, name_end);
        auto [it, inserted] = lines_.emplace(column, line_number_);
        if (!inserted)
            fail(e.name_begin, "column " + quote(column) + " is already listed on line " + std::to_string(it->second));
        entries_.push_back(
            ColumnUnit{std::move(column), std::string(unit_begin, unit_end), line_number_, column_of(unit_begin)});
    }

    std::string_view text_;
    std::string_view source_;
    std::string_view line_;
    std::size_t line_number_ = 1;
    std::vector<ColumnUnit> entries_;
    std::map<std::string, std::size_t> lines_;
};

}  // namespace

std::vector<ColumnUnit> parse_column_units(std::string_view text, std::string_view source_name) {
    return ColumnUnitsParser(text, source_name).parse();
}

std::vector<ColumnUnit> read_column_units(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) throw ParseError(path, 0, 0, "cannot open file");
    std::string text;
    struct stat info {};
    if (::fstat(fileno(file), &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0)
        text.reserve(static_cast<std::size_t>(info.st_size));
    char buffer[1 << 14];
    std::size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, got);
    bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) throw ParseError(path, 0, 0, "cannot open file");
    return parse_column_units(text, path);
}

}  // namespace kepler::grammar
