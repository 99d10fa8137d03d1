// The CSV reader: names, units, exact values, the accepted format variants, and one test per
// kind of bad input with its exact line, column and message. Missing values, date-times and the
// parallel block loading are in test_csv_values.cpp and test_csv_blocks.cpp.

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kepler/grammar/csv_reader.hpp"

namespace {

using kepler::Table;
using kepler::grammar::parse_csv;
using kepler::grammar::ParseError;
using kepler::grammar::read_csv;

std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }

// Parses `text`, expecting a ParseError, and returns it.
ParseError csv_error(std::string_view text, std::string_view source = "data.csv") {
    try {
        Table t = parse_csv(text, source);
        ADD_FAILURE() << "parsed into a " << t.rows() << "x" << t.columns() << " table instead of failing";
    } catch (const ParseError& error) {
        return error;
    }
    return ParseError("", 0, 0, "");
}

void expect_error(std::string_view text, std::size_t line, std::size_t column, std::string_view message) {
    ParseError error = csv_error(text);
    EXPECT_EQ(error.source(), "data.csv");
    EXPECT_EQ(error.line(), line) << error.what();
    EXPECT_EQ(error.column(), column) << error.what();
    EXPECT_EQ(error.message(), message);
}

std::filesystem::path scratch_dir() {
    std::filesystem::path dir = std::filesystem::path(KEPLER_BINARY_DIR) / "test_scratch" / "csv";
    std::filesystem::create_directories(dir);
    return dir;
}

// ---------------------------------------------------------------- accepted input

TEST(CsvReader, NamesUnitsAndColumnMajorValues) {
    Table t = parse_csv(
        "t [s],x [m],v [m/s],ratio [1],label\n"
        "0,1.5,-2,0.25,7\n"
        "1,2.5e3,3E-2,.5,8\n",
        "inline");
    EXPECT_EQ(t.names, (std::vector<std::string>{"t", "x", "v", "ratio", "label"}));
    EXPECT_EQ(t.units, (std::vector<std::string>{"s", "m", "m/s", "1", ""}));
    ASSERT_EQ(t.rows(), 2u);
    ASSERT_EQ(t.columns(), 5u);
    ASSERT_EQ(t.data.rows(), 2);
    ASSERT_EQ(t.data.cols(), 5);
    Eigen::MatrixXd expected(2, 5);
    expected << 0, 1.5, -2, 0.25, 7,  //
        1, 2500, 0.03, 0.5, 8;
    EXPECT_EQ(t.data, expected);
    // Column-major storage: a column is contiguous.
    EXPECT_EQ(t.data.data()[0], 0.0);
    EXPECT_EQ(t.data.data()[1], 1.0);
    EXPECT_EQ(t.data.data()[2], 1.5);
    EXPECT_EQ(t.column_index("v"), 2u);
}

