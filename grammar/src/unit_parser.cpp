// The unit-expression grammar (Spirit X3). Like the formula grammar, the semantic actions work
// on a value stack as the parse goes (a factor is pushed when it is read, a product or quotient
// combines the top two), so no syntax tree is built. That is sound because every alternative
// fails on its first token, before any action has run, or commits with an expectation point
// (`>`), whose failure aborts the whole parse.

#include "kepler/grammar/unit_parser.hpp"
#include "text_position.hpp"

#include <boost/spirit/home/x3.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace kepler::grammar {

namespace {

namespace x3 = boost::spirit::x3;
using Iterator = const char*;

// Parentheses nested deeper than this are refused rather than risking the stack.
constexpr int kMaxDepth = 200;

struct UnitState {
    const UnitSystem* system = nullptr;
    std::string_view text;
    std::string_view source;
    std::size_t line = 1;
    std::size_t column_offset = 0;
    std::vector<ScaledDimension> stack;
    std::vector<Iterator> starts;  // where each stack entry's text starts (for error positions)
    // The exponent being read: set by the exponent's actions, used by the power's action.
    std::int64_t exponent_num = 0;
    std::int64_t exponent_den = 1;
    Iterator exponent_at = nullptr;
    int depth = 0;
};

struct state_tag;

UnitState& state(auto& ctx) { return x3::get<state_tag>(ctx); }

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }
using detail::quote;
bool is_continuation(char c) { return detail::is_utf8_continuation(c); }

// Byte length of a product sign at p: '·' (U+00B7) or '⋅' (U+22C5); 0 if there is none.
std::size_t product_sign_length(Iterator p, Iterator end) {
    if (end - p >= 2 && p[0] == '\xC2' && p[1] == '\xB7') return 2;
    if (end - p >= 3 && p[0] == '\xE2' && p[1] == '\x8B' && p[2] == '\x85') return 3;
    return 0;
}

// Byte length of the unit symbol at p (letters and whole non-ASCII characters other than a
// product sign); 0 if none starts there.
std::size_t symbol_length(Iterator p, Iterator end) {
    Iterator q = p;
    while (q != end) {
        if (is_ascii_letter(*q)) {
            ++q;
        } else if (is_non_ascii(*q) && product_sign_length(q, end) == 0) {
            ++q;
            while (q != end && is_continuation(*q)) ++q;
        } else {
            break;
        }
    }
    return static_cast<std::size_t>(q - p);
}

// X3 primitives for the two lexemes that are easier to say by hand than with char classes
// (X3's ascii classes do not admit bytes above 0x7F).
// Matches the lexeme whose byte length `Length` measures (0: no match).
template <std::size_t (*Length)(Iterator, Iterator)>
struct LengthParser : x3::parser<LengthParser<Length>> {
    using attribute_type = x3::unused_type;
    static constexpr bool has_attribute = false;

    template <typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, const Iterator& last, const Context& context, RContext&, Attribute&) const {
        x3::skip_over(first, last, context);
        std::size_t n = Length(first, last);
        if (n == 0) return false;
        first += n;
        return true;
    }
};
constexpr LengthParser<symbol_length> symbol_lexeme{};
constexpr LengthParser<product_sign_length> product_sign{};

std::size_t column_of(std::string_view text, Iterator where) { return detail::column_of(text.data(), where); }

// Byte length of the number lexeme at p (digits, fraction, exponent), 0 if none.
std::size_t number_length(Iterator p, Iterator end) {
    Iterator q = p;
    while (q != end && is_digit(*q)) ++q;
    bool digits = q != p;
    if (q != end && *q == '.') {
        Iterator r = q + 1;
        while (r != end && is_digit(*r)) ++r;
        if (digits || r != q + 1) {
            digits = true;
            q = r;
        }
    }
    if (!digits) return 0;
    if (q != end && (*q == 'e' || *q == 'E')) {
        Iterator r = q + 1;
        if (r != end && (*r == '+' || *r == '-')) ++r;
        Iterator s = r;
        while (s != end && is_digit(*s)) ++s;
        if (s != r) q = s;
    }
    return static_cast<std::size_t>(q - p);
}

