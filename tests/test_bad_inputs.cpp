// The bad-input corpus (issue 15): every case in tests/bad_inputs/cases.tsv runs the `kepler`
// CLI on a bad input and asserts its exit code and a fragment of its message. A case is one
// line, tab-separated: exit code, message fragment, arguments (shell words; `@` stands for the
// tests/bad_inputs folder and `~` for datasets/examples). Lines starting with '#' are comments.
// Whatever the input, the CLI must answer with a clear error: never a crash (a signal), an
// "internal error", or a message without the "kepler: error:" prefix.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace {

struct BadInput {
    int line = 0;
    int exit_code = 0;
    std::string fragment;
    std::string arguments;
};

std::string expand(const std::string& text) {
    const std::string corpus = std::string(KEPLER_SOURCE_DIR) + "/tests/bad_inputs";
    const std::string examples = std::string(KEPLER_SOURCE_DIR) + "/datasets/examples";
    std::string out;
    for (char c : text) {
        if (c == '@')
            out += corpus;
        else if (c == '~')
            out += examples;
        else
            out += c;
    }
    return out;
}

std::vector<BadInput> read_cases() {
    std::ifstream in(std::string(KEPLER_SOURCE_DIR) + "/tests/bad_inputs/cases.tsv");
    std::vector<BadInput> cases;
    std::string text;
    int line = 0;
    while (std::getline(in, text)) {
        ++line;
        if (text.empty() || text[0] == '#') continue;
        const std::size_t tab1 = text.find('\t');
        const std::size_t tab2 = tab1 == std::string::npos ? tab1 : text.find('\t', tab1 + 1);
        if (tab2 == std::string::npos) {
            ADD_FAILURE() << "cases.tsv:" << line << ": expected three tab-separated fields";
            continue;
        }
        cases.push_back({line, std::stoi(text.substr(0, tab1)), text.substr(tab1 + 1, tab2 - tab1 - 1),
                         expand(text.substr(tab2 + 1))});
    }
    return cases;
}

}  // namespace

TEST(BadInputs, EveryCaseGivesItsExitCodeAndMessage) {
    const std::vector<BadInput> cases = read_cases();
    ASSERT_GE(cases.size(), 100u);
    for (const BadInput& c : cases) {
        SCOPED_TRACE("cases.tsv:" + std::to_string(c.line) + ": kepler " + c.arguments);
        const auto r = kepler::testing::run_kepler(c.arguments);
        const std::string shown = r.output.substr(0, 600);
        EXPECT_EQ(r.exit_code, c.exit_code) << shown;
        EXPECT_NE(r.output.find(c.fragment), std::string::npos) << shown;
        EXPECT_EQ(r.output.find("internal error"), std::string::npos) << shown;
        if (c.exit_code == 2) {
            EXPECT_NE(r.output.find("kepler: error: "), std::string::npos) << shown;
        }
    }
}
