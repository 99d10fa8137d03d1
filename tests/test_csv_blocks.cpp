// The CSV loader's two passes: rows cut into blocks parsed in parallel give the same table, and
// the same first error, as one block; max_rows; reading a file piece by piece (a header longer
// than the first piece, a pipe).

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "kepler/grammar/csv_reader.hpp"

namespace {

using kepler::Table;
using kepler::grammar::CsvOptions;
using kepler::grammar::parse_csv;
using kepler::grammar::ParseError;
using kepler::grammar::read_csv;

CsvOptions blocks_of(std::size_t bytes, std::size_t max_rows = 0) {
    CsvOptions options;
    options.block_bytes = bytes;
    options.max_rows = max_rows;
    return options;
}

const CsvOptions kOneBlock = blocks_of(std::size_t{1} << 40);

// Bit for bit, NaN included, and the same names, units and roles.
void expect_same_table(const Table& a, const Table& b) {
    EXPECT_EQ(a.names, b.names);
    EXPECT_EQ(a.units, b.units);
    EXPECT_EQ(a.unit_columns, b.unit_columns);
    EXPECT_EQ(a.roles, b.roles);
    ASSERT_EQ(a.data.rows(), b.data.rows());
    ASSERT_EQ(a.data.cols(), b.data.cols());
    std::size_t differences = 0;
    for (Eigen::Index i = 0; i < a.data.size(); ++i)
        differences += std::bit_cast<std::uint64_t>(a.data.data()[i]) != std::bit_cast<std::uint64_t>(b.data.data()[i]);
    EXPECT_EQ(differences, 0u);
}

// A table with every feature the row scanner must respect: quoted cells with separators, ""
// escapes and line breaks inside, missing values, a date-time column, blanks, and the given
// line end after every row.
std::string mixed_table(std::size_t rows, const std::string& line_end, unsigned seed = 11) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pick(0, 9);
    std::string text = "when,\"a, first [m]\",b [s],c" + line_end;
    char buffer[64];
    for (std::size_t r = 0; r < rows; ++r) {
        std::snprintf(buffer, sizeof buffer, "2026-11-%02zuT%02zu:%02zu:%02zu.%03zuZ", 1 + r % 28, r % 24, r % 60,
                      (r * 7) % 60, r % 1000);
        text += (pick(rng) == 0) ? std::string("NA") : std::string(buffer);
        text += ',';
        switch (pick(rng)) {
            case 0:
                text += "\"1" + line_end + "\"";
                break;  // a line break inside quotes: not a row end
            case 1:
                text += "\" 2.5 \"";
                break;
            case 2:
                text += "";
                break;
            default:
                text += std::to_string(r) + ".125";
                break;
        }
        text += ',';
        std::snprintf(buffer, sizeof buffer, "%.17g", 1.0 / static_cast<double>(r + 3));
        text += buffer;
        text += ',';
        text += (pick(rng) == 0) ? std::string("\"N/A\"") : std::string("-") + std::to_string(r % 97);
        text += line_end;
    }
    return text;
}

