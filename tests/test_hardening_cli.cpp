// Hardening of the CLI (issue 15): bad input gives "kepler: error: ..." with the place and what
// was expected, and exit code 2; never a crash, a hang, a lost result or a silent wrong answer.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_runner.hpp"

using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

namespace {

const std::string kForces = std::string(KEPLER_SOURCE_DIR) + "/datasets/examples/forces.csv";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

// Item 1: a formula of 60,000 terms used to crash the printer.
TEST(HardeningCli, LongFormulaIsRefusedNotACrash) {
    std::string formula = "m";
    for (int k = 1; k < 60000; ++k) formula += "-m";
    ScratchDir dir("long-formula");
    const std::string file = dir.write("formula.txt", formula);
    auto r = run_kepler("eval \"$(cat " + file + ")\" " + kForces + " --target F");
    EXPECT_EQ(r.exit_code, 2) << r.output.substr(0, 400);
    EXPECT_TRUE(contains(r.output, "kepler: error: formula:1:10001: formula too long")) << r.output.substr(0, 400);
}

// Item 2: absurd row counts used to crash or end in a bare std::bad_alloc.
TEST(HardeningCli, GeneratedRowsAreRangeChecked) {
    for (const char* rows : {"9223372036854775808", "10000000000", "0", "-1", "1e3"}) {
        auto r = run_kepler(std::string("gen feynman I.15.3t --rows ") + rows);
        EXPECT_EQ(r.exit_code, 2) << rows << ": " << r.output;
        EXPECT_TRUE(contains(r.output,
                             "kepler: error: --rows: expected a number of rows, a whole number in [1, "
                             "10000000]"))
            << r.output;
    }
    auto r = run_kepler("gen rig pendulum --channels 100000");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "--channels: expected a number of channels")) << r.output;
}

// Item 3: invalid UTF-8 in a header used to end in a JSON exception and an emptied result file.
TEST(HardeningCli, InvalidUtf8HeaderIsAnErrorAndTheOldResultSurvives) {
    ScratchDir dir("utf8");
    const std::string data = dir.write("bad.csv", "F,m\xff,a\n1,2,3\n4,5,6\n");
    const std::string json = dir.write("o.json", "{\"earlier\": true}\n");
    auto r = run_kepler("fit " + data + " --target F --json " + json);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "kepler: error: " + data +
                                       ":1:4: expected a column header in UTF-8, found the byte 0xFF that is not UTF-8 "
                                       "in header field 2"))
        << r.output;
    EXPECT_EQ(read_file(json), "{\"earlier\": true}\n");
}

// Item 3: the JSON result is written whole or not at all: a file that cannot be replaced keeps
// its content, and no temporary file is left behind.
TEST(HardeningCli, JsonIsWrittenAtomically) {
    ScratchDir dir("atomic");
    const std::string json = dir.path("o.json");
    auto r = run_kepler("fit " + kForces + " --target F --inputs m,a --max-evals 2000 --quiet --json " + json);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string text = read_file(json);
    EXPECT_EQ(text.rfind("{", 0), 0u);
    EXPECT_EQ(text.substr(text.size() - 2), "}\n");
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path(""))) ++files;
    EXPECT_EQ(files, 1u) << "a temporary file was left behind";
}

// Item 7: the output paths are checked before the search.
TEST(HardeningCli, JsonPathIsCheckedBeforeTheSearch) {
    ScratchDir dir("json-path");
    const std::string data = dir.write("forces.csv", read_file(kForces));
    auto same = run_kepler("fit " + data + " --target F --json " + data);
    EXPECT_EQ(same.exit_code, 2) << same.output;
    EXPECT_TRUE(contains(same.output, "kepler: error: --json: '" + data + "' is the input file")) << same.output;
    EXPECT_EQ(read_file(data), read_file(kForces)) << "the table was overwritten";
    EXPECT_FALSE(contains(same.output, "search:")) << same.output;

    auto missing = run_kepler("fit " + data + " --target F --time-limit 600 --json /nonexistent/o.json");
    EXPECT_EQ(missing.exit_code, 2) << missing.output;
    EXPECT_TRUE(
        contains(missing.output,
                 "kepler: error: --json: cannot write '/nonexistent/o.json': the folder '/nonexistent' does not "
                 "exist"))
        << missing.output;
    EXPECT_FALSE(contains(missing.output, "search:")) << missing.output;

    auto folder = run_kepler("fit " + data + " --target F --json " + dir.path(""));
    EXPECT_EQ(folder.exit_code, 2) << folder.output;
    EXPECT_TRUE(contains(folder.output, "is a folder")) << folder.output;

    auto gen = run_kepler("gen feynman I.12.1 --out /nonexistent/t.csv");
    EXPECT_EQ(gen.exit_code, 2) << gen.output;
    EXPECT_TRUE(contains(gen.output, "kepler: error: --out: cannot write '/nonexistent/t.csv'")) << gen.output;
}