// The token at `p` (already past white space), quoted, for "found ..." in messages.
std::string describe_token(Iterator p, Iterator end) {
    if (p == end) return "end of unit";
    std::size_t n = symbol_length(p, end);
    if (n == 0) n = number_length(p, end);
    if (n == 0) {
        n = 1;
        while (p + n != end && is_continuation(p[n])) ++n;
    }
    return quote(std::string_view(p, n));
}

Iterator skip_space(Iterator p, Iterator end) {
    while (p != end && is_space(*p)) ++p;
    return p;
}

Iterator text_end(const UnitState& s) { return s.text.data() + s.text.size(); }

[[noreturn]] void fail(const UnitState& s, Iterator where, std::string message) {
    throw ParseError(std::string(s.source), s.line, s.column_offset + column_of(s.text, where), std::move(message));
}

// Runs `f` (which combines dimensions) and turns an exponent overflow into a ParseError.
template <typename F>
void guarded(const UnitState& s, Iterator where, F&& f) {
    try {
        f();
    } catch (const std::overflow_error&) {
        fail(s, where, "dimension exponent out of range");
    } catch (const std::domain_error&) {
        fail(s, where, "dimension exponent out of range");
    }
}

// ---- semantic actions ----

const auto on_number = [](auto& ctx) {
    UnitState& s = state(ctx);
    const auto& range = x3::_attr(ctx);
    Iterator first = range.begin(), last = range.end();
    std::string_view lexeme(first, static_cast<std::size_t>(last - first));
    double value = 0.0;
    auto [ptr, ec] = std::from_chars(first, last, value, std::chars_format::general);
    if (ec == std::errc::result_out_of_range)
        fail(s, first, "number " + quote(lexeme) + " is out of range for a double");
    if (ec != std::errc() || ptr != last)  // cannot happen: the grammar only admits valid numbers
        fail(s, first, "expected a number, found " + quote(lexeme));
    if (!(value > 0.0)) fail(s, first, "expected a positive number as a scale factor, found " + quote(lexeme));
    s.stack.push_back(ScaledDimension{value, Dimension{}});
    s.starts.push_back(first);
};

const auto on_symbol = [](auto& ctx) {
    UnitState& s = state(ctx);
    const auto& range = x3::_attr(ctx);
    Iterator first = range.begin(), last = range.end();
    std::string_view symbol(first, static_cast<std::size_t>(last - first));
    // "k_B", "m_e": constants are not units, and unit symbols have no '_'.
    if (last != text_end(s) && *last == '_') {
        Iterator stop = last;
        while (stop != text_end(s) && (*stop == '_' || is_digit(*stop) || symbol_length(stop, stop + 1) == 1)) ++stop;
        fail(s, first,
             "expected a unit symbol (letters only), found " +
                 quote(std::string_view(first, static_cast<std::size_t>(stop - first))));
    }
    if (last != text_end(s) && is_digit(*last)) {
        std::size_t n = 1;
        while (last + n != text_end(s) && is_digit(last[n])) ++n;
        std::string_view digits(last, n);
        std::string fix;
        fix += symbol;
        fix += '^';
        fix += digits;
        fail(s, last,
             "expected '^' before the exponent, found " + quote(digits) + " (unit symbols contain no digits); write " +
                 quote(fix));
    }
    std::optional<ScaledDimension> unit = s.system->find_unit(symbol);
    if (!unit) {
        std::string message = "unknown unit " + quote(symbol);
        if (!s.system->name.empty()) message += " in unit system " + quote(s.system->name);
        fail(s, first, std::move(message));
    }
    s.stack.push_back(*unit);
    s.starts.push_back(first);
};

// Reads a signed integer lexeme; `where` is its first character.
std::int64_t integer_value(const UnitState& s, Iterator first, Iterator last) {
    bool negative = false;
    Iterator p = first;
    if (*p == '+' || *p == '-') {
        negative = *p == '-';
        ++p;
    }
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(p, last, value);
    constexpr std::int64_t kMax = std::numeric_limits<std::int32_t>::max();
    if (ec != std::errc() || ptr != last || value > kMax)
        fail(s, first,
             "exponent " + quote(std::string_view(first, static_cast<std::size_t>(last - first))) + " is out of range");
    return negative ? -value : value;
}