TEST(CsvReader, SemicolonSeparatorIsDetectedFromTheHeader) {
    Table t = parse_csv("a [kg];b\n1;2\n3;4\n", "x");
    EXPECT_EQ(t.names, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(t.units, (std::vector<std::string>{"kg", ""}));
    Eigen::MatrixXd expected(2, 2);
    expected << 1, 2, 3, 4;
    EXPECT_EQ(t.data, expected);
}

TEST(CsvReader, FirstSeparatorOutsideQuotesWins) {
    // The comma inside the quotes does not count: this file is separated by semicolons.
    Table t = parse_csv("\"p, q\";r\n1;2\n", "x");
    EXPECT_EQ(t.names, (std::vector<std::string>{"p, q", "r"}));
}

TEST(CsvReader, SingleColumn) {
    Table t = parse_csv("y [J]\n1\n2\n3\n", "x");
    EXPECT_EQ(t.names, (std::vector<std::string>{"y"}));
    EXPECT_EQ(t.units, (std::vector<std::string>{"J"}));
    ASSERT_EQ(t.rows(), 3u);
    EXPECT_EQ(t.data(2, 0), 3.0);
}

TEST(CsvReader, QuotedFieldsInHeaderAndCells) {
    Table t = parse_csv(
        "\"v, speed [m/s]\",\"say \"\"hi\"\"\" , plain\n"
        "\"1.5\",\" 2 \",3\n"
        "  \"-4e2\"  ,5,\"6\"\n",
        "x");
    EXPECT_EQ(t.names, (std::vector<std::string>{"v, speed", "say \"hi\"", "plain"}));
    EXPECT_EQ(t.units, (std::vector<std::string>{"m/s", "", ""}));
    Eigen::MatrixXd expected(2, 3);
    expected << 1.5, 2, 3, -400, 5, 6;
    EXPECT_EQ(t.data, expected);
}

TEST(CsvReader, CrLfBomTrailingEmptyLinesAndSpaces) {
    Table t = parse_csv(
        "\xEF\xBB\xBF  m [kg] ,\ta\t[m/s^2]  \r\n"
        " 1 , 2 \r\n"
        "\t3\t,\t4\t\r\n"
        "\r\n"
        "   \r\n"
        "\n",
        "x");
    EXPECT_EQ(t.names, (std::vector<std::string>{"m", "a"}));
    EXPECT_EQ(t.units, (std::vector<std::string>{"kg", "m/s^2"}));
    Eigen::MatrixXd expected(2, 2);
    expected << 1, 2, 3, 4;
    EXPECT_EQ(t.data, expected);
}

TEST(CsvReader, NoFinalLineEnd) {
    Table t = parse_csv("a,b\n1,2\n3,4", "x");
    ASSERT_EQ(t.rows(), 2u);
    EXPECT_EQ(t.data(1, 1), 4.0);
}

TEST(CsvReader, LoneCarriageReturnLineEnds) {
    Table t = parse_csv("a,b\r1,2\r3,4\r5,6\r7,8\r", "x");
    Eigen::MatrixXd expected(4, 2);
    expected << 1, 2, 3, 4, 5, 6, 7, 8;
    EXPECT_EQ(t.data, expected);
}

TEST(CsvReader, QuotedLineBreaksInsideCells) {
    Table t = parse_csv("a,b\n\"\n1\n\",2\n3,\"4\r\n\"\n", "x");
    Eigen::MatrixXd expected(2, 2);
    expected << 1, 2, 3, 4;
    EXPECT_EQ(t.data, expected);
}

TEST(CsvReader, UnitTextIsTrimmedAndKeptVerbatim) {
    Table t = parse_csv("E [ kg*m^2/s^2 ],q[statC],n []\n1,2,3\n", "x");
    EXPECT_EQ(t.names, (std::vector<std::string>{"E", "q", "n"}));
    EXPECT_EQ(t.units, (std::vector<std::string>{"kg*m^2/s^2", "statC", ""}));
}

TEST(CsvReader, NumberForms) {
    Table t = parse_csv("a\n+1.5\n-0\n1e308\n5e-324\nnan\ninf\n-inf\n007\n", "x");
    ASSERT_EQ(t.rows(), 8u);
    EXPECT_EQ(t.data(0, 0), 1.5);
    EXPECT_EQ(bits(t.data(1, 0)), bits(-0.0));
    EXPECT_EQ(t.data(2, 0), 1e308);
    EXPECT_EQ(t.data(3, 0), std::numeric_limits<double>::denorm_min());
    EXPECT_TRUE(std::isnan(t.data(4, 0)));
    EXPECT_EQ(t.data(5, 0), std::numeric_limits<double>::infinity());
    EXPECT_EQ(t.data(6, 0), -std::numeric_limits<double>::infinity());
    EXPECT_EQ(t.data(7, 0), 7.0);
}

TEST(CsvReader, NumbersAreCorrectlyRounded) {
    Table t = parse_csv("a,b,c\n0.1,9007199254740993.000001,0.12345678901234567\n", "x");
    EXPECT_EQ(bits(t.data(0, 0)), bits(0x1.999999999999ap-4));
    EXPECT_EQ(bits(t.data(0, 1)), bits(0x1.0000000000001p53));
    EXPECT_EQ(bits(t.data(0, 2)), bits(0.12345678901234567));
}

TEST(CsvReader, QuotedLineBreakInHeaderKeepsLineNumbersRight) {
    ParseError error = csv_error("\"long\nname\",b\n1,2\n3,x\n");
    EXPECT_EQ(error.line(), 4u);
    EXPECT_EQ(error.column(), 3u);
    EXPECT_EQ(error.message(), "expected a number or a missing value (empty, NaN, NA), found 'x'");
}

TEST(CsvReader, ReadsAFileBitForBit) {
    std::filesystem::path path = scratch_dir() / "random.csv";
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(-1e6, 1e6);
    const int rows = 20000, columns = 5;
    Eigen::MatrixXd expected(rows, columns);
    {
        std::ofstream out(path, std::ios::binary);
        out << "a [m],b [s],c,d [kg],e\n";
        char buffer[64];
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < columns; ++c) {
                double v = u(rng) * std::pow(10.0, c * 40 - 80);
                expected(r, c) = v;
                std::snprintf(buffer, sizeof buffer, "%.17g", v);
                out << (c ? "," : "") << buffer;
            }
            out << "\n";
        }
    }
    Table t = read_csv(path.string());
    EXPECT_EQ(t.units, (std::vector<std::string>{"m", "s", "", "kg", ""}));
    ASSERT_EQ(t.rows(), static_cast<std::size_t>(rows));
    ASSERT_EQ(t.columns(), static_cast<std::size_t>(columns));
    std::size_t mismatches = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c) mismatches += bits(t.data(r, c)) != bits(expected(r, c));
    EXPECT_EQ(mismatches, 0u);
}

