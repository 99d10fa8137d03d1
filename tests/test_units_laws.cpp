// The units issue end to end: tables with units in their headers, `kepler fit` with a unit
// system, and the law found in each system as a physicist writes it there.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>

#include "cli_runner.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "uniform_table.hpp"

using namespace kepler;
using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

namespace {

datasets::InputRange in(std::string name, double low, double high, std::string unit) {
    return {std::move(name), low, high, std::move(unit)};
}

struct Fit {
    nlohmann::json result;
    std::string output;
};

// Writes the law's table (1000 noiseless rows), runs `kepler fit` on it and returns the JSON result.
Fit fit(const ScratchDir& dir, const std::string& name, const std::string& target, const std::string& target_unit,
        const std::string& truth, std::vector<datasets::InputRange> inputs, const std::string& extra = "") {
    std::vector<std::string> names;
    for (const auto& i : inputs) names.push_back(i.name);
    datasets::LawSpec spec{target, target_unit, grammar::parse_formula(truth, names), std::move(inputs)};
    const std::string csv = dir.write(name + ".csv", datasets::to_csv(datasets::uniform_table(spec, 1000, 3)));
    const std::string json = dir.path(name + ".json");
    auto r = run_kepler("fit " + csv + " --target " + target + " --time-limit 60 --json " + json + " " + extra);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::ifstream file(json);
    Fit out;
    out.output = r.output;
    if (file) out.result = nlohmann::json::parse(file);
    return out;
}

// The found formula agrees with `truth` on fresh points to 1e-6 relative.
void expect_same_law(const nlohmann::json& result, const std::string& truth,
                     const std::vector<datasets::InputRange>& inputs) {
    ASSERT_TRUE(result["best"].is_object()) << result.dump(2);
    std::vector<std::string> names = result["inputs"].get<std::vector<std::string>>();
    // The numeric form: "formula" may name constants of the unit system, which are no columns.
    Expression found = grammar::parse_formula(result["best"]["numeric_formula"].get<std::string>(), names);
    Expression expected = grammar::parse_formula(truth, names);
    datasets::LawSpec spec{"y", "", expected, inputs};
    Table fresh = datasets::uniform_table(spec, 500, 99);
    Eigen::MatrixXd X = fresh.data.rightCols(static_cast<Eigen::Index>(inputs.size()));
    Eigen::VectorXd a = Evaluator{}(found, X), b = fresh.data.col(0);
    EXPECT_LE(((a - b).array().abs() / b.array().abs()).maxCoeff(), 1e-6) << result["best"]["formula"];
}

}  // namespace

TEST(UnitsLaws, CoulombInGaussianUnitsHasNoConstant) {
    ScratchDir dir("coulomb-gaussian");
    std::vector<datasets::InputRange> inputs{in("q1", 1, 5, "statC"), in("q2", 1, 5, "statC"), in("r", 1, 5, "cm")};
    Fit f = fit(dir, "coulomb", "F", "dyn", "q1*q2/r^2", inputs, "--unit-system gaussian");
    EXPECT_EQ(f.result["best"]["formula"], "q1*q2/r^2") << f.output;
    EXPECT_TRUE(f.result["constants_introduced"].empty());
    EXPECT_EQ(f.result["unit_system"], "gaussian");
    EXPECT_EQ(f.result["dimensionless_groups"].size(), 1u);
}

TEST(UnitsLaws, CoulombInSiUnitsBringsInTheVacuumPermittivity) {
    ScratchDir dir("coulomb-si");
    std::vector<datasets::InputRange> inputs{in("q1", 1e-6, 5e-6, "C"), in("q2", 1e-6, 5e-6, "C"),
                                             in("r", 0.1, 1, "m")};
    const std::string truth = "q1*q2/(4*pi*8.8541878128e-12*r^2)";
    Fit f = fit(dir, "coulomb", "F", "N", truth, inputs);
    expect_same_law(f.result, truth, inputs);
    const std::string formula = f.result["best"]["formula"];
    EXPECT_EQ(formula, "q1*q2/(4*pi*eps0*r^2)") << formula;
    ASSERT_EQ(f.result["constants_introduced"].size(), 1u) << f.output;
    EXPECT_EQ(f.result["constants_introduced"][0].get<std::string>().rfind("eps0 = ", 0), 0u) << f.output;
}

TEST(UnitsLaws, PendulumWithoutGravityReportsTheConstantItBroughtIn) {
    ScratchDir dir("pendulum");
    const double g = 9.80665;
    std::vector<datasets::InputRange> inputs{in("L", 0.2, 2.0, "m")};
    const std::string truth = "2*pi*sqrt(L/" + std::to_string(g) + ")";
    Fit f = fit(dir, "pendulum", "T", "s", truth, inputs);
    expect_same_law(f.result, truth, inputs);
    const std::string formula = f.result["best"]["formula"];
    // The law names the constant it brought in (README "Named constants"); the numeric form
    // has its value.
    EXPECT_EQ(formula, "2*pi*sqrt(L/g_n)") << formula;
    EXPECT_EQ(f.result["best"]["numeric_formula"], "2*pi*sqrt(L/9.80665)") << f.output;
    ASSERT_EQ(f.result["constants_introduced"].size(), 1u) << f.output;
    EXPECT_EQ(f.result["constants_introduced"][0].get<std::string>().rfind("g_n = ", 0), 0u) << f.output;
}

