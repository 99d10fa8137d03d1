// datasets::rescale: a table measured in a coherent unit system whose base units are powers of
// ten of the feynman system's. Every law of the Feynman database must hold unchanged on its
// rescaled table (which also proves that no law hides a numeric dimensional constant), the
// dimensionless groups must not move, K = 0 must be the identity and a seed must fix the table.
#include <gtest/gtest.h>

#include <cmath>

#include "feynman_test_laws.hpp"
#include "kepler/api/fit.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/grammar/law_file.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "rescale.hpp"
#include "uniform_table.hpp"

namespace {

using namespace kepler;

struct LawTable {
    Table table;
    std::vector<Dimension> dimensions;
};

const std::vector<grammar::Law>& laws() { return kepler::testing::feynman_laws(); }

const grammar::Law& law(const std::string& id) { return kepler::testing::feynman_law(id); }

LawTable table_of(const grammar::Law& law, const UnitSystem& system, std::uint64_t seed) {
    const datasets::LawSpec spec = kepler::testing::spec_of(law);
    LawTable t{datasets::uniform_table(spec, 50, seed), {}};
    for (const auto& unit : t.table.units) t.dimensions.push_back(grammar::parse_unit(unit, system).dimension);
    return t;
}

Table rescaled(const grammar::Law& law, const UnitSystem& system, std::uint64_t seed, int k) {
    LawTable t = table_of(law, system, seed);
    datasets::rescale_table(t.table, t.dimensions, datasets::unit_exponents(seed, law.id, system.bases.size(), k));
    return t.table;
}

}  // namespace

TEST(Rescale, ExponentsAreDeterministicBoundedAndVaried) {
    const auto a = datasets::unit_exponents(7, "I.12.2", 5, 9);
    EXPECT_EQ(a, datasets::unit_exponents(7, "I.12.2", 5, 9));
    EXPECT_NE(a, datasets::unit_exponents(8, "I.12.2", 5, 9));
    EXPECT_NE(a, datasets::unit_exponents(7, "I.12.4", 5, 9));
    std::set<double> seen;
    for (std::uint64_t seed = 1; seed <= 200; ++seed)
        for (double k : datasets::unit_exponents(seed, "law", 5, 3)) {
            EXPECT_EQ(k, std::round(k));
            EXPECT_LE(std::abs(k), 3.0);
            seen.insert(k);
        }
    EXPECT_EQ(seen.size(), 7u);  // every value of -3..3 occurs
    EXPECT_EQ(datasets::unit_exponents(3, "law", 5, 0), std::vector<double>(5, 0.0));
    EXPECT_THROW(datasets::unit_exponents(3, "law", 5, -1), std::invalid_argument);
}

TEST(Rescale, ColumnsConvertAsMeasuredInTheNewUnits) {
    const UnitSystem system = grammar::load_unit_system("feynman");
    // A length in a unit of 10^2 m is x/100; a speed (m/s) with the second 10^-3 s is x*1e-5.
    const std::vector<double> k{2, -3, 0, 0, 0};
    EXPECT_DOUBLE_EQ(datasets::rescale_factor(grammar::parse_unit("m", system).dimension, k), 1e-2);
    EXPECT_DOUBLE_EQ(datasets::rescale_factor(grammar::parse_unit("m/s", system).dimension, k), 1e-5);
    EXPECT_DOUBLE_EQ(datasets::rescale_factor(Dimension(), k), 1.0);
    Table t;
    t.data = Eigen::MatrixXd::Ones(2, 2);
    EXPECT_THROW(datasets::rescale_table(t, {Dimension()}, k), std::invalid_argument);
}

TEST(Rescale, ZeroIsTheIdentityAndASeedFixesTheTable) {
    const UnitSystem system = grammar::load_unit_system("feynman");
    const grammar::Law& coulomb = law("I.12.2");
    EXPECT_EQ(rescaled(coulomb, system, 4, 0).data, table_of(coulomb, system, 4).table.data);
    EXPECT_EQ(rescaled(coulomb, system, 4, 9).data, rescaled(coulomb, system, 4, 9).data);
    EXPECT_NE(rescaled(coulomb, system, 4, 9).data, table_of(coulomb, system, 4).table.data);
}

