// Constants of the unit system printed by name (README "Named constants"): laws whose tables
// lack a constant print it by its symbol (2*pi*sqrt(L/g_n)), the numeric form is the same law
// with the values, a column named like a constant stays the column, and the JSON has both.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "kepler/api/fit.hpp"
#include "kepler/api/result_json.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "law_tables.hpp"

using namespace kepler;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kGn = 9.80665;            // standard gravity, m/s^2 (the si table's g_n)
constexpr double kG = 6.67430e-11;         // m^3/(kg*s^2)
constexpr double kSigma = 5.670374419e-8;  // W/(m^2*K^4)
constexpr double kR = 8.314462618;         // J/(mol*K)

using kepler::testing::Column;
using kepler::testing::law_table;

DiscoveryResult fit(const Table& table, const std::string& target) {
    return kepler::testing::fit_in_si(table, target, 300000);
}

std::vector<std::string> symbols(const FoundLaw& law) { return kepler::testing::constant_symbols(law); }

// The named form, with each named constant's value as a column, gives the numeric form's values.
void expect_numeric_form_is_the_named_one(const FoundLaw& law, const Table& table, std::size_t inputs) {
    ASSERT_FALSE(law.named_expression.empty());
    Eigen::MatrixXd X(table.data.rows(), static_cast<Eigen::Index>(inputs + law.named_constants.size()));
    X.leftCols(static_cast<Eigen::Index>(inputs)) = table.data.rightCols(static_cast<Eigen::Index>(inputs));
    for (std::size_t j = 0; j < law.named_constants.size(); ++j)
        X.col(static_cast<Eigen::Index>(inputs + j)).setConstant(law.named_constants[j].value);
    const Eigen::VectorXd named = Evaluator{}(law.named_expression, X);
    const Eigen::VectorXd numeric = Evaluator{}(law.expression, X.leftCols(static_cast<Eigen::Index>(inputs)));
    for (Eigen::Index r = 0; r < X.rows(); ++r) EXPECT_NEAR(named(r), numeric(r), 1e-12 * std::abs(numeric(r))) << r;
}

// The best law's printed form, `exact`, at noise 0 and at noise 1e-3 alike: the multiplier next
// to the named constant is snapped by the snapping rule (2*pi, 1), which the noise does not
// change (snap_constants.hpp).
void expect_named_law(const std::string& target, const Table& table, const std::string& exact,
                      const std::vector<std::string>& constants) {
    const DiscoveryResult r = fit(table, target);
    const FoundLaw* best = r.best_law();
    ASSERT_NE(best, nullptr);
    EXPECT_EQ(best->formula, exact);
    EXPECT_EQ(symbols(*best), constants) << best->formula;
    EXPECT_NE(best->numeric_formula, best->formula);
    EXPECT_EQ(best->numeric_formula, to_infix(best->expression, r.inputs));
    EXPECT_GT(best->r2, 1.0 - 1e-4);
    expect_numeric_form_is_the_named_one(*best, table, r.inputs.size());
}

}  // namespace

TEST(NamedConstants, PendulumPrintsStandardGravity) {
    for (double noise : {0.0, 1e-3}) {
        SCOPED_TRACE(noise);
        const Table table = law_table(
            "T", "s", {{"L", "m", 0.25, 2.0}}, [](const auto& x) { return 2 * kPi * std::sqrt(x[0] / kGn); }, noise, 1);
        expect_named_law("T", table, "2*pi*sqrt(L/g_n)", {"g_n"});
    }
}

TEST(NamedConstants, OrbitPrintsNewtonsConstant) {
    for (double noise : {0.0, 1e-3}) {
        SCOPED_TRACE(noise);
        const Table table = law_table(
            "T", "s", {{"M", "kg", 1e29, 1e31}, {"a", "m", 1e10, 1e12}},
            [](const auto& x) { return 2 * kPi * std::sqrt(x[1] * x[1] * x[1] / (kG * x[0])); }, noise, 2);
        expect_named_law("T", table, "2*pi*sqrt(a^3/(G*M))", {"G"});
    }
}

TEST(NamedConstants, RadiatorPrintsStefanBoltzmann) {
    for (double noise : {0.0, 1e-3}) {
        SCOPED_TRACE(noise);
        const Table table = law_table(
            "P", "W", {{"A", "m^2", 0.1, 2.0}, {"T", "K", 300.0, 1000.0}},
            [](const auto& x) { return kSigma * x[0] * std::pow(x[1], 4); }, noise, 3);
        expect_named_law("P", table, "sigma_SB*A*T^4", {"sigma_SB"});
    }
}

// P [kPa], V [L]: 1 kPa*L = 1 J, so the unit scales cancel and the law reads as written; the
// 0.05 carries the amount of gas (mol), which the table does not log.
TEST(NamedConstants, GasPistonInTableUnitsNamesR) {
    const Table table = law_table(
        "P", "kPa", {{"T", "K", 285.0, 385.0}, {"V", "L", 0.2, 0.85}},
        [](const auto& x) { return 0.05 * kR * x[0] / x[1]; }, 0.0, 4);
    const DiscoveryResult r = fit(table, "P");
    const FoundLaw* best = r.best_law();
    ASSERT_NE(best, nullptr);
    EXPECT_EQ(best->formula, "0.05*R*T/V");
    EXPECT_EQ(symbols(*best), std::vector<std::string>{"R"});
    expect_numeric_form_is_the_named_one(*best, table, r.inputs.size());
    bool carries = false;
    for (const std::string& note : r.notes) carries = carries || note.find("carries the unit mol") != std::string::npos;
    EXPECT_TRUE(carries);
}

