// `kepler --version` prints the version of project() in CMakeLists.txt (passed to this test as
// KEPLER_PROJECT_VERSION by tests/CMakeLists.txt), not a copy written somewhere else.
#include <gtest/gtest.h>

#include <string>

#include "cli_runner.hpp"

namespace {

using kepler::testing::run_kepler;

TEST(Version, CliPrintsTheProjectVersion) {
    const auto r = run_kepler("--version");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output, std::string("kepler ") + KEPLER_PROJECT_VERSION + "\n");
}

}  // namespace
