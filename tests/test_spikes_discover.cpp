// A sensor log with glitches: 1 % of the rows read ten times the true target. discover() leaves
// them out before the search (structure/spike_rows.hpp), says so, and finds the law; with
// reject_spikes off the same table gives no exact law.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "kepler/api/fit.hpp"
#include "kepler/core/evaluator.hpp"

using namespace kepler;

namespace {

// 1,000 rows of E = m*v^2/2 in SI units, with `spikes` rows read x10.
Table energy_table(int spikes) {
    Table table;
    table.names = {"E", "m", "v"};
    table.units = {"J", "kg", "m/s"};
    table.data.resize(1000, 3);
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    for (Eigen::Index r = 0; r < table.data.rows(); ++r) {
        const double m = u(rng), v = u(rng);
        table.data.row(r) << m * v * v / 2.0, m, v;
    }
    for (int k = 0; k < spikes; ++k) table.data(static_cast<Eigen::Index>(k * 97 + 13), 0) *= 10.0;
    return table;
}

// The target comes in as a std::string: `r.target = "E"` trips GCC 12's false -Wrestrict.
api::FitRequest request(const std::string& target, bool reject_spikes) {
    api::FitRequest r;
    r.target = target;
    r.options.search.time_limit_seconds = 60;
    r.options.search.max_evaluations = 300000;
    r.options.search.threads = 2;
    r.options.reject_spikes = reject_spikes;
    return r;
}

}  // namespace

TEST(SpikesInDiscover, LeftOutSaidAndTheLawFound) {
    const Table table = energy_table(10);
    const DiscoveryResult result = api::fit(table, request("E", true)).discovery;
    EXPECT_EQ(result.rows_spikes, 10u);
    EXPECT_EQ(result.rows_used, 990u);
    EXPECT_TRUE(std::any_of(result.notes.begin(), result.notes.end(),
                            [](const std::string& n) { return n.find("10 rows left out as spikes") == 0; }));
    const FoundLaw* law = result.best_law();
    ASSERT_NE(law, nullptr);
    // The law itself: on the clean table it is exact.
    const Table clean = energy_table(0);
    const Eigen::VectorXd predicted = Evaluator()(law->expression, clean.data.rightCols(2));
    EXPECT_LT((predicted - clean.data.col(0)).cwiseAbs().maxCoeff(), 1e-9) << law->formula;
}

TEST(SpikesInDiscover, KeptWhenAskedAndThenNoExactLaw) {
    const DiscoveryResult result = api::fit(energy_table(10), request("E", false)).discovery;
    EXPECT_EQ(result.rows_spikes, 0u);
    EXPECT_EQ(result.rows_used, 1000u);
    const FoundLaw* law = result.best_law();
    ASSERT_NE(law, nullptr);
    EXPECT_LT(law->r2, 0.99) << law->formula;
}