// An integer exponent must not run on into a decimal fraction ("m^1.5" is not m^1 times .5).
void refuse_decimal(const UnitState& s, Iterator first, Iterator last) {
    if (last == text_end(s) || *last != '.') return;
    Iterator stop = last + 1;
    while (stop != text_end(s) && is_digit(*stop)) ++stop;
    fail(s, first,
         "expected an integer or rational exponent, found " +
             quote(std::string_view(first, static_cast<std::size_t>(stop - first))) +
             "; write a rational exponent in parentheses, e.g. '^(3/2)'");
}

// `^3` (no parentheses).
const auto on_plain_exponent = [](auto& ctx) {
    UnitState& s = state(ctx);
    const auto& range = x3::_attr(ctx);
    Iterator first = range.begin(), last = range.end();
    refuse_decimal(s, first, last);
    s.exponent_num = integer_value(s, first, last);
    s.exponent_den = 1;
    s.exponent_at = first;
    // "cm^3/2": a rational power or a division by 2? Neither reading is taken silently.
    Iterator p = skip_space(last, text_end(s));
    if (p != text_end(s) && *p == '/') {
        Iterator q = skip_space(p + 1, text_end(s));
        if (q != text_end(s) && (is_digit(*q) || *q == '.')) {
            std::string_view exponent(first, static_cast<std::size_t>(last - first));
            std::string_view divisor(q, number_length(q, text_end(s)));
            fail(s, first,
                 "ambiguous exponent " + quote(std::string(exponent) + "/" + std::string(divisor)) + "; write '^(" +
                     std::string(exponent) + "/" + std::string(divisor) +
                     ")' for a rational power, or put the power in parentheses to divide by " + std::string(divisor));
        }
    }
};

// `^(3/2)`: numerator, then optional denominator.
const auto on_exponent_num = [](auto& ctx) {
    UnitState& s = state(ctx);
    const auto& range = x3::_attr(ctx);
    refuse_decimal(s, range.begin(), range.end());
    s.exponent_num = integer_value(s, range.begin(), range.end());
    s.exponent_den = 1;
    s.exponent_at = range.begin();
};
const auto on_exponent_den = [](auto& ctx) {
    UnitState& s = state(ctx);
    const auto& range = x3::_attr(ctx);
    refuse_decimal(s, range.begin(), range.end());
    s.exponent_den = integer_value(s, range.begin(), range.end());
    if (s.exponent_den == 0) fail(s, range.begin(), "expected a nonzero denominator in the exponent, found '0'");
};

const auto on_power = [](auto& ctx) {
    UnitState& s = state(ctx);
    ScaledDimension& top = s.stack.back();
    guarded(s, s.exponent_at, [&] {
        Rational p(s.exponent_num, s.exponent_den);
        top.dimension = top.dimension.pow(p);
        top.scale =
            p.is_integer() ? std::pow(top.scale, static_cast<double>(p.num())) : std::pow(top.scale, p.to_double());
    });
};

// An overflow in a product or quotient is reported where its right operand starts.
const auto on_multiply = [](auto& ctx) {
    UnitState& s = state(ctx);
    ScaledDimension right = s.stack.back();
    Iterator right_at = s.starts.back();
    s.stack.pop_back();
    s.starts.pop_back();
    ScaledDimension& left = s.stack.back();
    guarded(s, right_at, [&] {
        left.dimension = left.dimension * right.dimension;
        left.scale *= right.scale;
    });
};

const auto on_divide = [](auto& ctx) {
    UnitState& s = state(ctx);
    ScaledDimension right = s.stack.back();
    Iterator right_at = s.starts.back();
    s.stack.pop_back();
    s.starts.pop_back();
    ScaledDimension& left = s.stack.back();
    guarded(s, right_at, [&] {
        left.dimension = left.dimension / right.dimension;
        left.scale /= right.scale;
    });
};