std::filesystem::path scratch_file(const std::string& name, const std::string& text) {
    std::filesystem::path dir = std::filesystem::path(KEPLER_BINARY_DIR) / "test_scratch" / "csv_blocks";
    std::filesystem::create_directories(dir);
    std::filesystem::path path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

ParseError error_of(const std::string& text, const CsvOptions& options) {
    try {
        parse_csv(text, "data.csv", options);
        ADD_FAILURE() << "parsed instead of failing";
    } catch (const ParseError& error) {
        return error;
    }
    return ParseError("", 0, 0, "");
}

TEST(CsvBlocks, ParallelBlocksGiveTheSingleBlockTable) {
    for (const std::string line_end : {"\n", "\r\n", "\r"}) {
        SCOPED_TRACE(line_end == "\n" ? "LF" : line_end == "\r\n" ? "CRLF" : "CR");
        const std::string text = mixed_table(3000, line_end);
        const Table whole = parse_csv(text, "x", kOneBlock);
        ASSERT_EQ(whole.rows(), 3000u);
        EXPECT_TRUE(whole.is_timestamp(0));
        EXPECT_EQ(whole.names[1], "a, first");
        for (std::size_t bytes : {1, 64, 1000, 4096}) expect_same_table(parse_csv(text, "x", blocks_of(bytes)), whole);
    }
}

// Without quotes the first pass jumps from LF to LF; lone CRs and CRLFs must still end rows.
TEST(CsvBlocks, MixedLineEndsWithoutQuotes) {
    std::mt19937 rng(2);
    const char* ends[] = {"\n", "\r\n", "\r"};
    std::string text = "a,b\r\n";
    for (int r = 0; r < 3000; ++r) text += std::to_string(r) + "," + ends[rng() % 3];
    for (std::size_t bytes : {std::size_t{1} << 40, std::size_t{1}, std::size_t{100}}) {
        const Table t = parse_csv(text, "x", blocks_of(bytes));
        ASSERT_EQ(t.rows(), 3000u);
        for (Eigen::Index r = 0; r < 3000; ++r) ASSERT_EQ(t.data(r, 0), static_cast<double>(r)) << bytes;
    }
    // Line numbers count each line end once: the bad cell of the last row is on line 3001.
    const ParseError error = error_of(text + "bad,1\n", blocks_of(100));
    EXPECT_EQ(error.line(), 3002u);
}

// The first pass reads 8 MiB pieces: a CRLF or a lone CR whose CR is a piece's last byte must
// end one row, once, whatever the next piece starts with.
TEST(CsvBlocks, LineEndAcrossTheFirstPassPieces) {
    for (const std::string line_end : {"\r\n", "\r"}) {
        std::string text = "a\n";
        const std::size_t cr_at = text.size() + (std::size_t{8} << 20) - 1;
        int rows = 0;
        while (text.size() < cr_at - 100) text += std::to_string(rows++) + line_end;
        std::string row = std::to_string(rows++);
        row.append(cr_at - text.size() - row.size(), ' ');
        text += row + line_end;
        ASSERT_EQ(text[cr_at], '\r');
        while (text.size() < cr_at + 100000) text += std::to_string(rows++) + line_end;
        text += "bad";
        const ParseError error = error_of(text, kOneBlock);
        EXPECT_EQ(error.line(), static_cast<std::size_t>(rows) + 2) << "rows: " << rows;
        text.resize(text.size() - 3);
        for (std::size_t bytes : {std::size_t{1} << 40, std::size_t{1} << 20}) {
            const Table t = parse_csv(text, "x", blocks_of(bytes));
            ASSERT_EQ(t.rows(), static_cast<std::size_t>(rows));
            for (Eigen::Index r = 0; r < rows; ++r) ASSERT_EQ(t.data(r, 0), static_cast<double>(r));
        }
    }
}

TEST(CsvBlocks, FileReadInPiecesGivesTheInMemoryTable) {
    const std::string text = "\xEF\xBB\xBF" + mixed_table(2000, "\r\n", 5) + "\r\n\r\n  \n";
    const std::filesystem::path path = scratch_file("mixed.csv", text);
    const Table in_memory = parse_csv(text, "x", kOneBlock);
    expect_same_table(read_csv(path.string(), blocks_of(100)), in_memory);
    expect_same_table(read_csv(path.string()), in_memory);
}

TEST(CsvBlocks, HeaderLongerThanTheFirstPieceOfAFile) {
    // About 90 kB of header: more than the 64 KiB first piece read for it.
    std::string header, row;
    for (int j = 0; j < 9000; ++j) {
        if (j > 0) {
            header += ',';
            row += ',';
        }
        header += "col";
        header += std::to_string(j);
        header += " [m]";
        row += std::to_string(j);
    }
    const std::string text = header + "\n" + row + "\n" + row + "\n";
    const Table t = read_csv(scratch_file("wide_header.csv", text).string());
    ASSERT_EQ(t.columns(), 9000u);
    ASSERT_EQ(t.rows(), 2u);
    EXPECT_EQ(t.names[8999], "col8999");
    EXPECT_EQ(t.data(1, 8999), 8999.0);
}

TEST(CsvBlocks, PipeIsReadWhole) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const std::string text = "a,b\n1,2\n3,NA\n";
    ASSERT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fds[1]);
    const Table t = read_csv("/dev/fd/" + std::to_string(fds[0]));
    ::close(fds[0]);
    ASSERT_EQ(t.rows(), 2u);
    EXPECT_EQ(t.data(1, 0), 3.0);
    EXPECT_TRUE(std::isnan(t.data(1, 1)));
}

