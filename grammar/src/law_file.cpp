#include "kepler/grammar/law_file.hpp"
#include "text_position.hpp"

#include <boost/spirit/home/x3.hpp>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "kepler/grammar/formula_parser.hpp"
#include "kepler/grammar/parse_error.hpp"

namespace kepler::grammar {

namespace {

namespace x3 = boost::spirit::x3;

// The pieces of one line. Names and ids are runs of non-blank characters; a unit is the text
// between brackets.
const auto word = x3::lexeme[+(x3::char_ - x3::space - '[')];
const auto unit = x3::lexeme['[' >> *(x3::char_ - ']') >> ']'];

struct LineReader {
    std::string_view source;
    std::size_t line;
    std::string_view text;

    [[noreturn]] void fail(const char* at, const std::string& message) const {
        throw ParseError(std::string(source), line, static_cast<std::size_t>(at - text.data()) + 1, message);
    }
    std::string found(const char* at) const {
        const char* end = text.data() + text.size();
        while (at != end && (*at == ' ' || *at == '\t')) ++at;
        if (at == end) return "end of line";
        const char* stop = at;
        while (stop != end && *stop != ' ' && *stop != '\t') ++stop;
        return detail::quote(std::string_view(at, static_cast<std::size_t>(stop - at)));
    }
};

struct Pending {
    Law law;
    std::size_t formula_line = 0, formula_column = 0;
    bool has_target = false;
};

void finish(Pending& p, std::string_view source, std::vector<Law>& out) {
    auto fail = [&](const std::string& what) {
        throw ParseError(std::string(source), p.law.line, 1, "law " + p.law.id + " " + what);
    };
    if (!p.has_target) fail("has no `target NAME [UNIT]` line");
    if (p.law.formula_text.empty()) fail("has no `formula TEXT` line");
    if (p.law.inputs.empty()) fail("has no `input NAME [UNIT] LOW HIGH` line");
    std::vector<std::string> names;
    for (const auto& in : p.law.inputs) names.push_back(in.name);
    try {
        p.law.formula = parse_formula(p.law.formula_text, names, source);
    } catch (const ParseError& e) {
        throw ParseError(std::string(source), p.formula_line, p.formula_column + e.column() - 1, e.message());
    }
    out.push_back(std::move(p.law));
}

}  // namespace

std::vector<Law> parse_law_file(std::string_view text, std::string_view source) {
    std::vector<Law> laws;
    std::set<std::string> ids;
    std::optional<Pending> pending;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        ++line_number;
        start = end + 1;

        LineReader reader{source, line_number, line};
        const char* first = line.data();
        const char* last = line.data() + line.size();
        std::string keyword;
        if (!x3::phrase_parse(first, last, x3::lexeme[+x3::alpha], x3::blank, keyword)) {
            if (first == last || *first == '#') continue;  // blank line or comment
            const char* p = first;
            while (p != last && (*p == ' ' || *p == '\t')) ++p;
            if (p == last || *p == '#') continue;
            reader.fail(p, "expected `law`, `target`, `formula` or `input`, found " + reader.found(p));
        }
        if (keyword == "law") {
            std::string id;
            const char* at = first;
            if (!x3::phrase_parse(first, last, word, x3::blank, id))
                reader.fail(at, "expected a law id, found " + reader.found(at));
            if (pending) finish(*pending, source, laws);
            if (!ids.insert(id).second) reader.fail(at, "duplicate law id '" + id + "'");
            pending.emplace();
            pending->law.id = id;
            pending->law.line = line_number;
        } else if (keyword == "target" || keyword == "formula" || keyword == "input") {
            if (!pending) reader.fail(line.data(), "expected a `law ID` line before `" + keyword + "`");
            const char* at = first;
            if (keyword == "formula") {
                while (at != last && (*at == ' ' || *at == '\t')) ++at;
                if (at == last) reader.fail(at, "expected a formula, found end of line");
                pending->law.formula_text = std::string(at, last);
                pending->formula_line = line_number;
                pending->formula_column = static_cast<std::size_t>(at - line.data()) + 1;
                continue;
            }
            std::string name, unit_text;
            if (!x3::phrase_parse(first, last, word, x3::blank, name))
                reader.fail(at, "expected a name, found " + reader.found(at));
            at = first;
            if (!x3::phrase_parse(first, last, unit, x3::blank, unit_text))
                reader.fail(at, "expected a unit in brackets, found " + reader.found(at));
            if (keyword == "target") {
                pending->law.target = name;
                pending->law.target_unit = unit_text;
                pending->has_target = true;
            } else {
                LawInput in{name, unit_text, 0.0, 0.0};
                for (double* bound : {&in.low, &in.high}) {
                    at = first;
                    if (!x3::phrase_parse(first, last, x3::double_, x3::blank, *bound))
                        reader.fail(at, "expected a number (the sampling range), found " + reader.found(at));
                }
                if (in.low > in.high) reader.fail(line.data(), "input " + name + ": LOW is greater than HIGH");
                for (const auto& other : pending->law.inputs)
                    if (other.name == name) reader.fail(line.data(), "duplicate input '" + name + "'");
                pending->law.inputs.push_back(std::move(in));
            }
            x3::phrase_parse(first, last, x3::eps, x3::blank);
            if (first != last && *first != '#')
                reader.fail(first, "expected end of line, found " + reader.found(first));
        } else {
            reader.fail(line.data() + (line.find_first_not_of(" \t")),
                        "expected `law`, `target`, `formula` or `input`, found '" + keyword + "'");
        }
    }
    if (pending) finish(*pending, source, laws);
    return laws;
}

std::vector<Law> read_law_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ParseError(path, 0, 0, "cannot open file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_law_file(text.str(), path);
}

}  // namespace kepler::grammar
