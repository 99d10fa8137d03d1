// The same seed and thread count give the same formula, run after run. (How a run stopped by
// a signal behaves is tests/test_hardening_signals.cpp.)
#include <gtest/gtest.h>

#include <string>

#include "cli_runner.hpp"

TEST(CliDeterminism, SameSeedAndThreadsGiveTheSameFormula) {
    const std::string data = std::string(KEPLER_SOURCE_DIR) + "/datasets/examples/pendulum.csv";
    auto first = kepler::testing::run_kepler("fit " + data + " --target T --threads 2 --seed 7 --time-limit 30");
    auto second = kepler::testing::run_kepler("fit " + data + " --target T --threads 2 --seed 7 --time-limit 30");
    ASSERT_EQ(first.exit_code, 0) << first.output;
    auto best_line = [](const std::string& s) { return s.substr(s.find("best: ")); };
    EXPECT_EQ(best_line(first.output), best_line(second.output));
}
