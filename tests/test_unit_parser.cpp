// Unit expressions: dimension and scale of the usual forms (products, quotients, juxtaposition,
// powers, prefixes, numbers), precedence, and one test per kind of bad input with its exact
// column and message. Also the column-units side file, whose entries are unit expressions.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kepler/grammar/column_units.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"

namespace {

using kepler::Dimension;
using kepler::Rational;
using kepler::ScaledDimension;
using kepler::UnitSystem;
using kepler::grammar::is_unit_symbol;
using kepler::grammar::load_unit_system;
using kepler::grammar::parse_unit;
using kepler::grammar::ParseError;

const UnitSystem& si() {
    static const UnitSystem system = load_unit_system("si");
    return system;
}

const UnitSystem& gaussian() {
    static const UnitSystem system = load_unit_system("gaussian");
    return system;
}

ScaledDimension unit(std::string_view text) { return parse_unit(text, si()); }

// The dimension of `text` in si, in the system's notation ("M L T^-2").
std::string dim(std::string_view text) { return si().format(unit(text).dimension); }

double scale(std::string_view text) { return unit(text).scale; }

ParseError unit_error(std::string_view text, const UnitSystem& system = si()) {
    try {
        ScaledDimension u = parse_unit(text, system);
        ADD_FAILURE() << "'" << text << "' parsed to " << system.format(u.dimension) << " instead of failing";
    } catch (const ParseError& error) {
        return error;
    }
    return ParseError("", 0, 0, "");
}

void expect_error(std::string_view text, std::size_t column, std::string_view message) {
    ParseError error = unit_error(text);
    EXPECT_EQ(error.source(), "unit") << text;
    EXPECT_EQ(error.line(), 1u) << text;
    EXPECT_EQ(error.column(), column) << text;
    EXPECT_EQ(error.message(), message) << text;
}

TEST(UnitParser, NewtonIsKilogramMetrePerSecondSquared) {
    ScaledDimension n = unit("kg*m/s^2");
    EXPECT_EQ(n.scale, 1.0);
    EXPECT_EQ(si().format(n.dimension), "M L T^-2");
    EXPECT_EQ(n.dimension, unit("N").dimension);
    EXPECT_EQ(n.dimension.exponent(0), Rational(1));   // M
    EXPECT_EQ(n.dimension.exponent(1), Rational(1));   // L
    EXPECT_EQ(n.dimension.exponent(2), Rational(-2));  // T
    EXPECT_EQ(si().format_in_units(n.dimension), "kg*m*s^-2");
}

TEST(UnitParser, JuxtapositionIsAProduct) {
    EXPECT_EQ(dim("m s^-2"), "L T^-2");
    EXPECT_EQ(scale("m s^-2"), 1.0);
    EXPECT_EQ(dim("kg m s^-2"), dim("N"));
    EXPECT_EQ(dim("N m"), dim("J"));
    EXPECT_EQ(dim("N·m"), dim("J"));  // U+00B7 middle dot
    EXPECT_EQ(dim("N⋅m"), dim("J"));  // U+22C5 dot operator
    EXPECT_EQ(dim("  kg  *  m  "), "M L");
}

TEST(UnitParser, ParenthesisedDenominator) {
    ScaledDimension u = unit("W/(m^2*K^4)");
    EXPECT_EQ(u.scale, 1.0);
    EXPECT_EQ(si().format(u.dimension), "M T^-3 Theta^-4");
    EXPECT_EQ(u.dimension, si().find_constant("sigma_SB")->value.dimension);
    EXPECT_EQ(dim("((kg))"), "M");
    EXPECT_EQ(dim("(m/s)^2"), "L^2 T^-2");
}

TEST(UnitParser, SlashAndProductAssociateLeftToRight) {
    EXPECT_EQ(dim("J/kg/K"), "L^2 T^-2 Theta^-1");  // J kg^-1 K^-1
    EXPECT_EQ(dim("J/kg/K"), dim("J/(kg*K)"));
    EXPECT_EQ(dim("W/m^2*K"), "M T^-3 Theta");  // (W/m^2)*K
    EXPECT_EQ(dim("W/m^2*K"), dim("(W/m^2)*K"));
    EXPECT_EQ(dim("J/kg K"), dim("(J/kg)*K"));  // juxtaposition binds like '*'
    EXPECT_EQ(dim("m/s/s"), "L T^-2");
}

TEST(UnitParser, KilometresPerHour) {
    ScaledDimension u = unit("km/h");
    EXPECT_DOUBLE_EQ(u.scale, 1.0 / 3.6);
    EXPECT_EQ(u.dimension, unit("m/s").dimension);
    EXPECT_EQ(si().format(u.dimension), "L T^-1");
}

TEST(UnitParser, MicroPrefixInAsciiAndUnicode) {
    ScaledDimension farad = unit("F");
    EXPECT_EQ(si().format(farad.dimension), "M^-1 L^-2 T^4 I^2");
    for (const char* text : {"uF", "µF", "μF"}) {  // u, U+00B5 micro sign, U+03BC Greek mu
        ScaledDimension u = unit(text);
        EXPECT_DOUBLE_EQ(u.scale, 1e-6) << text;
        EXPECT_EQ(u.dimension, farad.dimension) << text;
    }
}

TEST(UnitParser, OneIsDimensionless) {
    ScaledDimension u = unit("1");
    EXPECT_EQ(u.scale, 1.0);
    EXPECT_TRUE(u.dimension.dimensionless());
    EXPECT_EQ(dim("1"), "1");
    EXPECT_EQ(dim("m/m"), "1");
    EXPECT_EQ(dim("1/s"), "T^-1");
    EXPECT_EQ(dim("rad"), "1");
}

TEST(UnitParser, RationalPowers) {
    ScaledDimension u = unit("cm^(3/2)");
    EXPECT_DOUBLE_EQ(u.scale, 1e-3);
    EXPECT_EQ(u.dimension.exponent(1), Rational(3, 2));
    EXPECT_EQ(dim("cm^(3/2)"), "L^3/2");
    EXPECT_EQ(dim("s^(-1/2)"), "T^-1/2");
    EXPECT_EQ(dim("m^(4/2)"), "L^2");
    EXPECT_EQ(dim("m^(2)"), "L^2");
    EXPECT_EQ(dim("m^(+1/-2)"), "L^-1/2");
    EXPECT_EQ(dim("m^(1/2)*m^(1/2)"), "L");
}

TEST(UnitParser, SignedIntegerPowers) {
    EXPECT_EQ(dim("s^-1"), "T^-1");
    EXPECT_EQ(dim("m^+2"), "L^2");
    EXPECT_EQ(dim("m^0"), "1");
    EXPECT_EQ(dim("m ^ 3"), "L^3");
    EXPECT_DOUBLE_EQ(scale("km^2"), 1e6);  // the prefix is part of the symbol that is squared
    EXPECT_DOUBLE_EQ(scale("mm^-1"), 1e3);
}

TEST(UnitParser, NumbersAreScaleFactors) {
    ScaledDimension gram = unit("g");
    for (const char* text : {"1e-3*kg", "1e-3 kg", "1e-3kg", "0.001 kg", ".001kg", "kg/1000", "10^-3 kg"}) {
        ScaledDimension u = unit(text);
        EXPECT_DOUBLE_EQ(u.scale, gram.scale) << text;
        EXPECT_EQ(u.dimension, gram.dimension) << text;
    }
    EXPECT_DOUBLE_EQ(scale("60 s"), scale("min"));
    EXPECT_DOUBLE_EQ(scale("2.5E+3 m"), 2500.0);
    EXPECT_DOUBLE_EQ(scale("1 eV"), 1.602176634e-19);  // "1eV" too: 1 then eV
    EXPECT_DOUBLE_EQ(scale("1eV"), 1.602176634e-19);
}

TEST(UnitParser, ExactSymbolWinsOverPrefix) {
    EXPECT_DOUBLE_EQ(scale("h"), 3600.0);  // hour, not hecto-
    EXPECT_EQ(dim("h"), "T");
    EXPECT_DOUBLE_EQ(scale("hPa"), 100.0);  // hecto-pascal
    EXPECT_EQ(dim("hPa"), dim("Pa"));
    EXPECT_EQ(dim("cd"), "J");           // candela, not centi-day
    EXPECT_EQ(dim("T"), dim("Wb/m^2"));  // tesla, not the prefix tera
    EXPECT_DOUBLE_EQ(scale("TJ"), 1e12);
    EXPECT_DOUBLE_EQ(scale("ms"), 1e-3);  // millisecond ...
    EXPECT_EQ(dim("ms"), "T");
    EXPECT_EQ(dim("m s"), "L T");          // ... but metre times second
    EXPECT_DOUBLE_EQ(scale("dam"), 10.0);  // deca- (two letters), not deci-atto-metre
    EXPECT_DOUBLE_EQ(scale("mg"), 1e-6);   // prefixes go on the gram
    EXPECT_DOUBLE_EQ(scale("kOhm"), 1e3);
    EXPECT_DOUBLE_EQ(scale("kΩ"), 1e3);
    EXPECT_EQ(dim("Ω"), dim("V/A"));
    EXPECT_DOUBLE_EQ(scale("mL"), 1e-6);
    EXPECT_DOUBLE_EQ(scale("GeV"), 1.602176634e-10);
}

TEST(UnitParser, GaussianStatcoulomb) {
    ScaledDimension q = parse_unit("statC", gaussian());
    EXPECT_EQ(gaussian().format(q.dimension), "M^1/2 L^3/2 T^-1");
    EXPECT_EQ(q.dimension, parse_unit("g^(1/2)*cm^(3/2)/s", gaussian()).dimension);
    EXPECT_EQ(q.dimension, parse_unit("dyn^(1/2) cm", gaussian()).dimension);
    // format_in_units writes rational powers in parentheses so that the text reads back.
    std::string text = gaussian().format_in_units(q.dimension);
    EXPECT_EQ(parse_unit(text, gaussian()).dimension, q.dimension) << text;
}

TEST(UnitParser, ColumnOffsetSourceAndLineAreReported) {
    try {
        parse_unit("kg*furlong", si(), "data.csv", 7, 10);
        FAIL() << "no error";
    } catch (const ParseError& error) {
        EXPECT_EQ(error.source(), "data.csv");
        EXPECT_EQ(error.line(), 7u);
        EXPECT_EQ(error.column(), 14u);
        EXPECT_EQ(error.message(), "unknown unit 'furlong' in unit system 'si'");
        EXPECT_STREQ(error.what(), "data.csv:7:14: unknown unit 'furlong' in unit system 'si'");
    }
}

TEST(UnitParser, ErrorsNameTheColumnAndWhatWasExpected) {
    expect_error("furlong", 1, "unknown unit 'furlong' in unit system 'si'");
    expect_error("kg*furlong", 4, "unknown unit 'furlong' in unit system 'si'");
    expect_error("µF*furlong", 4, "unknown unit 'furlong' in unit system 'si'");  // columns count characters
    expect_error("kkg", 1, "unknown unit 'kkg' in unit system 'si'");
    expect_error("mmin", 1, "unknown unit 'mmin' in unit system 'si'");  // min takes no prefix
    expect_error("m/)", 3, "expected a unit, found ')'");
    expect_error(")", 1, "expected a unit, found ')'");
    expect_error("", 1, "expected a unit, found end of unit");
    expect_error("   ", 4, "expected a unit, found end of unit");
    expect_error("kg*", 4, "expected a unit, found end of unit");
    expect_error("kg/ *m", 5, "expected a unit, found '*'");
    expect_error("m^x", 3, "expected an exponent after '^', found 'x'");
    expect_error("m^", 3, "expected an exponent after '^', found end of unit");
    expect_error("m^(x)", 4, "expected an integer, found 'x'");
    expect_error("m^(1/)", 6, "expected an integer, found ')'");
    expect_error("m^(1/2", 7, "expected ')', found end of unit");
    expect_error("(m/s", 5, "expected ')', found end of unit");
    expect_error("(m/s]", 5, "expected ')', found ']'");
    expect_error("m)", 2, "expected end of unit, found ')'");
    expect_error("m^2^3", 4, "expected end of unit, found '^'");
    expect_error("m s-2", 4, "expected end of unit, found '-'; write a power with '^', e.g. 's^-2'");
    expect_error("m2", 2, "expected '^' before the exponent, found '2' (unit symbols contain no digits); write 'm^2'");
    expect_error("kg*m2/s", 5,
                 "expected '^' before the exponent, found '2' (unit symbols contain no digits); write 'm^2'");
    expect_error("k_B", 1, "expected a unit symbol (letters only), found 'k_B'");
    expect_error("cm^3/2", 4,
                 "ambiguous exponent '3/2'; write '^(3/2)' for a rational power, or put the power in parentheses to "
                 "divide by 2");
    expect_error("m^1.5", 3,
                 "expected an integer or rational exponent, found '1.5'; write a rational exponent in parentheses, "
                 "e.g. '^(3/2)'");
    expect_error("m^(1.5)", 4,
                 "expected an integer or rational exponent, found '1.5'; write a rational exponent in parentheses, "
                 "e.g. '^(3/2)'");
    expect_error("m^(1/0)", 6, "expected a nonzero denominator in the exponent, found '0'");
    expect_error("0 m", 1, "expected a positive number as a scale factor, found '0'");
    expect_error("-1 m", 1, "expected a unit, found '-'");
    expect_error("1e999 m", 1, "number '1e999' is out of range for a double");
    expect_error("m^99999999999", 3, "exponent '99999999999' is out of range");
    expect_error("m^2147483647*m", 14, "dimension exponent out of range");
    expect_error("1e300*1e300", 1, "the unit's scale is out of the range of a double");
    expect_error("m°", 1, "unknown unit 'm°' in unit system 'si'");
}

TEST(UnitParser, DeepNestingIsRefused) {
    std::string deep(300, '(');
    deep += 'm';
    deep += std::string(300, ')');
    ParseError error = unit_error(deep);
    EXPECT_EQ(error.column(), 201u);
    EXPECT_EQ(error.message(), "unit nested too deeply (more than 200 levels of parentheses)");

    std::string ok(150, '(');
    ok += 'm';
    ok += std::string(150, ')');
    EXPECT_EQ(dim(ok), "L");
}

TEST(UnitParser, UnitSymbolForm) {
    EXPECT_TRUE(is_unit_symbol("m"));
    EXPECT_TRUE(is_unit_symbol("statC"));
    EXPECT_TRUE(is_unit_symbol("µF"));
    EXPECT_TRUE(is_unit_symbol("Ω"));
    EXPECT_TRUE(is_unit_symbol("Å"));
    EXPECT_FALSE(is_unit_symbol(""));
    EXPECT_FALSE(is_unit_symbol("m2"));
    EXPECT_FALSE(is_unit_symbol("k_B"));
    EXPECT_FALSE(is_unit_symbol("m/s"));
    EXPECT_FALSE(is_unit_symbol("N·m"));
    EXPECT_FALSE(is_unit_symbol(" m"));
}

}  // namespace

