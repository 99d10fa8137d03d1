// Unit-system files: what each statement builds, the accepted layout variants (comments, blank
// lines, CRLF, BOM, quoted names), one test per kind of bad input with its exact line, column
// and message, and loading by built-in name or by path.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"

namespace {

using kepler::Dimension;
using kepler::kMaxBaseDimensions;
using kepler::Rational;
using kepler::UnitSystem;
using kepler::grammar::builtin_unit_system_names;
using kepler::grammar::builtin_unit_system_text;
using kepler::grammar::load_unit_system;
using kepler::grammar::parse_unit;
using kepler::grammar::parse_unit_system;
using kepler::grammar::ParseError;

const char* const kSmall =
    "# A small system\n"
    "system small\n"
    "\n"
    "base M mass kg noprefix   # prefixes go on g\n"
    "base L length m\n"
    "base T \"time of day\" s\n"
    "prefix k = 1e3\n"
    "prefix m = 1e-3\n"
    "unit g = 1e-3 kg\n"
    "unit N = kg*m/s^2\n"
    "unit min = 60 s noprefix\n"
    "unit mile=1609.344 m noprefix\n"
    "constant c = 299792458 m/s \"speed of light in vacuum\"\n"
    "constant g_n = 9.80665 m s^-2   # no name: the symbol is the name\n"
    "constant two = 2\n";

ParseError system_error(std::string_view text, std::string_view source = "my.units") {
    try {
        UnitSystem s = parse_unit_system(text, source);
        ADD_FAILURE() << "parsed into system '" << s.name << "' instead of failing";
    } catch (const ParseError& error) {
        return error;
    }
    return ParseError("", 0, 0, "");
}

void expect_error(std::string_view text, std::size_t line, std::size_t column, std::string_view message) {
    ParseError error = system_error(text);
    EXPECT_EQ(error.source(), "my.units") << text;
    EXPECT_EQ(error.line(), line) << text;
    EXPECT_EQ(error.column(), column) << text;
    EXPECT_EQ(error.message(), message) << text;
}

// "system t\n" followed by `body`: errors in `body` are on line 2 and later.
std::string with_header(std::string_view body) { return "system t\nbase L length m\n" + std::string(body); }

TEST(UnitSystemParser, BuildsBasesUnitsPrefixesAndConstants) {
    UnitSystem s = parse_unit_system(kSmall, "small.units");
    EXPECT_EQ(s.name, "small");

    ASSERT_EQ(s.bases.size(), 3u);
    EXPECT_EQ(s.bases[0].symbol, "M");
    EXPECT_EQ(s.bases[0].name, "mass");
    EXPECT_EQ(s.bases[0].unit, "kg");
    EXPECT_EQ(s.bases[2].symbol, "T");
    EXPECT_EQ(s.bases[2].name, "time of day");
    EXPECT_EQ(s.bases[2].unit, "s");
    EXPECT_EQ(s.base_index("L"), 1u);

    ASSERT_EQ(s.prefixes.size(), 2u);
    EXPECT_EQ(s.prefixes[0].symbol, "k");
    EXPECT_EQ(s.prefixes[0].factor, 1e3);

    // Base units first (scale 1), then the defined ones, in file order.
    std::vector<std::string> symbols;
    for (const auto& u : s.units) symbols.push_back(u.symbol);
    EXPECT_EQ(symbols, (std::vector<std::string>{"kg", "m", "s", "g", "N", "min", "mile"}));
    EXPECT_FALSE(s.units[0].prefixable);  // kg noprefix
    EXPECT_TRUE(s.units[1].prefixable);
    EXPECT_TRUE(s.units[3].prefixable);   // g
    EXPECT_FALSE(s.units[5].prefixable);  // min noprefix
    EXPECT_FALSE(s.units[6].prefixable);  // mile noprefix (no spaces around '=')
    EXPECT_EQ(s.units[0].value.dimension, Dimension::base(0));
    EXPECT_EQ(s.units[0].value.scale, 1.0);
    EXPECT_EQ(s.units[6].value.scale, 1609.344);
    EXPECT_EQ(s.format(s.units[4].value.dimension), "M L T^-2");

    EXPECT_DOUBLE_EQ(s.find_unit("mg")->scale, 1e-6);
    EXPECT_DOUBLE_EQ(s.find_unit("km")->scale, 1e3);
    EXPECT_FALSE(s.find_unit("mkg").has_value());
    EXPECT_FALSE(s.find_unit("kmin").has_value());

    ASSERT_EQ(s.constants.size(), 3u);
    EXPECT_EQ(s.constants[0].symbol, "c");
    EXPECT_EQ(s.constants[0].name, "speed of light in vacuum");
    EXPECT_EQ(s.constants[0].value.scale, 299792458.0);
    EXPECT_EQ(s.format(s.constants[0].value.dimension), "L T^-1");
    EXPECT_EQ(s.constants[1].symbol, "g_n");
    EXPECT_EQ(s.constants[1].name, "g_n");
    EXPECT_EQ(s.format(s.constants[1].value.dimension), "L T^-2");
    EXPECT_EQ(s.constants[2].value.scale, 2.0);
    EXPECT_TRUE(s.constants[2].value.dimension.dimensionless());
    EXPECT_EQ(s.find_constant("c"), &s.constants[0]);
}

TEST(UnitSystemParser, LayoutVariants) {
    // CRLF line ends, a byte-order mark, tabs, a last line without a line end, comments only.
    std::string text =
        "\xEF\xBB\xBF# header\r\n"
        "\tsystem   crlf\r\n"
        "\r\n"
        "   # indented comment\r\n"
        "base\tL\tlength\tm\r\n"
        "unit km2 = 1 # km2 is not a unit symbol\r\n";
    // First the same text with a good last line, then the bad one.
    std::string good = text.substr(0, text.find("unit")) + "unit ft = 0.3048 m";
    UnitSystem s = parse_unit_system(good, "crlf.units");
    EXPECT_EQ(s.name, "crlf");
    ASSERT_EQ(s.units.size(), 2u);
    EXPECT_EQ(s.units[1].symbol, "ft");
    EXPECT_EQ(s.units[1].value.scale, 0.3048);
    EXPECT_TRUE(s.units[1].prefixable);

    ParseError error = system_error(text);
    EXPECT_EQ(error.line(), 6u);
    EXPECT_EQ(error.column(), 6u);
    EXPECT_EQ(error.message(), "expected a unit symbol (letters only: no digits, '_' or signs), found 'km2'");
}

TEST(UnitSystemParser, UnicodeSymbols) {
    UnitSystem s = parse_unit_system(
        "system u\nbase L length m\nprefix µ = 1e-6\nunit Å = 1e-10 m\nbase Θ temperature K\n"
        "constant λ = 5e-7 m \"a wavelength\"\n",
        "u.units");
    EXPECT_DOUBLE_EQ(s.find_unit("µm")->scale, 1e-6);
    EXPECT_DOUBLE_EQ(s.find_unit("Å")->scale, 1e-10);
    EXPECT_EQ(s.format(Dimension::base(1)), "Θ");
    ASSERT_NE(s.find_constant("λ"), nullptr);
}

TEST(UnitSystemParser, ErrorsNameLineColumnAndWhatWasExpected) {
    expect_error("", 1, 1, "expected 'system NAME' as the first statement, found end of file");
    expect_error("# only a comment\n\n", 3, 1, "expected 'system NAME' as the first statement, found end of file");
    expect_error("base L length m\n", 1, 1, "expected 'system NAME' as the first statement, found 'base'");
    expect_error("system\n", 1, 7, "expected a system name, found end of line");
    expect_error("system a\nsystem b\n", 2, 1, "the unit system is already named on line 1");
    expect_error("system a b\n", 1, 10, "expected end of line, found 'b'");

    expect_error(with_header("unti g = 1 m\n"), 3, 1,
                 "unknown keyword 'unti'; expected one of: system, base, prefix, unit, constant");
    expect_error(with_header("  = 1 m\n"), 3, 3,
                 "unknown keyword '='; expected one of: system, base, prefix, unit, constant");
    expect_error(with_header("units g = 1 m\n"), 3, 1,
                 "unknown keyword 'units'; expected one of: system, base, prefix, unit, constant");

    // base
    expect_error(with_header("base\n"), 3, 5, "expected a base dimension symbol, found end of line");
    expect_error(with_header("base T\n"), 3, 7, "expected a name for the base dimension, found end of line");
    expect_error(with_header("base T time\n"), 3, 12, "expected the symbol of its coherent unit, found end of line");
    expect_error(with_header("base T time s extra\n"), 3, 15, "expected end of line, found 'extra'");
    expect_error(with_header("base T \"time s\n"), 3, 15, "expected a closing '\"', found end of line");
    expect_error(with_header("base L time s\n"), 3, 6, "base dimension 'L' is already defined on line 2");
    expect_error(with_header("base 1T time s\n"), 3, 6,
                 "expected a base dimension symbol (letters, digits and '_', starting with a letter), found '1T'");
    expect_error(with_header("base T time m\n"), 3, 13, "unit 'm' is already defined on line 2");
    {
        std::string text = "system many\n";
        for (std::size_t i = 0; i <= kMaxBaseDimensions; ++i)
            text += "base B" + std::to_string(i) + " b" + std::to_string(i) + " u" + std::string(i + 1, 'x') + "\n";
        expect_error(text, kMaxBaseDimensions + 2, 1,
                     "too many base dimensions (at most " + std::to_string(kMaxBaseDimensions) + ")");
    }

    // prefix
    expect_error(with_header("prefix k 1e3\n"), 3, 10, "expected '=', found '1e3'");
    expect_error(with_header("prefix k =\n"), 3, 11, "expected a number, found end of line");
    expect_error(with_header("prefix k = abc\n"), 3, 12, "expected a positive number, found 'abc'");
    expect_error(with_header("prefix k = 0\n"), 3, 12, "expected a positive number, found '0'");
    expect_error(with_header("prefix k = 1e3x\n"), 3, 12, "expected a positive number, found '1e3x'");
    expect_error(with_header("prefix k = 1e3\nprefix k = 1e3\n"), 4, 8, "prefix 'k' is already defined on line 3");
    expect_error(with_header("prefix k_ = 1e3\n"), 3, 8, "expected a prefix symbol (letters only), found 'k_'");

    // unit
    expect_error(with_header("unit g\n"), 3, 7, "expected '=', found end of line");
    expect_error(with_header("unit g =\n"), 3, 9, "expected a unit expression after '=', found end of line");
    expect_error(with_header("unit g =   # nothing\n"), 3, 12, "expected a unit expression after '=', found '#'");
    expect_error(with_header("unit g = noprefix\n"), 3, 10, "expected a unit expression after '=', found 'noprefix'");
    expect_error(with_header("unit ft = 0.3048 furlong\n"), 3, 18, "unknown unit 'furlong' in unit system 't'");
    expect_error(with_header("unit ft = 0.3048 m\nunit ft = 0.3 m\n"), 4, 6, "unit 'ft' is already defined on line 3");
    expect_error(with_header("unit m = 1 m\n"), 3, 6, "unit 'm' is already defined on line 2");
    expect_error(with_header("unit x = x\n"), 3, 10, "unknown unit 'x' in unit system 't'");
    expect_error(with_header("unit sq = m^\n"), 3, 13, "expected an exponent after '^', found end of unit");
    expect_error(with_header("unit ft = 0.3048 m \"foot\"\n"), 3, 20, "expected end of line, found '\"'");
    // `noprefix` is only the flag (found by tests/fuzz: a base unit called noprefix made
    // "unit x = 2 noprefix^1" print as "unit x = 2 noprefix", which reads back without the unit).
    expect_error("system t\nbase L length noprefix\n", 2, 15,
                 "expected the symbol of its coherent unit, found the keyword 'noprefix'");
    expect_error(with_header("unit noprefix = 2 m\n"), 3, 6, "expected a unit symbol, found the keyword 'noprefix'");

    // constant
    expect_error(with_header("constant c 3e8 m\n"), 3, 12, "expected '=', found '3e8'");
    expect_error(with_header("constant c = \"speed\"\n"), 3, 14, "expected a unit expression after '=', found '\"'");
    expect_error(with_header("constant c = 3e8 m \"speed\n"), 3, 26, "expected a closing '\"', found end of line");
    expect_error(with_header("constant c = 3e8 m \"speed\" x\n"), 3, 28, "expected end of line, found 'x'");
    expect_error(with_header("constant c = 3e8 m\nconstant c = 3e8 m\n"), 4, 10,
                 "constant 'c' is already defined on line 3");
    expect_error(with_header("constant 2c = 3e8 m\n"), 3, 10,
                 "expected a constant symbol (letters, digits and '_', starting with a letter), found '2c'");
    expect_error(with_header("constant c = 3e8 m/ \"speed\"\n"), 3, 20, "expected a unit, found end of unit");
}

TEST(UnitSystemParser, BuiltinNames) {
    EXPECT_EQ(builtin_unit_system_names(),
              (std::vector<std::string>{"si", "si-angle", "gaussian", "natural", "feynman"}));
    for (const std::string& name : builtin_unit_system_names()) {
        ASSERT_TRUE(builtin_unit_system_text(name).has_value()) << name;
        EXPECT_EQ(load_unit_system(name).name, name);
    }
    EXPECT_FALSE(builtin_unit_system_text("cgs").has_value());
}

TEST(UnitSystemParser, UnknownNameListsTheBuiltins) {
    try {
        load_unit_system("cgs");
        FAIL() << "no error";
    } catch (const ParseError& error) {
        EXPECT_EQ(error.source(), "cgs");
        EXPECT_EQ(error.line(), 0u);
        EXPECT_EQ(error.column(), 0u);
        EXPECT_EQ(
            error.message(),
            "unknown unit system 'cgs'; expected one of: si, si-angle, gaussian, natural, feynman, or a file path");
    }
}

TEST(UnitSystemParser, MissingFileCannotBeOpened) {
    std::string path = std::string(KEPLER_BINARY_DIR) + "/no-such-dir/none.units";
    try {
        load_unit_system(path);
        FAIL() << "no error";
    } catch (const ParseError& error) {
        EXPECT_EQ(error.source(), path);
        EXPECT_EQ(error.line(), 0u);
        EXPECT_EQ(error.message(), "cannot open file");
    }
}

// A scratch directory of the test's own, removed afterwards.
class UnitSystemFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::path(KEPLER_BINARY_DIR) / "test_unit_system_parser" /
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string write(const std::string& name, const std::string& text) {
        std::filesystem::path path = dir_ / name;
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }

    std::filesystem::path dir_;
};

TEST_F(UnitSystemFiles, LoadsAFileByPath) {
    std::string path = write("small.units", kSmall);
    UnitSystem s = load_unit_system(path);
    EXPECT_EQ(s.name, "small");
    EXPECT_EQ(s.bases.size(), 3u);
    EXPECT_EQ(s.format(parse_unit("N/kg", s).dimension), "L T^-2");
    EXPECT_DOUBLE_EQ(parse_unit("km/min", s).scale, 1000.0 / 60.0);
}

TEST_F(UnitSystemFiles, MalformedFileGivesPathLineAndColumn) {
    std::string path =
        write("bad.units", "system bad\nbase L length m\n\nunit ft = 0.3048 m\nunit yd = 3 ft*furlong\n");
    try {
        load_unit_system(path);
        FAIL() << "no error";
    } catch (const ParseError& error) {
        EXPECT_EQ(error.source(), path);
        EXPECT_EQ(error.line(), 5u);
        EXPECT_EQ(error.column(), 16u);
        EXPECT_EQ(error.message(), "unknown unit 'furlong' in unit system 'bad'");
        EXPECT_EQ(std::string(error.what()), path + ":5:16: unknown unit 'furlong' in unit system 'bad'");
    }
}

TEST_F(UnitSystemFiles, ADirectoryCannotBeOpened) {
    try {
        load_unit_system(dir_.string());
        FAIL() << "no error";
    } catch (const ParseError& error) {
        EXPECT_EQ(error.line(), 0u);
        EXPECT_EQ(error.message(), "cannot open file");
    }
}

}  // namespace
