// Unit-system files. The text is split into lines by hand (which keeps line numbers and line
// ends simple); each line is one statement, parsed by a Spirit X3 grammar into a Statement of
// token spans, and then applied to the UnitSystem being built. Unit expressions on the right of
// '=' go through parse_unit with the system built so far, with their position on the line, so
// their errors point into the file too.

#include "kepler/grammar/unit_system_parser.hpp"
#include "text_position.hpp"

#include <sys/stat.h>
#include <boost/spirit/home/x3.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "kepler/grammar/unit_parser.hpp"

namespace kepler::grammar {

namespace {

namespace x3 = boost::spirit::x3;
using Iterator = const char*;

enum class Kind { None, System, Base, Prefix, Unit, Constant };

// A piece of the line: its text and where it starts.
struct Token {
    std::string_view text;
    Iterator at = nullptr;
    bool present() const { return at != nullptr; }
};

struct Statement {
    Kind kind = Kind::None;
    Iterator keyword_at = nullptr;
    Token symbol;       // system name, base / prefix / unit / constant symbol
    Token name;         // base dimension name
    Token unit;         // base: coherent unit symbol
    Token value;        // prefix: number; unit, constant: the text right of '='
    Token description;  // constant: its quoted name
    bool noprefix = false;
};

struct statement_tag;

Statement& statement(auto& ctx) { return x3::get<statement_tag>(ctx); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// Base dimension and constant symbols: a letter (or non-ASCII character), then letters, digits
// and '_' ("Theta", "k_B", "eps0").
bool is_identifier(std::string_view s) {
    if (s.empty() || !(is_ascii_letter(s[0]) || is_non_ascii(s[0]))) return false;
    for (char c : s)
        if (!(is_ascii_letter(c) || is_non_ascii(c) || is_digit(c) || c == '_')) return false;
    return true;
}

using detail::quote;

// ---- semantic actions: record tokens ----

Token token_of(const auto& range) {
    return Token{std::string_view(range.begin(), static_cast<std::size_t>(range.end() - range.begin())), range.begin()};
}

auto keyword(Kind kind) {
    return [kind](auto& ctx) {
        statement(ctx).kind = kind;
        statement(ctx).keyword_at = x3::_attr(ctx).begin();
    };
}

auto record(Token Statement::*field) {
    return [field](auto& ctx) { statement(ctx).*field = token_of(x3::_attr(ctx)); };
}

const auto set_noprefix = [](auto& ctx) { statement(ctx).noprefix = true; };

// An unknown first word: recorded as Kind::None with its position; the caller reports it.
const auto on_unknown = [](auto& ctx) {
    statement(ctx).kind = Kind::None;
    statement(ctx).symbol = token_of(x3::_attr(ctx));
};

// ---- grammar ----

const auto word_char = x3::char_ - x3::ascii::space - x3::char_("#\"=");
const auto word = x3::raw[x3::lexeme[+word_char]];
auto kw(const char* text) { return x3::raw[x3::lexeme[x3::lit(text) >> !word_char]]; }

const x3::rule<class system_name_class> system_name = "a system name";
const x3::rule<class base_symbol_class> base_symbol = "a base dimension symbol";
const x3::rule<class base_name_class> base_name = "a name for the base dimension";
const x3::rule<class base_unit_class> base_unit = "the symbol of its coherent unit";
const x3::rule<class prefix_symbol_class> prefix_symbol = "a prefix symbol";
const x3::rule<class prefix_value_class> prefix_value = "a number";
const x3::rule<class unit_symbol_class> unit_symbol = "a unit symbol";
const x3::rule<class constant_symbol_class> constant_symbol = "a constant symbol";
const x3::rule<class equals_class> equals = "'='";
const x3::rule<class close_quote_class> close_quote = "a closing '\"'";
const x3::rule<class end_class> end_of_line = "end of line";

const auto quoted = x3::lexeme['"' > x3::raw[*(x3::char_ - '"')] > close_quote];
// Everything up to a quoted name, a comment or the end of the line.
const auto rest = x3::raw[*(x3::char_ - x3::char_("\"#"))];

const auto system_name_def = word[record(&Statement::symbol)];
const auto base_symbol_def = word[record(&Statement::symbol)];
const auto base_name_def = quoted[record(&Statement::name)] | word[record(&Statement::name)];
const auto base_unit_def = word[record(&Statement::unit)];
const auto prefix_symbol_def = word[record(&Statement::symbol)];
const auto prefix_value_def = word[record(&Statement::value)];
const auto unit_symbol_def = word[record(&Statement::symbol)];
const auto constant_symbol_def = word[record(&Statement::symbol)];
const auto equals_def = x3::lit('=');
const auto close_quote_def = x3::lit('"');
const auto end_of_line_def = x3::eoi;

BOOST_SPIRIT_DEFINE(system_name, base_symbol, base_name, base_unit, prefix_symbol, prefix_value, unit_symbol,
                    constant_symbol, equals, close_quote, end_of_line)

const auto comment = x3::lit('#') >> x3::omit[*x3::char_];

const auto system_statement = kw("system")[keyword(Kind::System)] > system_name;
const auto base_statement = kw("base")[keyword(Kind::Base)] > base_symbol > base_name > base_unit >
                            -kw("noprefix")[set_noprefix];
const auto prefix_statement = kw("prefix")[keyword(Kind::Prefix)] > prefix_symbol > equals > prefix_value;
const auto unit_statement = kw("unit")[keyword(Kind::Unit)] > unit_symbol > equals > rest[record(&Statement::value)];
const auto constant_statement = kw("constant")[keyword(Kind::Constant)] > constant_symbol > equals >
                                rest[record(&Statement::value)] > -quoted[record(&Statement::description)];
const auto unknown_statement = x3::raw[word | x3::char_][on_unknown];

const auto line_grammar = x3::eoi | comment |
                          ((system_statement | base_statement | prefix_statement | unit_statement |
                            constant_statement) > -comment > end_of_line) |
                          unknown_statement;

// ---- the file ----

class UnitSystemParser {
public:
    UnitSystemParser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

    UnitSystem parse() {
        Iterator p = text_.data();
        Iterator end = p + text_.size();
        if (end - p >= 3 && p[0] == '\xEF' && p[1] == '\xBB' && p[2] == '\xBF') p += 3;
        const Iterator begin = p;
        while (p != end) {
            Iterator line_end = p;
            while (line_end != end && *line_end != '\n' && *line_end != '\r') ++line_end;
            parse_line(std::string_view(p, static_cast<std::size_t>(line_end - p)));
            p = line_end;
            if (p != end && *p == '\r') ++p;
            if (p != end && *p == '\n') ++p;
            if (p != end) ++line_number_;
        }
        if (system_line_ == 0) {
            // On the line after the last one (line 1 of an empty file).
            if (end != begin) ++line_number_;
            throw ParseError(std::string(source_), line_number_, 1,
                             "expected 'system NAME' as the first statement, found end of file");
        }
        return std::move(system_);
    }

private:
    std::size_t column_of(Iterator where) const { return detail::column_of(line_.data(), where); }

    [[noreturn]] void fail(Iterator where, std::string message) const {
        throw ParseError(std::string(source_), line_number_, column_of(where), std::move(message));
    }

    // The token at `p` (past blanks), quoted, for "found ..." in messages.
    std::string describe_token(Iterator p) const {
        Iterator end = line_.data() + line_.size();
        while (p != end && is_space(*p)) ++p;
        if (p == end) return "end of line";
        Iterator q = p;
        while (q != end && !is_space(*q) && *q != '#' && *q != '"' && *q != '=') ++q;
        if (q == p) {
            ++q;
            while (q != end && detail::is_utf8_continuation(*q)) ++q;
        }
        return quote(std::string_view(p, static_cast<std::size_t>(q - p)));
    }

    void parse_line(std::string_view line) {
        line_ = line;
        Statement st;
        Iterator first = line.data();
        Iterator last = line.data() + line.size();
        try {
            x3::phrase_parse(first, last, x3::with<statement_tag>(st)[line_grammar], x3::ascii::space);
        } catch (const x3::expectation_failure<Iterator>& e) {
            Iterator where = e.where();
            while (where != last && is_space(*where)) ++where;
            fail(where, "expected " + e.which() + ", found " + describe_token(where));
        }
        if (st.kind == Kind::None) {
            if (st.symbol.present())
                fail(st.symbol.at, "unknown keyword " + quote(st.symbol.text) +
                                       "; expected one of: system, base, prefix, unit, constant");
            return;  // blank line or comment
        }
        if (st.kind != Kind::System && system_line_ == 0)
            fail(st.keyword_at,
                 "expected 'system NAME' as the first statement, found " + describe_token(st.keyword_at));
        switch (st.kind) {
            case Kind::System:
                apply_system(st);
                break;
            case Kind::Base:
                apply_base(st);
                break;
            case Kind::Prefix:
                apply_prefix(st);
                break;
            case Kind::Unit:
                apply_unit(st);
                break;
            case Kind::Constant:
                apply_constant(st);
                break;
            case Kind::None:
                break;
        }
    }

    void apply_system(const Statement& st) {
        if (system_line_ != 0)
            fail(st.keyword_at, "the unit system is already named on line " + std::to_string(system_line_));
        system_line_ = line_number_;
        system_.name = std::string(st.symbol.text);
    }

    // A new unit symbol: well formed and not defined yet.
    void check_new_unit(const Token& symbol, std::string_view what) {
        if (!is_unit_symbol(symbol.text))
            fail(symbol.at, "expected " + std::string(what) + " (letters only: no digits, '_' or signs), found " +
                                quote(symbol.text));
        // A unit called `noprefix` would make "unit x = 2 noprefix" ambiguous (the flag or that
        // unit?), and "base L length noprefix" is more likely a missing unit than a unit.
        if (symbol.text == "noprefix")
            fail(symbol.at, "expected " + std::string(what) + ", found the keyword 'noprefix'");
        auto it = unit_lines_.find(std::string(symbol.text));
        if (it != unit_lines_.end())
            fail(symbol.at, "unit " + quote(symbol.text) + " is already defined on line " + std::to_string(it->second));
    }

    void apply_base(const Statement& st) {
        if (!is_identifier(st.symbol.text))
            fail(st.symbol.at,
                 "expected a base dimension symbol (letters, digits and '_', starting with a letter), found " +
                     quote(st.symbol.text));
        for (std::size_t i = 0; i < system_.bases.size(); ++i)
            if (system_.bases[i].symbol == st.symbol.text)
                fail(st.symbol.at, "base dimension " + quote(st.symbol.text) + " is already defined on line " +
                                       std::to_string(base_lines_[i]));
        if (system_.bases.size() >= kMaxBaseDimensions)
            fail(st.keyword_at, "too many base dimensions (at most " + std::to_string(kMaxBaseDimensions) + ")");
        check_new_unit(st.unit, "the symbol of its coherent unit");
        const std::size_t index = system_.bases.size();
        system_.bases.push_back(
            BaseDimension{std::string(st.symbol.text), std::string(st.name.text), std::string(st.unit.text)});
        base_lines_.push_back(line_number_);
        system_.units.push_back(
            Unit{std::string(st.unit.text), ScaledDimension{1.0, Dimension::base(index)}, !st.noprefix});
        unit_lines_.emplace(std::string(st.unit.text), line_number_);
    }

    void apply_prefix(const Statement& st) {
        if (!is_unit_symbol(st.symbol.text))
            fail(st.symbol.at, "expected a prefix symbol (letters only), found " + quote(st.symbol.text));
        auto it = prefix_lines_.find(std::string(st.symbol.text));
        if (it != prefix_lines_.end())
            fail(st.symbol.at,
                 "prefix " + quote(st.symbol.text) + " is already defined on line " + std::to_string(it->second));
        std::string_view text = st.value.text;
        double factor = 0.0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), factor, std::chars_format::general);
        if (ec != std::errc() || ptr != text.data() + text.size() || !(factor > 0.0) || !std::isfinite(factor))
            fail(st.value.at, "expected a positive number, found " + quote(text));
        system_.prefixes.push_back(Prefix{std::string(st.symbol.text), factor});
        prefix_lines_.emplace(std::string(st.symbol.text), line_number_);
    }