// ---- the column-units side file ----

namespace {

using kepler::grammar::ColumnUnit;
using kepler::grammar::parse_column_units;
using kepler::grammar::read_column_units;

ParseError column_units_error(std::string_view text) {
    try {
        std::vector<ColumnUnit> units = parse_column_units(text, "units.txt");
        ADD_FAILURE() << "parsed " << units.size() << " entries instead of failing";
    } catch (const ParseError& error) {
        return error;
    }
    return ParseError("", 0, 0, "");
}

void expect_column_units_error(std::string_view text, std::size_t line, std::size_t column, std::string_view message) {
    ParseError error = column_units_error(text);
    EXPECT_EQ(error.source(), "units.txt") << text;
    EXPECT_EQ(error.line(), line) << text;
    EXPECT_EQ(error.column(), column) << text;
    EXPECT_EQ(error.message(), message) << text;
}

TEST(ColumnUnits, ReadsOneColumnPerLine) {
    std::vector<ColumnUnit> units = parse_column_units(
        "\xEF\xBB\xBF# pressure log\r\n"
        "P [Pa]\r\n"
        "\r\n"
        "  v [ m/s ]   # speed\r\n"
        "mass flow [kg/s]\n"
        "θ [µrad]\n"
        "ratio[1]",
        "units.txt");
    ASSERT_EQ(units.size(), 5u);
    EXPECT_EQ(units[0].column, "P");
    EXPECT_EQ(units[0].unit_text, "Pa");
    EXPECT_EQ(units[0].line, 2u);
    EXPECT_EQ(units[0].column_in_line, 4u);
    EXPECT_EQ(units[1].column, "v");
    EXPECT_EQ(units[1].unit_text, "m/s");
    EXPECT_EQ(units[1].line, 4u);
    EXPECT_EQ(units[1].column_in_line, 7u);
    EXPECT_EQ(units[2].column, "mass flow");
    EXPECT_EQ(units[2].unit_text, "kg/s");
    EXPECT_EQ(units[3].column, "θ");
    EXPECT_EQ(units[3].unit_text, "µrad");
    EXPECT_EQ(units[3].column_in_line, 4u);  // columns count characters
    EXPECT_EQ(units[4].column, "ratio");
    EXPECT_EQ(units[4].unit_text, "1");
    EXPECT_EQ(units[4].line, 7u);

    EXPECT_TRUE(parse_column_units("", "units.txt").empty());
    EXPECT_TRUE(parse_column_units("# nothing\n\n", "units.txt").empty());
}

TEST(ColumnUnits, PositionsLeadUnitErrorsIntoTheFile) {
    std::vector<ColumnUnit> units = parse_column_units("P [Pa]\n  v [m/furlong]\n", "units.txt");
    ASSERT_EQ(units.size(), 2u);
    EXPECT_EQ(parse_unit(units[0].unit_text, si(), "units.txt", units[0].line, units[0].column_in_line - 1).dimension,
              unit("Pa").dimension);
    try {
        parse_unit(units[1].unit_text, si(), "units.txt", units[1].line, units[1].column_in_line - 1);
        FAIL() << "no error";
    } catch (const ParseError& error) {
        EXPECT_EQ(error.line(), 2u);
        EXPECT_EQ(error.column(), 8u);  // "  v [m/furlong]": furlong starts in column 8
        EXPECT_EQ(error.message(), "unknown unit 'furlong' in unit system 'si'");
    }
}

TEST(ColumnUnits, Errors) {
    expect_column_units_error("[Pa]\n", 1, 1, "expected a column name, found '['");
    expect_column_units_error("P [Pa]\n  ] x\n", 2, 3, "expected a column name, found ']'");
    expect_column_units_error("P Pa\n", 1, 5, "expected '[' and the column's unit, found end of line");
    expect_column_units_error("P [Pa\n", 1, 6, "expected ']', found end of line");
    expect_column_units_error("P [Pa [x]\n", 1, 7, "expected ']', found '['");
    expect_column_units_error("P []\n", 1, 4, "expected a unit inside the brackets, found ']'");
    expect_column_units_error("P [  ]\n", 1, 6, "expected a unit inside the brackets, found ']'");
    expect_column_units_error("P [Pa] x\n", 1, 8, "expected end of line, found 'x'");
    expect_column_units_error("P [Pa]\nv [m/s]\nP [bar]\n", 3, 1, "column 'P' is already listed on line 1");
}

TEST(ColumnUnits, ReadsAFile) {
    std::filesystem::path path = std::filesystem::path(KEPLER_BINARY_DIR) / "test_column_units.txt";
    std::ofstream(path, std::ios::binary) << "# units\nP [hPa]\nT [K]\n";
    std::vector<ColumnUnit> units = read_column_units(path.string());
    std::filesystem::remove(path);
    ASSERT_EQ(units.size(), 2u);
    EXPECT_EQ(units[0].unit_text, "hPa");
    EXPECT_EQ(units[1].column, "T");

    try {
        read_column_units(path.string());
        FAIL() << "no error";
    } catch (const ParseError& error) {
        EXPECT_EQ(error.source(), path.string());
        EXPECT_EQ(error.line(), 0u);
        EXPECT_EQ(error.column(), 0u);
        EXPECT_EQ(error.message(), "cannot open file");
    }
}

}  // namespace