// ---------------------------------------------------------------- errors

TEST(CsvReaderErrors, MissingFile) {
    std::string path = (scratch_dir() / "does_not_exist.csv").string();
    try {
        read_csv(path);
        FAIL() << "expected a ParseError";
    } catch (const ParseError& error) {
        EXPECT_EQ(error.source(), path);
        EXPECT_EQ(error.line(), 0u);
        EXPECT_EQ(error.column(), 0u);
        EXPECT_EQ(error.message(), "cannot open file");
        EXPECT_EQ(std::string(error.what()), path + ":0:0: cannot open file");
    }
}

TEST(CsvReaderErrors, DirectoryIsNotAFile) {
    std::string path = scratch_dir().string();
    try {
        read_csv(path);
        FAIL() << "expected a ParseError";
    } catch (const ParseError& error) {
        EXPECT_EQ(error.source(), path);
        EXPECT_EQ(error.message(), "cannot open file");
    }
}

TEST(CsvReaderErrors, ErrorsFromAFileNameThePath) {
    std::filesystem::path path = scratch_dir() / "bad.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << "a,b\n1,2\n3,four\n";
    }
    try {
        read_csv(path.string());
        FAIL() << "expected a ParseError";
    } catch (const ParseError& error) {
        EXPECT_EQ(std::string(error.what()),
                  path.string() + ":3:3: expected a number or a missing value (empty, NaN, NA), found 'four'");
    }
}

TEST(CsvReaderErrors, EmptyFile) {
    expect_error("", 1, 1, "expected a header row, found an empty file");
    expect_error("\n \r\n\t\n", 1, 1, "expected a header row, found an empty file");
    expect_error("\xEF\xBB\xBF", 1, 1, "expected a header row, found an empty file");
}

TEST(CsvReaderErrors, EmptyColumnName) {
    expect_error("a,,b\n1,2,3\n", 1, 3, "expected a column name in header field 2, found an empty field");
    expect_error("a,b,\n1,2,3\n", 1, 5, "expected a column name in header field 3, found an empty field");
    expect_error("a, [m]\n1,2\n", 1, 4, "expected a column name before the unit in header field 2");
    expect_error("a,\"  \"\n1,2\n", 1, 3, "expected a column name in header field 2, found an empty field");
}

TEST(CsvReaderErrors, DuplicateColumnName) {
    expect_error("x [m],y,x [s]\n1,2,3\n", 1, 9,
                 "expected a unique column name, found 'x' again (it also names column 1)");
    // Columns count characters, not bytes: each θ is two bytes.
    expect_error("\xCE\xB8 [rad],\xCE\xB8\n1,2\n", 1, 9,
                 "expected a unique column name, found '\xCE\xB8' again (it also names column 1)");
}