    // The unit expression right of '=' (trailing blanks removed), parsed in the system so far.
    ScaledDimension value_of(Token value) {
        while (!value.text.empty() && is_space(value.text.back())) value.text.remove_suffix(1);
        if (value.text.empty())
            fail(value.at, "expected a unit expression after '=', found " + describe_token(value.at));
        return parse_unit(value.text, system_, source_, line_number_, column_of(value.at) - 1);
    }

    void apply_unit(Statement st) {
        check_new_unit(st.symbol, "a unit symbol");
        // A last word `noprefix` is the flag, not part of the expression.
        std::string_view v = st.value.text;
        while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
        constexpr std::string_view kFlag = "noprefix";
        if (v.size() >= kFlag.size() && v.substr(v.size() - kFlag.size()) == kFlag &&
            (v.size() == kFlag.size() || is_space(v[v.size() - kFlag.size() - 1]))) {
            st.noprefix = true;
            v.remove_suffix(kFlag.size());
        }
        st.value.text = v;
        ScaledDimension value = value_of(st.value);
        system_.units.push_back(Unit{std::string(st.symbol.text), value, !st.noprefix});
        unit_lines_.emplace(std::string(st.symbol.text), line_number_);
    }

    void apply_constant(const Statement& st) {
        if (!is_identifier(st.symbol.text))
            fail(st.symbol.at, "expected a constant symbol (letters, digits and '_', starting with a letter), found " +
                                   quote(st.symbol.text));
        auto it = constant_lines_.find(std::string(st.symbol.text));
        if (it != constant_lines_.end())
            fail(st.symbol.at,
                 "constant " + quote(st.symbol.text) + " is already defined on line " + std::to_string(it->second));
        ScaledDimension value = value_of(st.value);
        std::string name = st.description.present() ? std::string(st.description.text) : std::string(st.symbol.text);
        system_.constants.push_back(PhysicalConstant{std::string(st.symbol.text), std::move(name), value});
        constant_lines_.emplace(std::string(st.symbol.text), line_number_);
    }

