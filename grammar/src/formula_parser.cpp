// The infix formula grammar (Spirit X3). The semantic actions append nodes to the postfix
// Expression as the parse goes: an operand is pushed when it is read, an operator after both
// of its operands, so no syntax tree is ever built. That is only sound because the grammar
// never backtracks over input whose actions have already run: every alternative either fails
// on its first token (before any action) or commits with an expectation point (`>`), whose
// failure aborts the whole parse with an exception.

#include "kepler/grammar/formula_parser.hpp"
#include "text_position.hpp"

#include <boost/spirit/home/x3.hpp>
#include <charconv>
#include <limits>
#include <string>
#include <system_error>

namespace kepler::grammar {

namespace {

namespace x3 = boost::spirit::x3;
using Iterator = const char*;

// Deeper nesting than this is refused rather than risking the stack: each level is a handful
// of recursive rule calls, and 1000 levels were measured to fit in 512 KiB of stack (-O2).
// Formulas printed by the search are nowhere near it.
constexpr int kMaxDepth = 1000;
// More operands than this are refused too: a long flat chain (m-m-m-...) nests nothing, yet
// every consumer of the formula pays for its size. Formulas printed by the search have tens.
constexpr std::size_t kMaxOperands = 5000;

struct ParseState {
    Expression expression;
    std::span<const std::string> names;
    std::string_view text;
    std::string_view source;
    int depth = 0;
    std::size_t operands = 0;
};

struct state_tag;

ParseState& state(auto& ctx) { return x3::get<state_tag>(ctx); }

using detail::quote;

std::size_t column_of(std::string_view text, Iterator where) { return detail::column_of(text.data(), where); }

bool is_identifier_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_identifier_char(char c) { return is_identifier_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// The token at `p` (already past whitespace), quoted, for "found ..." in messages.
std::string describe_token(Iterator p, Iterator end) {
    if (p == end) return "end of formula";
    Iterator q = p + 1;
    if (is_identifier_start(*p)) {
        while (q != end && is_identifier_char(*q)) ++q;
    } else if (is_digit(*p) || (*p == '.' && q != end && is_digit(*q))) {
        while (q != end && (is_digit(*q) || *q == '.' || *q == 'e' || *q == 'E' ||
                            ((*q == '+' || *q == '-') && (q[-1] == 'e' || q[-1] == 'E'))))
            ++q;
    } else if (static_cast<unsigned char>(*p) >= 0x80) {
        // One whole UTF-8 character, not a lone byte of it.
        while (q != end && detail::is_utf8_continuation(*q)) ++q;
    }
    return quote(std::string_view(p, static_cast<std::size_t>(q - p)));
}

[[noreturn]] void fail(const ParseState& s, Iterator where, std::string message) {
    throw ParseError(std::string(s.source), 1, column_of(s.text, where), std::move(message));
}

// Counts one more operand at `where`, refusing a formula with too many.
void count_operand(ParseState& s, Iterator where) {
    if (++s.operands > kMaxOperands)
        fail(s, where,
             "formula too long (more than " + std::to_string(kMaxOperands) + " operands: numbers, names and pi)");
}

// The column called `name` as a variable node, or nullopt if no column is.
bool push_column(ParseState& s, std::string_view name, Iterator where) {
    for (std::size_t k = 0; k < s.names.size(); ++k) {
        if (s.names[k] == name) {
            if (k > std::numeric_limits<std::uint16_t>::max())
                fail(s, where, "column " + quote(name) + " has too high an index for a variable");
            s.expression.push(Node::var(static_cast<std::uint16_t>(k)));
            return true;
        }
    }
    return false;
}

[[noreturn]] void fail_unknown_column(const ParseState& s, std::string_view name, Iterator where) {
    std::string message = "unknown column " + quote(name);
    if (s.names.empty()) {
        message += "; the formula has no columns to refer to";
    } else {
        message += "; expected one of: ";
        for (std::size_t k = 0; k < s.names.size(); ++k) {
            if (k > 0) message += ", ";
            message += s.names[k];
        }
    }
    fail(s, where, std::move(message));
}

// ---- semantic actions ----

auto push_op(Op op) {
    return [op](auto& ctx) { state(ctx).expression.push(Node::op_node(op)); };
}

// Numbers are converted with std::from_chars, which rounds correctly (libstdc++ 12 uses the
// Eiseł-Lemire / fast_float algorithm). x3::double_ accumulates digits in floating point and
// can be off by an ulp, which would break the print/parse round trip of constants: the
// printer writes the shortest text that reads back to the same double *when read correctly*.
const auto on_number = [](auto& ctx) {
    const auto& range = x3::_attr(ctx);
    Iterator first = range.begin(), last = range.end();
    std::string_view lexeme(first, static_cast<std::size_t>(last - first));
    count_operand(state(ctx), first);
    double value = 0.0;
    auto [ptr, ec] = std::from_chars(first, last, value, std::chars_format::general);
    // Too large for a double; a too-small value is refused too rather than silently becoming
    // zero (libstdc++ reports both this way).
    if (ec == std::errc::result_out_of_range)
        fail(state(ctx), first, "number " + quote(lexeme) + " is out of range for a double");
    if (ec != std::errc() || ptr != last)  // cannot happen: the grammar only admits valid numbers
        fail(state(ctx), first, "expected a number, found " + quote(lexeme));
    state(ctx).expression.push(Node::constant(value));
};

const auto on_identifier = [](auto& ctx) {
    ParseState& s = state(ctx);
    const auto& range = x3::_attr(ctx);
    std::string_view name(range.begin(), static_cast<std::size_t>(range.end() - range.begin()));
    count_operand(s, range.begin());
    if (push_column(s, name, range.begin())) return;
    if (name == "pi") {
        s.expression.push(Node::op_node(Op::Pi));
        return;
    }
    if (name == "inf" || name == "nan") {
        s.expression.push(Node::constant(name == "inf" ? std::numeric_limits<double>::infinity()
                                                       : std::numeric_limits<double>::quiet_NaN()));
        return;
    }
    Op op;
    if (unary_function_from_name(name, op) || name == "ln") {
        Iterator end = s.text.data() + s.text.size();
        Iterator after = range.end();
        while (after != end && is_space(*after)) ++after;
        fail(s, after, "expected '(' after function name " + quote(name) + ", found " + describe_token(after, end));
    }
    fail_unknown_column(s, name, range.begin());
};

// `mass-kg`: a column by its exact name, whatever its characters ("``" is one backtick).
// Quoted, a name is always a column: `pi` is the column called pi, never the constant.
const auto on_quoted_name = [](auto& ctx) {
    ParseState& s = state(ctx);
    const auto& range = x3::_attr(ctx);
    Iterator open = range.begin() - 1;
    std::string name;
    for (Iterator p = range.begin(); p != range.end(); ++p) {
        name += *p;
        if (*p == '`') ++p;  // the grammar only admits doubled backticks inside
    }
    count_operand(s, open);
    if (!push_column(s, name, open)) fail_unknown_column(s, name, open);
};

const auto enter = [](auto& ctx) {
    ParseState& s = state(ctx);
    if (++s.depth > kMaxDepth)
        fail(s, x3::_where(ctx).begin(),
             "formula nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
};
const auto leave = [](auto& ctx) { --state(ctx).depth; };

const auto on_call = [](auto& ctx) { state(ctx).expression.push(Node::op_node(x3::_attr(ctx))); };

// ---- grammar ----

struct Functions : x3::symbols<Op> {
    Functions() {
        for (int i = static_cast<int>(Op::Sqrt); i <= static_cast<int>(Op::Abs); ++i) {
            Op op = static_cast<Op>(i);
            add(std::string(op_name(op)), op);
        }
        add("ln", Op::Log);
    }
};
const Functions functions;

// The rule names are what error messages say was expected: "expected an operand, found ')'".
const x3::rule<class expression_class> expression = "an operand";
const x3::rule<class term_class> term = "an operand";
const x3::rule<class unary_class> unary = "an operand";
const x3::rule<class power_class> power = "an operand";
const x3::rule<class primary_class> primary = "an operand";
const x3::rule<class close_paren_class> close_paren = "')'";
const x3::rule<class end_class> end_of_formula = "end of formula";
const x3::rule<class closing_backtick_class> closing_backtick = "'`' to close the quoted column name";

const auto word_end = !(x3::ascii::alnum | x3::lit('_'));

const auto number = x3::raw[x3::lexeme[(+x3::ascii::digit >> -(x3::lit('.') >> *x3::ascii::digit) |
                                        x3::lit('.') >> +x3::ascii::digit) >>
                                       -(x3::ascii::char_("eE") >> -x3::ascii::char_("+-") >> +x3::ascii::digit)]];

const auto quoted_name = x3::lexeme['`' > x3::raw[*(~x3::char_('`') | x3::lit("``"))] > closing_backtick];

const auto identifier = x3::raw[x3::lexeme[(x3::ascii::alpha | x3::lit('_')) >> *(x3::ascii::alnum | x3::lit('_'))]];

// `sqrt (` commits to a call; `sqrt` without '(' falls through to the identifier, with no
// action run yet (a column may be called `sqrt`).
const auto call = (x3::lexeme[functions >> word_end] >> '(' > expression > close_paren)[on_call];

const auto expression_def = term >>
                            *((x3::lit('+') > term)[push_op(Op::Add)] | (x3::lit('-') > term)[push_op(Op::Sub)]);
const auto term_def = unary >> *((x3::lit('*') > unary)[push_op(Op::Mul)] | (x3::lit('/') > unary)[push_op(Op::Div)]);
// Every level of nesting passes through `unary`, so that is where the depth is counted. The
// count is not unwound when the parse fails, but a failure here always ends the whole parse.
const auto unary_def = x3::eps[enter] >> ((x3::lit('-') > unary)[push_op(Op::Neg)] | power) >> x3::eps[leave];
const auto power_def = primary >> -((x3::lit('^') > unary)[push_op(Op::Pow)]);
const auto primary_def = number[on_number] | (x3::lit('(') > expression > close_paren) | call |
                         identifier[on_identifier] | quoted_name[on_quoted_name];
const auto close_paren_def = x3::lit(')');
const auto end_of_formula_def = x3::eoi;
const auto closing_backtick_def = x3::lit('`');

BOOST_SPIRIT_DEFINE(expression, term, unary, power, primary, close_paren, end_of_formula, closing_backtick)

const auto formula = x3::expect[expression] > end_of_formula;

}  // namespace

Expression parse_formula(std::string_view text, std::span<const std::string> variable_names,
                         std::string_view source_name) {
    ParseState s;
    s.names = variable_names;
    s.text = text;
    s.source = source_name;
    s.expression.mutable_nodes().reserve(text.size() / 2 + 1);

    Iterator first = text.data();
    Iterator last = text.data() + text.size();
    try {
        x3::phrase_parse(first, last, x3::with<state_tag>(s)[formula], x3::ascii::space);
    } catch (const x3::expectation_failure<Iterator>& e) {
        Iterator where = e.where();
        while (where != last && is_space(*where)) ++where;
        fail(s, where, "expected " + e.which() + ", found " + describe_token(where, last));
    }
    // The grammar guarantees a well-formed program once it matched up to the end.
    return std::move(s.expression);
}

}  // namespace kepler::grammar
