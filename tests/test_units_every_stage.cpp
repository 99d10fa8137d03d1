// Units hold in every stage (issue #12): with units on, every member of every front is
// dimensionally consistent (units/front_consistency.hpp: some units for its numbers make it
// well-typed), on a dozen Feynman laws under an evaluation budget with the stop-when-exact rule
// off, so that the structure split and the evolution run too, at noise 0 and 0.01. And the
// stages keep it at the source: the finish stage's safety net (consistent_front.cpp) never had
// to drop a formula.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "feynman_laws.hpp"
#include "kepler/api/fit.hpp"
#include "kepler/grammar/law_file.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/units/front_consistency.hpp"
#include "uniform_table.hpp"

using namespace kepler;

namespace {

const grammar::Law& feynman_law(const std::string& id) {
    static const auto laws = grammar::parse_law_file(datasets::feynman_laws_text(), "feynman.laws");
    for (const auto& law : laws)
        if (law.id == id) return law;
    throw std::invalid_argument("no law " + id);
}

// Every front member of the law's fit, checked; returns the number of fits checked.
void expect_consistent_front(const std::string& id, double noise) {
    const UnitSystem system = grammar::load_unit_system("feynman");
    const grammar::Law& law = feynman_law(id);
    datasets::LawSpec spec{law.target, law.target_unit, law.formula, {}};
    for (const auto& in : law.inputs) spec.inputs.push_back({in.name, in.low, in.high, in.unit});
    const Table table = datasets::uniform_table(spec, 300, 1, noise);
    api::FitRequest request;
    request.target = law.target;
    request.units.system = "feynman";
    request.options.search.time_limit_seconds = 120;
    request.options.search.max_evaluations = 200000;
    request.options.search.threads = 2;
    request.options.search.stop_when_exact = false;
    const DiscoveryResult r = api::fit(table, request).discovery;
    ASSERT_TRUE(r.dimensional_analysis) << id;
    ASSERT_FALSE(r.front.empty()) << id;
    std::vector<Dimension> inputs;
    for (const std::string& name : r.inputs)
        for (std::size_t c = 0; c < table.names.size(); ++c)
            if (table.names[c] == name) inputs.push_back(grammar::parse_unit(table.units[c], system).dimension);
    ASSERT_EQ(inputs.size(), r.inputs.size()) << id;
    const Dimension target = grammar::parse_unit(law.target_unit, system).dimension;
    for (const FoundLaw& member : r.front) {
        const auto bad = dimensional_inconsistency(member.expression, inputs, target, &system);
        EXPECT_FALSE(bad) << id << " at noise " << noise << ": " << member.numeric_formula << ": " << bad->message;
    }
    for (const std::string& line : r.explanation)
        EXPECT_EQ(line.find("inconsistent formula"), std::string::npos) << id << " at noise " << noise << ": " << line;
}

// Functions of dimensionless groups, products of powers, sums of like terms, and laws that
// need a constant brought in: each a chance for some stage to build cos(x) of a length.
const char* const kLaws[] = {"I.6.2a",  "I.12.2", "I.15.3x", "I.29.16", "I.34.8",   "I.37.4",
                             "I.39.22", "I.40.1", "I.41.16", "I.43.31", "II.35.18", "III.4.33"};

}  // namespace

TEST(UnitsEveryStage, EveryFrontMemberIsConsistentWithoutNoise) {
    for (const char* id : kLaws) expect_consistent_front(id, 0.0);
}

TEST(UnitsEveryStage, EveryFrontMemberIsConsistentAtOnePercentNoise) {
    for (const char* id : kLaws) expect_consistent_front(id, 0.01);
}
