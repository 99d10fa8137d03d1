// Fuzz target for the formula grammar. Property: printing is the inverse of parsing on whatever
// parses, i.e. parse_formula(to_infix(e)) gives the node array e again (constants bit for bit).
// A ParseError on the input is expected; one on the printed text, a different node array, any
// other exception or a sanitizer report is a failure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "kepler/core/expression.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/grammar/formula_parser.hpp"

namespace {

using kepler::Expression;
using kepler::grammar::ParseError;

// Plain identifiers only: a column called `pi` or `inf` is another question (issue 15, item 4).
const std::vector<std::string> kNames{"x", "y", "m", "a", "F", "T_1"};

std::string dump(const Expression& e) {
    std::string out;
    for (const kepler::Node& n : e.nodes()) {
        out += ' ';
        out += kepler::op_name(n.op);
        if (n.op == kepler::Op::Var) out += std::to_string(n.index);
        if (n.op == kepler::Op::Const) out += "(" + kepler::format_number(n.value) + ")";
    }
    return out;
}

void check(std::string_view text) {
    Expression parsed;
    try {
        parsed = kepler::grammar::parse_formula(text, kNames);
    } catch (const ParseError&) {
        return;
    }
    const std::string printed = kepler::to_infix(parsed, kNames);
    Expression again;
    try {
        again = kepler::grammar::parse_formula(printed, kNames);
    } catch (const ParseError& e) {
        kepler::fuzz::fail("the printed formula does not parse", printed + "\n" + e.what());
    }
    if (!(again == parsed))
        kepler::fuzz::fail("print then parse changed the formula",
                           "printed: " + printed + "\nparsed: " + dump(parsed) + "\nagain:  " + dump(again));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    return kepler::fuzz::run_checked([&] { check(text); });
}
