// The units issue's acceptance test on the 100 laws of the Feynman database: in the
// `feynman` unit system every ground-truth formula is dimensionally consistent, and the
// Buckingham Pi reduction gives n_inputs - rank dimensionless groups, each truly dimensionless.
#include <gtest/gtest.h>

#include "kepler/grammar/law_file.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/units/buckingham_pi.hpp"
#include "kepler/units/dimension_check.hpp"

using namespace kepler;

namespace {

struct FeynmanFixture : ::testing::Test {
    static void SetUpTestSuite() {
        system = new UnitSystem(grammar::load_unit_system("feynman"));
        laws = new std::vector<grammar::Law>(
            grammar::read_law_file(std::string(KEPLER_SOURCE_DIR) + "/datasets/feynman/feynman.laws"));
    }
    static void TearDownTestSuite() {
        delete system;
        delete laws;
    }
    static Dimension dim(const std::string& unit) { return grammar::parse_unit(unit, *system).dimension; }
    static inline UnitSystem* system = nullptr;
    static inline std::vector<grammar::Law>* laws = nullptr;
};

}  // namespace

TEST_F(FeynmanFixture, EveryGroundTruthIsDimensionallyConsistent) {
    ASSERT_EQ(laws->size(), 100u);
    for (const auto& law : *laws) {
        std::vector<Dimension> inputs;
        for (const auto& in : law.inputs) inputs.push_back(dim(in.unit));
        try {
            Dimension d = dimension_of(law.formula, inputs, system);
            EXPECT_EQ(system->format(d), system->format(dim(law.target_unit))) << law.id << ": " << law.formula_text;
        } catch (const DimensionError& e) {
            ADD_FAILURE() << law.id << ": " << e.what();
        }
    }
}

TEST_F(FeynmanFixture, PiReductionGivesInputsMinusRankGroups) {
    std::size_t reduced = 0;
    for (const auto& law : *laws) {
        std::vector<Dimension> inputs;
        for (const auto& in : law.inputs) inputs.push_back(dim(in.unit));
        PiAnalysis pi = buckingham_pi(inputs, dim(law.target_unit));
        EXPECT_EQ(pi.groups.size(), law.inputs.size() - pi.rank) << law.id;
        // The target's dimension is reachable from its inputs in every Feynman law.
        ASSERT_TRUE(pi.target_exponents.has_value()) << law.id;
        Dimension monomial;
        for (std::size_t j = 0; j < inputs.size(); ++j) monomial = monomial * inputs[j].pow((*pi.target_exponents)[j]);
        EXPECT_EQ(monomial, dim(law.target_unit)) << law.id;
        for (const auto& group : pi.groups) {
            Dimension g;
            for (std::size_t j = 0; j < inputs.size(); ++j) g = g * inputs[j].pow(group[j]);
            EXPECT_TRUE(g.dimensionless()) << law.id;
        }
        if (pi.groups.size() < law.inputs.size()) ++reduced;
    }
    // Dimensional analysis removes at least one variable from most laws.
    EXPECT_GE(reduced, 50u);
}