// A column called c is the column: k = omega/c reads the column, and no constant is named.
TEST(NamedConstants, AColumnNamedLikeAConstantStaysTheColumn) {
    const Table table = law_table(
        "k", "1/m", {{"omega", "1/s", 1.0, 5.0}, {"c", "m/s", 1.0, 3.0}}, [](const auto& x) { return x[0] / x[1]; },
        0.0, 5);
    const DiscoveryResult r = fit(table, "k");
    const FoundLaw* best = r.best_law();
    ASSERT_NE(best, nullptr);
    EXPECT_EQ(best->formula, "omega/c");
    EXPECT_TRUE(best->named_constants.empty());
    EXPECT_TRUE(best->named_expression.empty());
    EXPECT_EQ(best->numeric_formula, best->formula);
    bool clash = false;
    for (const std::string& note : r.notes)
        clash = clash || note.find("the column c has the name of the unit system's constant c") != std::string::npos;
    EXPECT_TRUE(clash);
}

// Without the column, omega/c brings c in and names it.
TEST(NamedConstants, SpeedOfLightIsNamedWhenNotAColumn) {
    const Table table = law_table(
        "k", "1/m", {{"omega", "1/s", 1e8, 5e8}}, [](const auto& x) { return x[0] / 299792458.0; }, 0.0, 6);
    const DiscoveryResult r = fit(table, "k");
    ASSERT_NE(r.best_law(), nullptr);
    EXPECT_EQ(r.best_law()->formula, "omega/c");
    EXPECT_EQ(symbols(*r.best_law()), std::vector<std::string>{"c"});
}

TEST(NamedConstants, JsonGivesNamedAndNumericForms) {
    const Table table = law_table(
        "T", "s", {{"L", "m", 0.25, 2.0}}, [](const auto& x) { return 2 * kPi * std::sqrt(x[0] / kGn); }, 0.0, 7);
    const DiscoveryResult r = fit(table, "T");
    const nlohmann::json doc = api::result_json(r, "pendulum.csv", nlohmann::json::object());
    EXPECT_EQ(doc["schema_version"], 3);
    const nlohmann::json& best = doc["best"];
    EXPECT_EQ(best["formula"], "2*pi*sqrt(L/g_n)");
    EXPECT_EQ(best["numeric_formula"], "2*pi*sqrt(L/9.80665)");
    ASSERT_EQ(best["named_constants"].size(), 1u);
    EXPECT_EQ(best["named_constants"][0]["symbol"], "g_n");
    EXPECT_EQ(best["named_constants"][0]["value"], kGn);
    EXPECT_EQ(best["named_constants"][0]["unit"], "m*s^-2");
    EXPECT_EQ(best["named_constants"][0]["name"], "standard acceleration of gravity");
    // Every front member has the fields; one that names nothing prints its numeric form.
    for (const nlohmann::json& law : doc["front"]) {
        ASSERT_TRUE(law.contains("numeric_formula"));
        ASSERT_TRUE(law["named_constants"].is_array());
        if (law["named_constants"].empty()) {
            EXPECT_EQ(law["formula"], law["numeric_formula"]);
        }
    }
}

// A law with a dimensional constant of its own (no constant of the table completes U from I):
// the note says what the number carries, here a resistance in ohm = kg*m^2*s^-3*A^-2.
TEST(NamedConstants, ALawsOwnConstantCarriesItsUnit) {
    const Table table = law_table(
        "U", "V", {{"I", "A", 0.05, 1.5}}, [](const auto& x) { return 2.5 * x[0]; }, 0.0, 8);
    const DiscoveryResult r = fit(table, "U");
    ASSERT_NE(r.best_law(), nullptr);
    EXPECT_EQ(r.best_law()->formula, "2.5*I");
    EXPECT_TRUE(r.best_law()->named_constants.empty());
    bool carried = false;
    for (const std::string& note : r.notes)
        carried = carried || note == "the number 2.5 carries the unit kg*m^2*s^-3*A^-2";
    EXPECT_TRUE(carried);
}

// The relativistic mass: the search splits c over two numbers (0.25*m_0/sqrt(0.063 -
// 7e-19*v^2)); written with a leading 1 under the root, the one number left is 1/c^2.
TEST(NamedConstants, RelativisticMassNamesTheSpeedOfLight) {
    const Table table = law_table(
        "m", "kg", {{"m_0", "kg", 1.0, 5.0}, {"v", "m/s", 0.46e8, 0.92e8}},
        [](const auto& x) { return x[0] / std::sqrt(1 - x[1] * x[1] / (299792458.0 * 299792458.0)); }, 0.0, 9);
    const DiscoveryResult r = fit(table, "m");
    ASSERT_NE(r.best_law(), nullptr);
    EXPECT_EQ(r.best_law()->formula, "m_0/sqrt(1 - v^2/c^2)");
    EXPECT_EQ(symbols(*r.best_law()), std::vector<std::string>{"c"});
    expect_numeric_form_is_the_named_one(*r.best_law(), table, r.inputs.size());
}
