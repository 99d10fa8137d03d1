#include <gtest/gtest.h>

#include "kepler/core/printer.hpp"
#include "kepler/grammar/law_file.hpp"
#include "kepler/grammar/parse_error.hpp"

using namespace kepler;
using namespace kepler::grammar;

namespace {

const std::string kFeynman = std::string(KEPLER_SOURCE_DIR) + "/datasets/feynman/feynman.laws";

ParseError error_of(std::string_view text) {
    try {
        parse_law_file(text, "t.laws");
    } catch (const ParseError& e) {
        return e;
    }
    ADD_FAILURE() << "no error for: " << text;
    return ParseError("", 0, 0, "");
}

}  // namespace

TEST(LawFile, ParsesALaw) {
    auto laws = parse_law_file(
        "# comment\nlaw L1\n  target F [kg*m*s^-2]\n  formula m*a\n"
        "  input m [kg] 1 5\n  input a [m*s^-2] 0.5 2.5  # trailing comment\n",
        "t.laws");
    ASSERT_EQ(laws.size(), 1u);
    const Law& law = laws[0];
    EXPECT_EQ(law.id, "L1");
    EXPECT_EQ(law.target, "F");
    EXPECT_EQ(law.target_unit, "kg*m*s^-2");
    ASSERT_EQ(law.inputs.size(), 2u);
    EXPECT_EQ(law.inputs[1].name, "a");
    EXPECT_EQ(law.inputs[1].unit, "m*s^-2");
    EXPECT_EQ(law.inputs[1].low, 0.5);
    EXPECT_EQ(law.inputs[1].high, 2.5);
    std::vector<std::string> names{"m", "a"};
    EXPECT_EQ(to_infix(law.formula, names), "m*a");
    EXPECT_EQ(law.line, 2u);
}

TEST(LawFile, TheFeynmanDatabaseHasAllHundredLaws) {
    auto laws = read_law_file(kFeynman);
    ASSERT_EQ(laws.size(), 100u);
    std::size_t max_inputs = 0;
    for (const auto& law : laws) {
        EXPECT_LE(law.formula.variable_count(), law.inputs.size()) << law.id;
        EXPECT_GE(law.inputs.size(), 1u) << law.id;
        max_inputs = std::max(max_inputs, law.inputs.size());
        for (const auto& in : law.inputs) EXPECT_LT(in.low, in.high) << law.id << " " << in.name;
    }
    EXPECT_EQ(max_inputs, 9u);
    // The documented input-count errata are taken from the listed inputs.
    auto find = [&](const std::string& id) {
        return *std::find_if(laws.begin(), laws.end(), [&](const Law& l) { return l.id == id; });
    };
    EXPECT_EQ(find("I.18.12").inputs.size(), 3u);
    EXPECT_EQ(find("III.19.51").inputs.size(), 5u);
    EXPECT_EQ(find("I.43.16").inputs[0].unit, "s*kg^-1");  // the mu_drift erratum
}

TEST(LawFile, Errors) {
    auto e = error_of("target F [N]\n");
    EXPECT_EQ(e.line(), 1u);
    EXPECT_NE(e.message().find("expected a `law ID` line"), std::string::npos);

    e = error_of("law A\n  target F [N]\n  formula m*\n  input m [kg] 1 5\n");
    EXPECT_EQ(e.line(), 3u);
    EXPECT_EQ(e.column(), 13u);  // just after the '*'
    EXPECT_NE(e.message().find("expected an operand"), std::string::npos) << e.message();

    e = error_of("law A\n  target F [N]\n  formula m*q\n  input m [kg] 1 5\n");
    EXPECT_EQ(e.line(), 3u);
    EXPECT_EQ(e.column(), 13u);
    EXPECT_NE(e.message().find("unknown column 'q'"), std::string::npos) << e.message();

    e = error_of("law A\n  target F [N]\n  formula m\n  input m [kg] 1 x\n");
    EXPECT_EQ(e.line(), 4u);
    EXPECT_EQ(e.column(), 18u);
    EXPECT_NE(e.message().find("expected a number"), std::string::npos) << e.message();

    e = error_of("law A\n  target F N\n");
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 12u);
    EXPECT_NE(e.message().find("expected a unit in brackets, found 'N'"), std::string::npos) << e.message();

    e = error_of("law A\n  formula m\n  input m [kg] 1 5\n");
    EXPECT_EQ(e.line(), 1u);
    EXPECT_NE(e.message().find("has no `target"), std::string::npos) << e.message();

    e = error_of("law A\n  target F [N]\n  formula m\n  input m [kg] 5 1\n");
    EXPECT_NE(e.message().find("LOW is greater than HIGH"), std::string::npos) << e.message();

    e = error_of("law A\n  target F [N]\n  formula m\n  input m [kg] 1 5\nlaw A\n");
    EXPECT_EQ(e.line(), 5u);
    EXPECT_NE(e.message().find("duplicate law id 'A'"), std::string::npos) << e.message();

    e = error_of("law A\n  tagret F [N]\n");
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 3u);
}

TEST(LawFile, MissingFile) {
    try {
        read_law_file("/nonexistent.laws");
        FAIL();
    } catch (const ParseError& e) {
        EXPECT_EQ(e.message(), "cannot open file");
    }
}
