// `kepler --version` prints the version of project() in CMakeLists.txt (passed to this test as
// KEPLER_PROJECT_VERSION by tests/CMakeLists.txt), not a copy written somewhere else.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.hpp"

namespace {

using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

TEST(Version, CliPrintsTheProjectVersion) {
    const auto r = run_kepler("--version");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output, std::string("kepler ") + KEPLER_PROJECT_VERSION + "\n");
}

// The JSON result says how it was made: its schema version, Kepler's version, and the options
// (the seed among them) a rerun needs.
TEST(Version, JsonResultRecordsSchemaVersionSeedAndOptions) {
    ScratchDir dir("json-record");
    const std::string out = dir.path("out.json");
    const auto r = run_kepler("fit " + std::string(KEPLER_SOURCE_DIR) +
                              "/datasets/examples/forces.csv --target F --seed 7 --max-evals 20000 --quiet --ops '*,/' "
                              "--json " +
                              out);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::ifstream in(out);
    const nlohmann::json doc = nlohmann::json::parse(in);
    EXPECT_EQ(doc["schema_version"], 3);
    EXPECT_EQ(doc["kepler_version"], KEPLER_PROJECT_VERSION);
    EXPECT_EQ(doc["options"]["seed"], 7);
    EXPECT_EQ(doc["options"]["max_evals"], 20000);
    EXPECT_EQ(doc["options"]["ops"], "*,/");
    EXPECT_EQ(doc["options"]["target"], "F");
    EXPECT_EQ(doc["options"]["screen"], "automatic");
}

}  // namespace