// Item 8: a device never ends; it is refused at once.
TEST(HardeningCli, DevicesAreRefused) {
    auto r = run_kepler("fit /dev/zero --target F");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "kepler: error: /dev/zero:0:0: expected a regular file or a pipe, found a device"))
        << r.output;
}

// Item 8: a header wider than a formula can address is refused with a clear error.
TEST(HardeningCli, TooManyColumnsIsAClearError) {
    ScratchDir dir("wide");
    std::string header, row;
    for (int c = 0; c < 70000; ++c) {
        header += c ? ",c" : "c";
        header += std::to_string(c);
        row += c ? ",1" : "1";
    }
    const std::string data = dir.write("wide.csv", header + "\n" + row + "\n" + row + "\n");
    auto r = run_kepler("fit " + data + " --target c0");
    EXPECT_EQ(r.exit_code, 2) << r.output.substr(0, 400);
    EXPECT_TRUE(contains(r.output, "kepler: error: " + data + ":1:")) << r.output.substr(0, 400);
    EXPECT_TRUE(contains(r.output, "expected at most 65535 columns, found more")) << r.output.substr(0, 400);
}

// Item 9: units whose exponents overflow exact arithmetic name the columns, exit 2.
TEST(HardeningCli, UnitExponentOverflowNamesTheColumns) {
    ScratchDir dir("fine-units");
    const std::string data =
        dir.write("fine.csv",
                  "y [m],a [m^(1/9973)*s^(1/9967)],b [m^(1/9949)*kg^(1/9941)],c [s^(1/9931)*kg^(1/9929)],d [m*s]\n"
                  "1,2,3,4,5\n2,3,4,5,6\n3,4,5,6,7\n");
    for (const std::string& command :
         {"fit " + data + " --target y --max-evals 1000", "units --groups " + data + " --target y"}) {
        auto r = run_kepler(command);
        EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, "kepler: error: " + data + ":1:")) << r.output;
        EXPECT_TRUE(contains(r.output, "a [m^(1/9973)*s^(1/9967)]")) << r.output;
        EXPECT_TRUE(contains(r.output, "too fine for exact dimensional analysis")) << r.output;
        EXPECT_FALSE(contains(r.output, "internal error")) << r.output;
    }
}

// Item 10: numeric options are range-checked, with the CLI's error prefix and short numbers.
TEST(HardeningCli, NumericOptionsAreRangeChecked) {
    struct Case {
        std::string arguments;
        std::string message;
    };
    const Case cases[] = {
        {"fit " + kForces + " --target F --time-limit nan", "--time-limit: expected a number of seconds in (0, 1e+09]"},
        {"fit " + kForces + " --target F --time-limit inf", "found 'inf'"},
        {"fit " + kForces + " --target F --time-limit -5", "found '-5'"},
        {"fit " + kForces + " --target F --time-limit 0", "found '0'"},
        {"fit " + kForces + " --target F --time-limit 1e309", "found '1e309'"},
        {"fit " + kForces + " --target F --seed -1", "--seed: expected a seed, a whole number in [0, "},
        {"fit " + kForces + " --target F --threads 100000", "--threads: expected a thread count"},
        {"fit " + kForces + " --target F --max-nodes 1000", "--max-nodes: expected a number of nodes"},
        {"fit " + kForces + " --target F --max-evals -3", "--max-evals: expected a number of evaluations"},
        {"fit " + kForces + " --target F --sample 0", "--sample: expected a number of rows"},
        {"gen rig pendulum --period 1e300", "--period: expected a number of seconds in (0, 1e+09]"},
        {"gen rig pendulum --period nan", "--period: expected a number of seconds"},
        {"gen rig pendulum --gaps 0.7", "--gaps: expected a fraction in [0, 0.5]"},
        {"gen feynman I.12.1 --noise nan", "--noise: expected a noise fraction"},
        {"gen feynman I.12.1 --seed -1", "--seed: expected a seed"},
        {"bench feynman --time-limit nan", "--time-limit: expected a number of seconds"},
    };
    for (const Case& c : cases) {
        auto r = run_kepler(c.arguments);
        EXPECT_EQ(r.exit_code, 2) << c.arguments << "\n" << r.output;
        EXPECT_EQ(r.output.rfind("kepler: error: ", 0), 0u) << c.arguments << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, c.message)) << c.arguments << "\n" << r.output;
        EXPECT_LT(r.output.size(), 300u) << "no 309-digit bounds: " << r.output;
    }
}