const auto enter = [](auto& ctx) {
    UnitState& s = state(ctx);
    if (++s.depth > kMaxDepth)
        fail(s, x3::_attr(ctx).begin(),
             "unit nested too deeply (more than " + std::to_string(kMaxDepth) + " levels of parentheses)");
};
const auto leave = [](auto& ctx) { --state(ctx).depth; };

// ---- grammar ----

// The rule names are what error messages say was expected: "expected a unit, found ')'".
const x3::rule<class expression_class> expression = "a unit";
const x3::rule<class factor_class> factor = "a unit";
const x3::rule<class primary_class> primary = "a unit";
const x3::rule<class exponent_class> exponent = "an exponent after '^'";
const x3::rule<class numerator_class> numerator = "an integer";
const x3::rule<class denominator_class> denominator = "an integer";
const x3::rule<class close_paren_class> close_paren = "')'";
const x3::rule<class end_class> end_of_unit = "end of unit";

const auto number = x3::raw[x3::lexeme[(+x3::ascii::digit >> -(x3::lit('.') >> *x3::ascii::digit) |
                                        x3::lit('.') >> +x3::ascii::digit) >>
                                       -(x3::ascii::char_("eE") >> -x3::ascii::char_("+-") >> +x3::ascii::digit)]];
const auto signed_integer = x3::raw[x3::lexeme[-x3::ascii::char_("+-") >> +x3::ascii::digit]];
const auto symbol = x3::raw[symbol_lexeme];

const auto expression_def = factor >> *(((x3::lit('*') | product_sign) > factor)[on_multiply] |
                                        (x3::lit('/') > factor)[on_divide] | factor[on_multiply]);
const auto factor_def = primary >> -((x3::lit('^') > exponent)[on_power]);
const auto primary_def =
    number[on_number] | symbol[on_symbol] | (x3::raw[x3::lit('(')][enter] > expression > close_paren)[leave];
const auto exponent_def =
    signed_integer[on_plain_exponent] | (x3::lit('(') > numerator > -(x3::lit('/') > denominator) > close_paren);
const auto numerator_def = signed_integer[on_exponent_num];
const auto denominator_def = signed_integer[on_exponent_den];
const auto close_paren_def = x3::lit(')');
const auto end_of_unit_def = x3::eoi;

BOOST_SPIRIT_DEFINE(expression, factor, primary, exponent, numerator, denominator, close_paren, end_of_unit)

const auto unit_expression = x3::expect[expression] > end_of_unit;

}  // namespace

bool is_unit_symbol(std::string_view symbol) {
    return !symbol.empty() && symbol_length(symbol.data(), symbol.data() + symbol.size()) == symbol.size();
}

ScaledDimension parse_unit(std::string_view text, const UnitSystem& system, std::string_view source_name,
                           std::size_t line, std::size_t column_offset) {
    UnitState s;
    s.system = &system;
    s.text = text;
    s.source = source_name;
    s.line = line;
    s.column_offset = column_offset;

    Iterator first = text.data();
    Iterator last = text.data() + text.size();
    try {
        x3::phrase_parse(first, last, x3::with<state_tag>(s)[unit_expression], x3::ascii::space);
    } catch (const x3::expectation_failure<Iterator>& e) {
        Iterator where = skip_space(e.where(), last);
        std::string message = "expected " + e.which() + ", found " + describe_token(where, last);
        // "m s-2": a power written without '^'.
        if (e.which() == "end of unit" && where != last && (*where == '-' || *where == '+') && where + 1 != last &&
            is_digit(where[1]))
            message += "; write a power with '^', e.g. 's^-2'";
        fail(s, where, std::move(message));
    }
    // The grammar leaves exactly one value once it matched up to the end.
    ScaledDimension result = s.stack.back();
    if (!std::isfinite(result.scale) || !(result.scale > 0.0))
        fail(s, skip_space(text.data(), last), "the unit's scale is out of the range of a double");
    return result;
}

}  // namespace kepler::grammar
