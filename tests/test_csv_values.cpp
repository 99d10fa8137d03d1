// The CSV reader's cell values besides plain numbers: missing values (each spelling, stored as
// quiet NaN), ISO 8601 date-times (seconds since the Unix epoch, UTC), which columns are
// timestamps, and the errors for malformed or mixed cells, with their exact positions.

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "kepler/grammar/csv_reader.hpp"

namespace {

using kepler::ColumnRole;
using kepler::Table;
using kepler::grammar::parse_csv;
using kepler::grammar::ParseError;

bool is_quiet_nan(double v) {
    constexpr std::uint64_t kQuietBit = std::uint64_t{1} << 51;
    return std::isnan(v) && (std::bit_cast<std::uint64_t>(v) & kQuietBit) != 0;
}

ParseError csv_error(std::string_view text) {
    try {
        Table t = parse_csv(text, "data.csv");
        ADD_FAILURE() << "parsed into a " << t.rows() << "x" << t.columns() << " table instead of failing";
    } catch (const ParseError& error) {
        return error;
    }
    return ParseError("", 0, 0, "");
}

void expect_error(std::string_view text, std::size_t line, std::size_t column, std::string_view message) {
    ParseError error = csv_error(text);
    EXPECT_EQ(error.line(), line) << error.what();
    EXPECT_EQ(error.column(), column) << error.what();
    EXPECT_EQ(error.message(), message);
}

// The value of a one-column table's only cell.
double one_cell(const std::string& cell) {
    Table t = parse_csv("when\n" + cell + "\n", "x");
    EXPECT_EQ(t.rows(), 1u);
    return t.data(0, 0);
}

// ---------------------------------------------------------------- missing values

TEST(CsvMissingValues, EverySpellingIsAQuietNaN) {
    const std::vector<std::string> spellings = {"",    " ",   "NaN",  "nan",  "NAN",  "NA",   "na",
                                                "N/A", "n/a", "null", "NULL", "Null", "\"\"", "\" NA \""};
    std::string text = "i,v\n";
    for (std::size_t k = 0; k < spellings.size(); ++k) text += std::to_string(k) + "," + spellings[k] + "\n";
    Table t = parse_csv(text, "x");
    ASSERT_EQ(t.rows(), spellings.size());
    for (std::size_t k = 0; k < spellings.size(); ++k) {
        EXPECT_EQ(t.data(static_cast<Eigen::Index>(k), 0), static_cast<double>(k));
        EXPECT_TRUE(is_quiet_nan(t.data(static_cast<Eigen::Index>(k), 1))) << "'" << spellings[k] << "'";
    }
}

TEST(CsvMissingValues, EmptyCellsAnywhereInTheRow) {
    Table t = parse_csv("a,b,c\n,2,3\n4,,6\n7,8,\n10,11,", "x");
    ASSERT_EQ(t.rows(), 4u);
    EXPECT_TRUE(std::isnan(t.data(0, 0)));
    EXPECT_EQ(t.data(0, 1), 2.0);
    EXPECT_TRUE(std::isnan(t.data(1, 1)));
    EXPECT_TRUE(std::isnan(t.data(2, 2)));
    EXPECT_TRUE(std::isnan(t.data(3, 2)));  // the last cell of a file without a final line end
    EXPECT_EQ(t.data(3, 1), 11.0);
    // Infinity is a number, not a missing value.
    Table inf = parse_csv("a\ninf\n-Infinity\n", "x");
    EXPECT_TRUE(std::isinf(inf.data(0, 0)));
    EXPECT_LT(inf.data(1, 0), 0.0);
}

TEST(CsvMissingValues, ARowOfOnlyMissingValuesIsARow) {
    Table t = parse_csv("a,b\n1,2\n,\nNA,NA\n3,4\n", "x");
    ASSERT_EQ(t.rows(), 4u);
    EXPECT_TRUE(std::isnan(t.data(1, 0)) && std::isnan(t.data(1, 1)));
    EXPECT_EQ(t.data(3, 1), 4.0);
}

// ---------------------------------------------------------------- date-times

TEST(CsvDateTimes, IsoValuesAsSecondsSinceTheEpoch) {
    // 2026-11-23T10:15:00Z is 1795428900 s after the epoch (Python's calendar.timegm).
    const double t0 = 1795428900.0;
    EXPECT_EQ(one_cell("1970-01-01T00:00:00Z"), 0.0);
    EXPECT_EQ(one_cell("2000-01-01T00:00:00Z"), 946684800.0);
    EXPECT_EQ(one_cell("1969-12-31T23:59:59Z"), -1.0);
    EXPECT_EQ(one_cell("2026-11-23T10:15:00Z"), t0);
    EXPECT_EQ(one_cell("2026-11-23t10:15:00z"), t0);
    EXPECT_EQ(one_cell("2026-11-23 10:15:00"), t0);  // no offset: UTC
    EXPECT_EQ(one_cell("2026-11-23T10:15Z"), t0);    // no seconds
    EXPECT_EQ(one_cell("2026-11-23"), t0 - 10 * 3600 - 15 * 60);
    // Offsets: local time = UTC + offset.
    EXPECT_EQ(one_cell("2026-11-23T11:15:00+01:00"), t0);
    EXPECT_EQ(one_cell("2026-11-23T11:15:00+0100"), t0);
    EXPECT_EQ(one_cell("2026-11-23T11:15:00+01"), t0);
    EXPECT_EQ(one_cell("2026-11-23T04:45:00-05:30"), t0);
    EXPECT_EQ(one_cell("2026-11-24T00:15:00+14:00"), t0);
    // Fractional seconds.
    EXPECT_EQ(one_cell("2026-11-23 10:15:00.250"), t0 + 0.25);
    EXPECT_EQ(one_cell("2026-11-23T10:15:00.5+00:00"), t0 + 0.5);
    EXPECT_NEAR(one_cell("2026-11-23T10:15:00.123456Z") - t0, 0.123456, 1e-6);
    // Quoted, and with blanks around.
    EXPECT_EQ(one_cell("  \"2026-11-23T10:15:00Z\"  "), t0);
    // Leap days.
    EXPECT_EQ(one_cell("2024-03-01") - one_cell("2024-02-28"), 2 * 86400.0);
    EXPECT_EQ(one_cell("2000-03-01") - one_cell("2000-02-29"), 86400.0);
}

TEST(CsvDateTimes, DateTimeColumnIsATimestampWithMissingCells) {
    Table t = parse_csv(
        "time;T [K]\n"
        ";1.5\n"
        "2026-11-23 10:15:00;2\n"
        "NA;3\n"
        "2026-11-23 10:15:01.5;\n",
        "x");
    ASSERT_EQ(t.rows(), 4u);
    EXPECT_TRUE(t.is_timestamp(0));
    EXPECT_FALSE(t.is_timestamp(1));
    EXPECT_TRUE(std::isnan(t.data(0, 0)));
    EXPECT_TRUE(std::isnan(t.data(2, 0)));
    EXPECT_EQ(t.data(3, 0) - t.data(1, 0), 1.5);
    EXPECT_TRUE(std::isnan(t.data(3, 1)));
}

TEST(CsvDateTimes, NumericColumnsNamedLikeTimestamps) {
    Table t = parse_csv(
        "Time,t_unix [s],EPOCH,timestamp,unix_time,t [s],time_of_flight [s],x\n"
        "1,2,3,4,5,6,7,8\n",
        "x");
    const std::vector<bool> expected = {true, true, true, true, true, false, false, false};
    ASSERT_EQ(t.roles.size(), expected.size());
    for (std::size_t j = 0; j < expected.size(); ++j) EXPECT_EQ(t.is_timestamp(j), expected[j]) << t.names[j];
    EXPECT_EQ(t.roles[5], ColumnRole::Measurement);
    EXPECT_EQ(t.data(0, 1), 2.0);  // a numeric timestamp keeps its numbers
}

TEST(CsvDateTimes, TableBuiltByHandHasNoTimestamps) {
    Table t;
    t.names = {"time", "x"};
    EXPECT_FALSE(t.is_timestamp(0));
    EXPECT_FALSE(t.is_timestamp(5));
}

TEST(CsvDateTimeErrors, MalformedDateTimes) {
    const std::string form =
        "expected an ISO 8601 date-time (2026-11-23T10:15:00Z, 2026-11-23 10:15:00.250+01:00), found ";
    expect_error("t,x\n2026-11-23T10:15:00Z,1\n2026-13-01T00:00:00Z,2\n", 3, 1, form + "'2026-13-01T00:00:00Z'");
    expect_error("t,x\n2026-02-29,1\n", 2, 1, form + "'2026-02-29'");  // not a leap year
    expect_error("t,x\n2026-11-23T24:00:00Z,1\n", 2, 1, form + "'2026-11-23T24:00:00Z'");
    expect_error("t,x\n2026-11-23T10:60:00Z,1\n", 2, 1, form + "'2026-11-23T10:60:00Z'");
    expect_error("t,x\n2026-11-23T10:15:00+25:00,1\n", 2, 1, form + "'2026-11-23T10:15:00+25:00'");
    expect_error("x,t\n1, 2026-11-23X10:15:00\n", 2, 4, form + "'2026-11-23X10:15:00'");
    expect_error("x,t\n1,2026-11-23T10:15:00.\n", 2, 3, form + "'2026-11-23T10:15:00.'");
    expect_error("x,t\n1,2026-1-23\n", 2, 3, form + "'2026-1-23'");
}

TEST(CsvDateTimeErrors, NumberInADateTimeColumnAndTheReverse) {
    expect_error("t,x\nNA,0\n2026-11-23T10:15:00Z,1\n1795428901,2\n", 4, 1,
                 "expected an ISO 8601 date-time (2026-11-23T10:15:00Z, 2026-11-23 10:15:00.250+01:00): column "
                 "'t' starts with date-times, found '1795428901'");
    expect_error("x,y\n1,2\n3,2026-11-23\n", 3, 3,
                 "expected a number or a missing value (empty, NaN, NA): column 'y' starts with numbers, found the "
                 "date-time '2026-11-23'");
    // The first of the two problems in the file is the one reported.
    expect_error("x,y\n1,2\n3,2026-11-23\n4,abc\n", 3, 3,
                 "expected a number or a missing value (empty, NaN, NA): column 'y' starts with numbers, found the "
                 "date-time '2026-11-23'");
    expect_error("x,y\n1,2\nabc,2026-11-23\n", 3, 1,
                 "expected a number or a missing value (empty, NaN, NA), found 'abc'");
}

}  // namespace