TEST(CsvReaderErrors, RowWithTooFewFields) {
    expect_error("a,b,c,d\n1,2,3,4\n1,2,3\n", 3, 6, "expected 4 fields, found 3");
    expect_error("a,b,c,d\n1,2,3,4\n1,2,3", 3, 6, "expected 4 fields, found 3");
    expect_error("a,b\n1\n", 2, 2, "expected 2 fields, found 1");
}

TEST(CsvReaderErrors, RowWithTooManyFields) {
    expect_error("a,b\n1,2\n1,2,3,4\n", 3, 5, "expected 2 fields, found 4");
    expect_error("a\n1,2\n", 2, 3, "expected 1 field, found 2");
    expect_error("a;b\n1;2; \"x;y\" \n", 2, 6, "expected 2 fields, found 3");
}

TEST(CsvReaderErrors, NonNumericCell) {
    expect_error("a,b\n1,abc\n", 2, 3, "expected a number or a missing value (empty, NaN, NA), found 'abc'");
    expect_error("a,b\n1, 1.5x ,2\n", 2, 4, "expected a number or a missing value (empty, NaN, NA), found '1.5x'");
    expect_error("a,b\n1,1.5 2\n", 2, 3, "expected a number or a missing value (empty, NaN, NA), found '1.5 2'");
    expect_error("a,b\r\n1,2\r\n3,\"4a\"\r\n", 3, 3,
                 "expected a number or a missing value (empty, NaN, NA), found '4a'");
    // A decimal comma in a semicolon file is not a number.
    expect_error("a;b\n1,5;2\n", 2, 1, "expected a number or a missing value (empty, NaN, NA), found '1,5'");
    // Close to a missing-value spelling is not one.
    expect_error("a,b\n1,N/A2\n", 2, 3, "expected a number or a missing value (empty, NaN, NA), found 'N/A2'");
    expect_error("a,b\n1,nil\n", 2, 3, "expected a number or a missing value (empty, NaN, NA), found 'nil'");
}

TEST(CsvReaderErrors, EmptyLineBetweenRows) {
    expect_error("a,b\n1,2\n\n3,4\n", 3, 1, "expected 2 fields, found an empty line");
    expect_error("a,b\r\n1,2\r\n  \r\n3,4\r\n", 3, 1, "expected 2 fields, found an empty line");
}

TEST(CsvReaderErrors, HeaderWithoutDataRows) {
    expect_error("a,b\n", 2, 1, "expected at least one data row, found end of file");
    expect_error("a,b", 2, 1, "expected at least one data row, found end of file");
    expect_error("a,b\r\n\r\n\r\n", 2, 1, "expected at least one data row, found end of file");
}

TEST(CsvReaderErrors, UnterminatedQuote) {
    expect_error("a,b\n1,\"2\n3,4\n", 2, 3,
                 "expected a closing '\"' for the quoted field that starts here, found end of file");
    expect_error("a,\"b [m]\n1,2\n", 1, 3,
                 "expected a closing '\"' for the quoted field that starts here, found end of file");
}

TEST(CsvReaderErrors, TextAfterClosingQuote) {
    expect_error("\"a\" [m],b\n1,2\n", 1, 5, "expected ',' or the end of the line after a quoted field, found '[m]'");
}

TEST(CsvReaderErrors, UnclosedUnitBracket) {
    expect_error("a [m,b\n1,2\n", 1, 3,
                 "expected ']' to close the unit that starts here, found end of the column header");
    expect_error("x,\"a [m\"\n1,2\n", 1, 6,
                 "expected ']' to close the unit that starts here, found end of the column header");
}

TEST(CsvReaderErrors, TextAfterUnit) {
    expect_error("a [m] x,b\n1,2\n", 1, 7, "expected the end of the column header after the unit, found 'x'");
}

TEST(CsvReaderErrors, NumberOutOfRange) {
    expect_error("a\n1\n1e999\n", 3, 1, "expected a number within the range of a double, found '1e999'");
}

TEST(CsvReaderErrors, LongCellTextIsShortened) {
    std::string junk(100, 'z');
    ParseError error = csv_error("a\n" + junk + "\n");
    EXPECT_EQ(error.message(),
              "expected a number or a missing value (empty, NaN, NA), found '" + std::string(40, 'z') + "...'");
}

}  // namespace
