// The checked-in example logs end to end (library route of `kepler fit LOG.csv --target COL`):
// screening picks the law's channels out of ~100 and the search returns the law's form, not a
// look-alike. Evaluation budgets, not the clock, bound the searches, so the result does not
// depend on the machine's speed.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <set>
#include <string>

#include "kepler/core/evaluator.hpp"
#include "kepler/grammar/csv_reader.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/pipeline/screened_discover.hpp"

using namespace kepler;

namespace {

struct Fitted {
    ScreenedDiscoveryResult result;
    Table table;
};

Fitted fit_log(const std::string& rig, const std::string& target, std::size_t max_evaluations) {
    Fitted f;
    f.table = grammar::read_csv(std::string(KEPLER_SOURCE_DIR) + "/datasets/sensor-logs/" + rig + ".csv");
    ScreenedDiscoverOptions o;
    TableUnits units;
    units.system = grammar::load_unit_system("si");
    // The time column has no unit (it is a timestamp, not an input).
    for (const auto& text : f.table.units)
        units.columns.push_back(grammar::parse_unit(text.empty() ? "1" : text, units.system));
    o.discover.units = std::move(units);
    o.discover.search.time_limit_seconds = 120;
    o.discover.search.max_evaluations = max_evaluations;
    f.result = screened_discover(f.table, target, o);
    return f;
}

// The law at (x0, x1) for a law over two inputs.
double at(const FoundLaw& law, double x0, double x1) {
    Eigen::MatrixXd X(1, 2);
    X << x0, x1;
    return Evaluator{}(law.expression, X)(0);
}

}  // namespace

TEST(SensorLogLaws, HeatedWireGivesOhmsLawWithAResistanceAffineInTemperature) {
    const Fitted f = fit_log("heated-wire", "U", 3'000'000);
    const FoundLaw* law = f.result.discovery.best_law();
    ASSERT_NE(law, nullptr);
    const std::vector<std::string>& in = f.result.discovery.inputs;
    ASSERT_EQ(in.size(), 2u) << law->formula;
    EXPECT_EQ(in[0], "I") << law->formula;
    // Either thermometer of the wire (the two are reported interchangeable).
    EXPECT_TRUE(in[1] == "T_wire" || in[1] == "T_wire_tc2") << law->formula;
    // U = I*R(T): proportional to I, and R affine in T (not a power of T that mimics it).
    for (double T : {320.0, 480.0, 640.0}) EXPECT_NEAR(at(*law, 1.0, T) * 2.0, at(*law, 2.0, T), 1e-9) << law->formula;
    const double r300 = at(*law, 1.0, 300.0), r450 = at(*law, 1.0, 450.0), r600 = at(*law, 1.0, 600.0);
    EXPECT_NEAR(r450, (r300 + r600) / 2.0, 1e-9 * r450) << law->formula;
    // R0*(1 + alpha*(T - T0)) with R0 = 2.5 ohm, alpha = 0.00385/K, T0 = 293.15 K, to 1%.
    EXPECT_NEAR(r600, 2.5 * (1.0 + 0.00385 * (600.0 - 293.15)), 0.01 * r600) << law->formula;
}

TEST(SensorLogLaws, PendulumGivesTwoPiSqrtLOverG) {
    const Fitted f = fit_log("pendulum", "period", 3'000'000);
    const FoundLaw* law = f.result.discovery.best_law();
    ASSERT_NE(law, nullptr);
    ASSERT_EQ(f.result.discovery.inputs, std::vector<std::string>{"L"}) << law->formula;
    Eigen::MatrixXd X(2, 1);
    X << 0.5, 2.0;
    const Eigen::VectorXd p = Evaluator{}(law->expression, X);
    const double coefficient = 2.0 * std::numbers::pi / std::sqrt(9.80665);
    EXPECT_NEAR(p(0), coefficient * std::sqrt(0.5), 5e-3 * p(0)) << law->formula;
    EXPECT_NEAR(p(1), coefficient * std::sqrt(2.0), 5e-3 * p(1)) << law->formula;
}