TEST(Rescale, DimensionlessGroupsAreUnchanged) {
    const UnitSystem system = grammar::load_unit_system("feynman");
    // I.15.3x: u/c and u*t/x are groups of x1 = (x - u t)/sqrt(1 - u^2/c^2); so is x1/x.
    const grammar::Law& lorentz = law("I.15.3x");  // columns x1, x, u, c, t
    const Table plain = table_of(lorentz, system, 2).table;
    const Table scaled = rescaled(lorentz, system, 2, 9);
    const auto& p = plain.data;
    const auto& s = scaled.data;
    EXPECT_GT((s.col(1) - p.col(1)).cwiseAbs().maxCoeff(), 1.0);  // the magnitudes did move
    for (Eigen::Index r = 0; r < p.rows(); ++r) {
        EXPECT_NEAR(s(r, 2) / s(r, 3), p(r, 2) / p(r, 3), 1e-12 * p(r, 2) / p(r, 3));
        EXPECT_NEAR(s(r, 2) * s(r, 4) / s(r, 1), p(r, 2) * p(r, 4) / p(r, 1), 1e-12);
        EXPECT_NEAR(s(r, 0) / s(r, 1), p(r, 0) / p(r, 1), 1e-12);
    }
}

// The law itself holds on the rescaled table, for all 100 laws: none carries a numeric
// constant with a dimension, which a coherent change of units would have broken.
TEST(Rescale, EveryFeynmanLawHoldsOnItsRescaledTable) {
    const UnitSystem system = grammar::load_unit_system("feynman");
    Evaluator evaluate;
    ASSERT_EQ(laws().size(), 100u);
    for (const auto& l : laws()) {
        const Table t = rescaled(l, system, 1, 9);
        const auto k = static_cast<Eigen::Index>(l.inputs.size());
        Eigen::VectorXd y(t.data.rows());
        evaluate.evaluate(l.formula, t.data.rightCols(k), y);
        const double error = ((y - t.data.col(0)).cwiseAbs().array() / t.data.col(0).cwiseAbs().array()).maxCoeff();
        EXPECT_LT(error, 1e-9) << l.id;
    }
}

// The search's numerics do not depend on magnitudes (issue #13): a law's table measured in base
// units of 10^k m, s, kg, ... (|k| <= 9, values from ~1e-9 to ~1e9) gives the same printed law
// as the plain table, under the same evaluation budget: power laws the quick fits find and
// sums the enumeration must build.
TEST(Rescale, DiscoverFindsTheSameLawOnTheRescaledTable) {
    const UnitSystem system = grammar::load_unit_system("feynman");
    for (const char* id : {"I.12.2", "I.43.31", "I.12.11"}) {
        const grammar::Law& l = law(id);
        api::FitRequest request;
        request.target = l.target;
        request.units.system = "feynman";
        request.options.search.time_limit_seconds = 120;
        request.options.search.max_evaluations = 300000;
        request.options.search.threads = 2;
        const LawTable plain = table_of(l, system, 1);
        const Table scaled = rescaled(l, system, 1, 9);
        double smallest = INFINITY, largest = 0.0;
        for (Eigen::Index c = 0; c < scaled.data.cols(); ++c) {
            const double m = scaled.data.col(c).cwiseAbs().mean();
            smallest = std::min(smallest, m);
            largest = std::max(largest, m);
        }
        EXPECT_GT(largest / smallest, 1e4) << id << ": the rescaled magnitudes hardly differ";
        const api::FitOutcome on_plain = api::fit(plain.table, request);
        const api::FitOutcome on_scaled = api::fit(scaled, request);
        const FoundLaw* a = on_plain.discovery.best_law();
        const FoundLaw* b = on_scaled.discovery.best_law();
        ASSERT_NE(a, nullptr);
        ASSERT_NE(b, nullptr);
        EXPECT_EQ(a->formula, b->formula) << id;
    }
}
