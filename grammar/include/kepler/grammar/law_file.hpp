// Benchmark laws as data: the format of datasets/feynman/feynman.laws.
//
//   # comment
//   law I.12.1
//     target F [kg*m*s^-2]
//     formula mu*Nn
//     input mu [1] 1 5
//     input Nn [kg*m*s^-2] 1 5
//
// One `law ID` line opens a law; `target NAME [UNIT]`, `formula TEXT` and one or more
// `input NAME [UNIT] LOW HIGH` lines follow, in any order. Units are kept as text (resolve
// them with the unit system the file names, `feynman` for the Feynman database). The formula
// is parsed against the law's inputs, in the project's infix syntax.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler::grammar {

struct LawInput {
    std::string name;
    std::string unit;
    double low = 0.0;
    double high = 0.0;
};

struct Law {
    std::string id;
    std::string target;
    std::string target_unit;
    std::string formula_text;
    Expression formula;  // Var k is inputs[k]
    std::vector<LawInput> inputs;
    std::size_t line = 0;  // line of the `law` keyword
};

// Throws ParseError (source, line, column, what was expected) for any malformed line, a law
// without target, formula or inputs, a duplicate id or input, LOW > HIGH, or a formula that
// does not parse or names something that is not an input.
std::vector<Law> parse_law_file(std::string_view text, std::string_view source_name);
std::vector<Law> read_law_file(const std::string& path);

}  // namespace kepler::grammar
