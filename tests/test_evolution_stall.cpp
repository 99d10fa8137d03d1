// An evolution that can hardly build a formula of the target's dimension (Feynman I.32.5 at
// noise 0.01 in the feynman units: every epoch's attempts fail in random_tree) must end, not
// spin until the clock: an evaluation budget would never run out. Before the stall stop
// (engine/src/search/evolution.cpp, kStallShare) this run reached its 120 s time limit with 0
// evaluations in the evolution.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "feynman_test_laws.hpp"
#include "kepler/api/fit.hpp"
#include "kepler/grammar/law_file.hpp"
#include "law_tables.hpp"
#include "uniform_table.hpp"

using namespace kepler;

namespace {

Table law_table(const std::string& id, double noise) {
    return datasets::uniform_table(kepler::testing::spec_of(kepler::testing::feynman_law(id)), 1000, 1, noise);
}

}  // namespace

TEST(EvolutionStall, AnEvolutionThatBuildsNothingEndsBeforeTheClock) {
    const Table table = law_table("I.32.5", 0.01);
    const DiscoveryResult r = kepler::testing::fit_in_system(table, table.names[0], "feynman", 300000);
    EXPECT_FALSE(r.timed_out);
    EXPECT_FALSE(r.cancelled);
}
