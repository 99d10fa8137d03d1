// Hardening of CSV loading (issue 15, items 3 and 8): headers must be UTF-8, a device or an
// endless pipe is refused rather than read without bound, and wide headers load in linear time
// with their unit positions right.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "kepler/grammar/csv_reader.hpp"
#include "kepler/grammar/parse_error.hpp"

using kepler::grammar::CsvOptions;
using kepler::grammar::parse_csv;
using kepler::grammar::ParseError;
using kepler::grammar::read_csv;
using kepler::testing::ScratchDir;

namespace {

std::string csv_error(const std::string& text) {
    try {
        parse_csv(text, "t.csv");
    } catch (const ParseError& e) {
        return e.what();
    }
    return "(parsed)";
}

}  // namespace

TEST(HardeningCsv, HeaderMustBeUtf8) {
    EXPECT_EQ(csv_error("F,m\xff,a\n1,2,3\n"),
              "t.csv:1:4: expected a column header in UTF-8, found the byte 0xFF that is not UTF-8 in header field 2");
    // Overlong '/', a UTF-16 surrogate, a cut-off euro sign, a lone continuation byte.
    EXPECT_NE(csv_error("a,\xC0\xAF\n1,2\n").find("t.csv:1:3: expected a column header in UTF-8, found the byte 0xC0"),
              std::string::npos);
    EXPECT_NE(csv_error("a,x\xED\xA0\x80\n1,2\n")
                  .find("t.csv:1:4: expected a column header in UTF-8, found the byte "
                        "0xED"),
              std::string::npos);
    EXPECT_NE(csv_error("a,b\xE2\x82\n1,2\n").find("0xE2"), std::string::npos);
    EXPECT_NE(csv_error("\x80,b\n1,2\n").find("t.csv:1:1:"), std::string::npos);
    EXPECT_NE(csv_error("a,\"q\xfe\"\n1,2\n").find("t.csv:1:3: expected a column header in UTF-8, found the byte 0xFE"),
              std::string::npos);
    // Well-formed multibyte names are fine, units too.
    const auto table = parse_csv("µ [µm],Δt [s],€,\xF0\x9F\x98\x80\n1,2,3,4\n", "t.csv");
    EXPECT_EQ(table.names, (std::vector<std::string>{"µ", "Δt", "€", "\xF0\x9F\x98\x80"}));
}

TEST(HardeningCsv, UnitPositionsOnAWideHeader) {
    std::string header, row;
    const int columns = 3000;
    for (int c = 0; c < columns; ++c) {
        if (c) header += ',';
        header += 'c';
        header += std::to_string(c);
        header += " [m]";
        row += c ? ",1" : "1";
    }
    const auto table = parse_csv(header + "\n" + row + "\n", "t.csv");
    ASSERT_EQ(table.columns(), static_cast<std::size_t>(columns));
    // Each unit's column, counted on along the line: the field starts after the ones before it.
    std::size_t start = 1;
    for (int c = 0; c < columns; ++c) {
        std::string name = "c";
        name += std::to_string(c);
        EXPECT_EQ(table.unit_columns[c], start + name.size() + 2) << name;
        start += name.size() + 5;  // "cN [m],"
    }
}

TEST(HardeningCsv, AtMost65535Columns) {
    std::string header, row;
    for (int c = 0; c < 65536; ++c) {
        header += c ? ",x" : "x";
        header += std::to_string(c);
        row += c ? ",1" : "1";
    }
    const std::string error = csv_error(header + "\n" + row + "\n");
    EXPECT_NE(error.find("expected at most 65535 columns, found more"), std::string::npos) << error.substr(0, 200);
    EXPECT_EQ(error.rfind("t.csv:1:", 0), 0u) << error.substr(0, 200);
    header.resize(header.rfind(','));
    row.resize(row.rfind(','));
    EXPECT_EQ(parse_csv(header + "\n" + row + "\n", "t.csv").columns(), 65535u);
}

TEST(HardeningCsv, DeviceIsRefused) {
    try {
        read_csv("/dev/zero");
        ADD_FAILURE() << "/dev/zero was read";
    } catch (const ParseError& e) {
        EXPECT_EQ(std::string(e.what()), "/dev/zero:0:0: expected a regular file or a pipe, found a device");
    }
}

TEST(HardeningCsv, EndlessPipeIsRefusedAtTheBound) {
    ScratchDir dir("fifo");
    const std::string fifo = dir.path("endless.csv");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    pid_t writer = fork();
    ASSERT_GE(writer, 0);
    if (writer == 0) {  // writes a header, then rows until the reader goes away
        std::signal(SIGPIPE, SIG_DFL);
        int fd = ::open(fifo.c_str(), O_WRONLY);
        std::string rows = "a,b\n";
        for (int k = 0; k < 4096; ++k) rows += "1,2\n";
        for (;;)
            if (::write(fd, rows.data(), rows.size()) < 0) _exit(0);
    }
    CsvOptions options;
    options.max_pipe_bytes = std::size_t{1} << 20;
    try {
        read_csv(fifo, options);
        ADD_FAILURE() << "an endless pipe was read to its end";
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("expected at most 1048576 bytes through a pipe, found more"),
                  std::string::npos)
            << e.what();
    }
    int status = 0;
    ::waitpid(writer, &status, 0);
}