TEST(UnitsLaws, NaturalUnitsEnergyMomentumRelation) {
    ScratchDir dir("natural");
    std::vector<datasets::InputRange> inputs{in("m", 0.1, 1.0, "GeV"), in("p", 0.1, 2.0, "GeV")};
    Fit f = fit(dir, "dispersion", "E", "GeV", "sqrt(m^2 + p^2)", inputs, "--unit-system natural");
    expect_same_law(f.result, "sqrt(m^2 + p^2)", inputs);
    EXPECT_TRUE(f.result["constants_introduced"].empty());
}

TEST(UnitsLaws, LawIsStatedInTheTablesOwnUnits) {
    // Distance in km from a speed in km/h and a time in minutes: d = v*t/60.
    ScratchDir dir("scales");
    std::vector<datasets::InputRange> inputs{in("v", 10, 100, "km/h"), in("t", 1, 60, "min")};
    Fit f = fit(dir, "trip", "d", "km", "v*t/60", inputs);
    expect_same_law(f.result, "v*t/60", inputs);
    EXPECT_EQ(f.result["scales_absorbed"].size(), 3u) << f.output;
}

TEST(UnitsLaws, TableWithoutUnitsStillWorksWithANote) {
    auto r = run_kepler("fit " + std::string(KEPLER_SOURCE_DIR) +
                        "/datasets/examples/forces.csv --target F --time-limit 10");
    ASSERT_EQ(r.exit_code, 0);
    ScratchDir dir("nounits");
    std::string csv = dir.write("plain.csv", "F,m,a\n2,1,2\n6,2,3\n12,3,4\n20,4,5\n1.5,0.5,3\n");
    auto plain = run_kepler("fit " + csv + " --target F --time-limit 10");
    ASSERT_EQ(plain.exit_code, 0) << plain.output;
    EXPECT_NE(plain.output.find("note: no units: dimensional analysis is off"), std::string::npos) << plain.output;
    EXPECT_NE(plain.output.find("best: F = m*a"), std::string::npos) << plain.output;
}

// ---- bad input: a clear error and exit code 2, never a silent fall-back to no units ----

TEST(UnitsErrors, UnknownUnitInTheHeader) {
    ScratchDir dir("unknown-unit");
    std::string csv = dir.write("t.csv", "F [N],m [kg],a [furlong]\n1,1,1\n");
    auto r = run_kepler("fit " + csv + " --target F");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find(csv + ":1:17: unknown unit 'furlong'"), std::string::npos) << r.output;
}

TEST(UnitsErrors, HeaderUnitThatDoesNotParse) {
    ScratchDir dir("bad-unit");
    std::string csv = dir.write("t.csv", "F [N],m [kg],a [m/s^]\n1,1,1\n");
    auto r = run_kepler("fit " + csv + " --target F");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find(csv + ":1:"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("expected an exponent"), std::string::npos) << r.output;
}

TEST(UnitsErrors, MalformedUnitSystemFile) {
    ScratchDir dir("bad-system");
    std::string units = dir.write("my.units", "system mine\nbase L length m\nunit km = 1000 furlong\n");
    auto r = run_kepler("units km --unit-system " + units);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find(units + ":3:"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("furlong"), std::string::npos) << r.output;
}

TEST(UnitsErrors, AColumnWithTwoUnits) {
    ScratchDir dir("two-units");
    std::string csv = dir.write("t.csv", "v [m/s],t [s],d [m]\n1,1,1\n");
    std::string side = dir.write("u.txt", "v [km/h]\n");
    auto r = run_kepler("fit " + csv + " --target d --units " + side);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("column 'v' has two units"), std::string::npos) << r.output;
}

TEST(UnitsErrors, SomeColumnsWithoutUnits) {
    ScratchDir dir("partial");
    std::string csv = dir.write("t.csv", "F [N],m [kg],a\n1,1,1\n");
    auto r = run_kepler("fit " + csv + " --target F");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("column 'a' has no unit"), std::string::npos) << r.output;
}

TEST(UnitsErrors, UnitsFromASideFile) {
    ScratchDir dir("side");
    std::string csv = dir.write("t.csv", "F,m,a\n2,1,2\n6,2,3\n12,3,4\n20,4,5\n");
    std::string side = dir.write("u.txt", "# units\nF [N]\nm [kg]\na [m/s^2]\n");
    auto r = run_kepler("fit " + csv + " --target F --units " + side + " --time-limit 10");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("units: si"), std::string::npos) << r.output;
    std::string bad = dir.write("bad.txt", "F [N]\nm [kilogramme]\n");
    auto e = run_kepler("fit " + csv + " --target F --units " + bad);
    EXPECT_EQ(e.exit_code, 2);
    EXPECT_NE(e.output.find(bad + ":2:4: unknown unit 'kilogramme'"), std::string::npos) << e.output;
}

TEST(UnitsCli, DimensionOfAUnitExpression) {
    auto r = run_kepler("units statC --unit-system gaussian");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.substr(0, r.output.find('\n')), "M^1/2 L^3/2 T^-1");
    auto n = run_kepler("units \"kg*m/s^2\"");
    EXPECT_EQ(n.output.substr(0, n.output.find('\n')), "M L T^-2");
    auto k = run_kepler("units km/h");
    EXPECT_NE(k.output.find("km/h = 0.2777777777777778 m*s^-1"), std::string::npos) << k.output;
}

TEST(UnitsCli, GroupsOfATable) {
    auto r =
        run_kepler("units --groups " + std::string(KEPLER_SOURCE_DIR) + "/datasets/examples/ideal_gas.csv --target P");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("rank of the inputs' dimension matrix: 3"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("R (molar gas constant)"), std::string::npos) << r.output;
}