TEST(CsvBlocks, ErrorPositionsInLaterBlocks) {
    // Row k (0-based) is on line k + 2, except after the quoted line break in row 10.
    std::string text = "a,b\n";
    for (int r = 0; r < 2000; ++r) {
        if (r == 10)
            text += "\"1\n\",2\n";
        else if (r == 1500)
            text += "3,4x\n";
        else if (r == 1800)
            text += "5\n";
        else
            text += std::to_string(r) + "," + std::to_string(r) + "\n";
    }
    for (std::size_t bytes : {std::size_t{1} << 40, std::size_t{1}, std::size_t{50}, std::size_t{4096}}) {
        const ParseError error = error_of(text, blocks_of(bytes));
        EXPECT_EQ(error.line(), 1503u) << bytes;
        EXPECT_EQ(error.column(), 3u) << bytes;
        EXPECT_EQ(error.message(), "expected a number or a missing value (empty, NaN, NA), found '4x'");
    }
    // Without the first error, the second one, in a still later block.
    text.replace(text.find("3,4x\n"), 5, "3,4\n");
    for (std::size_t bytes : {std::size_t{1} << 40, std::size_t{64}}) {
        const ParseError error = error_of(text, blocks_of(bytes));
        EXPECT_EQ(error.line(), 1803u);
        EXPECT_EQ(error.column(), 2u);
        EXPECT_EQ(error.message(), "expected 2 fields, found 1");
    }
}

TEST(CsvBlocks, KindMismatchInAnEarlierBlockBeatsAParseErrorInALaterOne) {
    // Column a's first value (row 1; row 0's is missing) is a number; a date-time in row 300 is the first problem,
    // an unparsable cell in row 1200 the second, and the date-time in row 1900 would be a third.
    std::string text = "a,b\n";
    for (int r = 0; r < 2000; ++r) {
        if (r == 0)
            text += "NA,1\n";
        else if (r == 300 || r == 1900)
            text += "2026-11-23,1\n";
        else if (r == 1200)
            text += "1,zz\n";
        else
            text += "7,1\n";
    }
    for (std::size_t bytes : {std::size_t{1} << 40, std::size_t{1}, std::size_t{200}}) {
        const ParseError error = error_of(text, blocks_of(bytes));
        EXPECT_EQ(error.line(), 302u) << bytes;
        EXPECT_EQ(error.column(), 1u) << bytes;
        EXPECT_NE(error.message().find("column 'a' starts with numbers"), std::string::npos) << error.message();
    }
}

TEST(CsvBlocks, MaxRowsReadsOnlyTheFirstRows) {
    const std::string good = mixed_table(500, "\n");
    const std::string text = good + "this row is not valid\n";
    const Table all = parse_csv(good, "x", kOneBlock);
    for (std::size_t bytes : {std::size_t{1} << 40, std::size_t{64}}) {
        const Table first = parse_csv(text, "x", blocks_of(bytes, 120));
        Table expected = all;
        expected.data = all.data.topRows(120);
        expect_same_table(first, expected);
    }
    // More rows asked for than there are: all of them, so the bad last row is reached.
    EXPECT_EQ(parse_csv(good, "x", blocks_of(64, 10000)).rows(), 500u);
    const std::size_t bad_line = static_cast<std::size_t>(std::count(good.begin(), good.end(), '\n')) + 1;
    EXPECT_EQ(error_of(text, blocks_of(64, 10000)).line(), bad_line);
    EXPECT_EQ(parse_csv(text, "x", blocks_of(64, 500)).rows(), 500u);  // the bad row is not read
}

}  // namespace