    std::string_view text_;
    std::string_view source_;
    std::string_view line_;
    std::size_t line_number_ = 1;
    std::size_t system_line_ = 0;
    UnitSystem system_;
    std::vector<std::size_t> base_lines_;
    std::map<std::string, std::size_t, std::less<>> unit_lines_;
    std::map<std::string, std::size_t, std::less<>> prefix_lines_;
    std::map<std::string, std::size_t, std::less<>> constant_lines_;
};

// The whole file, or nothing if it cannot be opened or read.
std::optional<std::string> read_file(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) return std::nullopt;
    std::string text;
    struct stat info {};
    if (::fstat(fileno(file), &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0)
        text.reserve(static_cast<std::size_t>(info.st_size));
    char buffer[1 << 14];
    std::size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, got);
    bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) return std::nullopt;
    return text;
}

}  // namespace

std::vector<std::string> builtin_unit_system_names() {
    std::vector<std::string> names;
    for (const BuiltinUnitSystem& b : builtin_unit_systems()) names.emplace_back(b.name);
    return names;
}

std::optional<std::string_view> builtin_unit_system_text(std::string_view name) {
    for (const BuiltinUnitSystem& b : builtin_unit_systems())
        if (b.name == name) return b.text;
    return std::nullopt;
}

UnitSystem parse_unit_system(std::string_view text, std::string_view source_name) {
    return UnitSystemParser(text, source_name).parse();
}

UnitSystem load_unit_system(std::string_view name_or_path) {
    if (std::optional<std::string_view> text = builtin_unit_system_text(name_or_path))
        return parse_unit_system(*text, std::string(name_or_path) + ".units");
    std::string path(name_or_path);
    std::optional<std::string> text = read_file(path);
    if (!text) {
        if (name_or_path.find_first_of("/.") == std::string_view::npos) {
            std::string message = "unknown unit system " + quote(name_or_path) + "; expected one of: ";
            for (const BuiltinUnitSystem& b : builtin_unit_systems()) {
                message += b.name;
                message += ", ";
            }
            message += "or a file path";
            throw ParseError(path, 0, 0, std::move(message));
        }
        throw ParseError(path, 0, 0, "cannot open file");
    }
    return parse_unit_system(*text, path);
}

}  // namespace kepler::grammar