// Item 10: a rig log must end within a few centuries; beyond that its timestamps overflowed.
TEST(HardeningCli, RigTimestampsStayInRange) {
    auto r = run_kepler("gen rig pendulum --period 1e8 --rows 2000");
    EXPECT_EQ(r.exit_code, 2) << r.output.substr(0, 300);
    EXPECT_TRUE(contains(r.output, "kepler: error: expected a log spanning at most 1e10 seconds")) << r.output;
    EXPECT_TRUE(contains(r.output, "2000 rows every 1e+08 s")) << r.output;
}

// Item 10: eval leaves out rows with an infinite value as fit does, and says how many.
TEST(HardeningCli, EvalLeavesOutInfiniteRowsAsFitDoes) {
    ScratchDir dir("inf-rows");
    const std::string data = dir.write("inf.csv", "F,m,a\n2,1,2\n6,2,3\ninf,1,1\n12,3,4\n5,inf,1\n");
    auto r = run_kepler("eval \"m*a\" " + data + " --target F");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "rows:    3 (2 left out: infinite values)")) << r.output;
    EXPECT_TRUE(contains(r.output, "R2:      1\n")) << r.output;
    const std::string both = dir.write("both.csv", "F,m,a\n2,1,2\n6,2,3\ninf,1,1\n12,3,4\n5,,1\n");
    auto mixed = run_kepler("eval \"m*a\" " + both + " --target F");
    EXPECT_TRUE(contains(mixed.output, "rows:    3 (2 left out: 1 with missing values, 1 with infinite ones)"))
        << mixed.output;
}

// Item 4: a column called pi is the column, in eval and in the printed formula.
TEST(HardeningCli, ColumnNamedPiIsTheColumn) {
    ScratchDir dir("pi-column");
    const std::string data = dir.write("pi.csv", "y,pi,x-z\n3,1,0\n6,2,0\n9,3,0\n");
    auto r = run_kepler("eval \"3*pi\" " + data + " --target y");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "formula: y = 3*`pi`")) << r.output;
    EXPECT_TRUE(contains(r.output, "R2:      1\n")) << r.output;
    auto quoted = run_kepler("eval '3*`pi` + `x-z`' " + data + " --target y");
    EXPECT_EQ(quoted.exit_code, 0) << quoted.output;
    EXPECT_TRUE(contains(quoted.output, "formula: y = 3*`pi` + `x-z`")) << quoted.output;
}

// Item 2: running out of memory is a clear error, not a bare std::bad_alloc. The address space
// is capped (ulimit -v) so that ten million rows cannot be drawn.
TEST(HardeningCli, OutOfMemoryIsAClearError) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "AddressSanitizer reserves terabytes of shadow address space, which ulimit -v forbids";
#endif
    const std::string command = "bash -c 'ulimit -v 400000; exec " + kepler::testing::kepler_binary() +
                                " gen feynman I.12.1 --rows 10000000' 2>&1 >/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    char buffer[1024];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
    const int status = pclose(pipe);
    ASSERT_TRUE(WIFEXITED(status)) << output;
    EXPECT_EQ(WEXITSTATUS(status), 2) << output;
    EXPECT_EQ(output.rfind("kepler: error: out of memory", 0), 0u) << output;
}
