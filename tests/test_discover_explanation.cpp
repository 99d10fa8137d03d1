// What discover() could not do is said in its explanation, not swallowed.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "kepler/core/table.hpp"
#include "kepler/pipeline/discover.hpp"

using namespace kepler;

namespace {

bool explained(const DiscoveryResult& r, const std::string& text) {
    for (const std::string& line : r.explanation)
        if (line.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST(DiscoverExplanation, SaysWhyTheNoiseFloorWasNotChecked) {
    // Eight rows of noise: no formula is exact, and the noise estimate of the noise-floor
    // check needs at least twelve rows. The evaluations bound the run, so the time limit is not reached.
    Table table;
    table.names = {"y", "a", "b"};
    table.units = {"", "", ""};
    table.data.resize(8, 3);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(1.0, 2.0);
    for (Eigen::Index i = 0; i < table.data.rows(); ++i)
        for (Eigen::Index j = 0; j < table.data.cols(); ++j) table.data(i, j) = u(rng);
    DiscoverOptions options;
    options.search.time_limit_seconds = 60.0;
    options.search.max_evaluations = 20'000;
    options.search.threads = 1;
    const DiscoveryResult result = discover(table, "y", options);
    EXPECT_TRUE(explained(result, "no noise-floor check (")) << [&] {
        std::string all;
        for (const std::string& line : result.explanation) all += line + "\n";
        return all;
    }();
    EXPECT_TRUE(explained(result, "at least 12 rows"));
}
