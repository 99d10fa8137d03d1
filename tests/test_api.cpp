// kepler::api::fit, the library entry point: unit texts resolved through a unit system (so the
// search runs with dimensional analysis), bad units and unit systems as one typed error with
// the CLI's message and position, screening decided as `kepler fit` decides it.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "cli_runner.hpp"
#include "kepler/api/fit.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/units/dimension_check.hpp"

using namespace kepler;
using kepler::testing::ScratchDir;

namespace {

// 300 rows of F = m*a with the given unit texts.
Table force_table(std::vector<std::string> units = {"N", "kg", "m/s^2"}) {
    Table table;
    table.names = {"F", "m", "a"};
    table.units = std::move(units);
    table.data.resize(300, 3);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    for (Eigen::Index r = 0; r < table.data.rows(); ++r) {
        const double m = u(rng), a = u(rng);
        table.data.row(r) << m * a, m, a;
    }
    return table;
}

api::FitRequest quick_request(const std::string& target) {
    api::FitRequest request;
    request.target = target;
    request.options.search.time_limit_seconds = 30;
    request.options.search.max_evaluations = 200000;
    request.options.search.threads = 2;
    return request;
}

// The InputError fit() throws for this table and request; fails the test if it throws none.
api::InputError fit_error(const Table& table, const api::FitRequest& request, std::string_view source = "table") {
    try {
        api::fit(table, request, source);
    } catch (const api::InputError& e) {
        return e;
    }
    ADD_FAILURE() << "expected an InputError";
    return api::InputError("none");
}

}  // namespace

TEST(Api, UnitTextsGiveADimensionallyConsistentLaw) {
    const Table table = force_table();
    const api::FitOutcome outcome = api::fit(table, quick_request("F"));
    const DiscoveryResult& result = outcome.discovery;
    EXPECT_TRUE(result.dimensional_analysis);
    EXPECT_EQ(result.unit_system, "si");
    EXPECT_FALSE(outcome.screened);  // two inputs: no screening
    const FoundLaw* law = result.best_law();
    ASSERT_NE(law, nullptr);
    EXPECT_TRUE(law->formula == "m*a" || law->formula == "a*m") << law->formula;

    // The law has the force's dimension, M L T^-2, in the system's own check.
    const UnitSystem si = grammar::load_unit_system("si");
    std::vector<Dimension> inputs;
    for (const std::string& name : result.inputs) {
        const std::size_t j = *table.column_index(name);
        inputs.push_back(grammar::parse_unit(table.units[j], si).dimension);
    }
    const Dimension force = grammar::parse_unit("N", si).dimension;
    EXPECT_EQ(dimension_of(law->expression, inputs, &si), force) << law->formula;
}

TEST(Api, WithoutUnitsOrWithUseUnitsOffTheSearchRunsWithoutDimensionalAnalysis) {
    const api::FitOutcome plain = api::fit(force_table({"", "", ""}), quick_request("F"));
    EXPECT_FALSE(plain.discovery.dimensional_analysis);

    api::FitRequest request = quick_request("F");
    request.use_units = false;
    EXPECT_FALSE(api::fit(force_table(), request).discovery.dimensional_analysis);
    // The unit texts are still checked.
    EXPECT_NE(std::string(fit_error(force_table({"N", "kg", "m/ss"}), request).what()).find("unknown unit 'ss'"),
              std::string::npos);
}

TEST(Api, BadUnitTextInAHandBuiltTableNamesTheColumnAndCharacter) {
    const api::InputError e = fit_error(force_table({"N", "kg", "m/ss"}), quick_request("F"));
    EXPECT_EQ(e.table_column(), "a");
    EXPECT_EQ(e.where().source, "unit of column 'a'");
    EXPECT_EQ(e.where().line, 1u);
    EXPECT_EQ(e.where().column, 3u);  // "ss" starts at the third character of "m/ss"
    EXPECT_EQ(std::string(e.what()).rfind("unit of column 'a':1:3: unknown unit 'ss'", 0), 0u) << e.what();
}

TEST(Api, BadUnitTextInACsvHeaderGivesTheCliMessageAndPosition) {
    ScratchDir dir("api-header");
    const std::string csv = dir.write("forces.csv", "F [N],m [kg],a [m/ss]\n2,1,2\n6,2,3\n");
    try {
        api::fit_csv(csv, quick_request("F"));
        FAIL() << "expected an InputError";
    } catch (const api::InputError& e) {
        // 'ss' is at column 19 of the header line: the text "m/ss" starts at 17.
        EXPECT_EQ(std::string(e.what()).rfind(csv + ":1:19: unknown unit 'ss'", 0), 0u) << e.what();
        EXPECT_EQ(e.where().source, csv);
        EXPECT_EQ(e.where().column, 19u);
        EXPECT_EQ(e.table_column(), "a");
    }
}

TEST(Api, UnknownUnitSystemIsAClearError) {
    api::FitRequest request = quick_request("F");
    request.units.system = "si-typo";
    const std::string message = fit_error(force_table(), request).what();
    EXPECT_NE(message.find("unknown unit system 'si-typo'; expected one of: si, si-angle, gaussian"), std::string::npos)
        << message;
}

TEST(Api, ColumnErrorsUseTheCliMessages) {
    EXPECT_STREQ(fit_error(force_table(), quick_request("G"), "forces.csv").what(),
                 "forces.csv:1:1: unknown target column 'G'; expected one of: F, m, a");
    api::FitRequest request = quick_request("F");
    request.inputs = {"m", "b"};
    EXPECT_EQ(fit_error(force_table(), request).table_column(), "b");

    const std::string missing = fit_error(force_table({"N", "kg", ""}), quick_request("F")).what();
    EXPECT_NE(missing.find("column 'a' has no unit while other columns have one"), std::string::npos) << missing;
}

TEST(Api, ScreeningFollowsTheRequest) {
    api::FitRequest request = quick_request("F");
    request.screening = api::Screening::on;
    const api::FitOutcome outcome = api::fit(force_table(), request);
    ASSERT_TRUE(outcome.screened);
    ASSERT_NE(outcome.discovery.best_law(), nullptr);
    EXPECT_TRUE(outcome.discovery.dimensional_analysis);
}

TEST(Api, ProgressReportsTheBestFormulaByColumnNames) {
    // No units and a law no quick fit makes, so the enumeration runs and reports.
    Table table = force_table({"", "", ""});
    for (Eigen::Index r = 0; r < table.data.rows(); ++r)
        table.data(r, 0) = table.data(r, 1) / (table.data(r, 1) + table.data(r, 2));
    api::FitRequest request = quick_request("F");
    request.options.search.progress_interval_seconds = 0.0;
    std::vector<std::string> seen;
    request.progress = [&](const api::FitProgress& p) {
        if (p.has_best) seen.push_back(p.best_formula);
    };
    const api::FitOutcome outcome = api::fit(table, request);
    ASSERT_FALSE(seen.empty());
    for (const std::string& formula : seen)  // over the column names, never x0 or Var indices
        EXPECT_NE(formula.find_first_of("ma"), std::string::npos) << formula;
    ASSERT_NE(outcome.discovery.best_law(), nullptr);
    EXPECT_EQ(seen.back(), outcome.discovery.best_law()->formula);
}
