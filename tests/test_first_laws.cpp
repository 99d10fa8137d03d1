// The foundation's acceptance cases: `discover` (what `kepler fit` runs) recovers each law
// from 1,000 noiseless rows with inputs uniform in [1, 5], exactly up to constant values.
// "Exactly" is checked on the printed formula, read back with the grammar and evaluated on
// fresh points: it must agree with the truth to 1e-6 relative.
#include <gtest/gtest.h>

#include <random>

#include "kepler/core/evaluator.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/pipeline/discover.hpp"
#include "uniform_table.hpp"

using namespace kepler;

namespace {

datasets::InputRange in(std::string name, double low = 1.0, double high = 5.0) {
    return {std::move(name), low, high, ""};
}

struct LawCase {
    std::string name;
    std::string target;
    std::string truth;  // in the project's formula syntax
    std::vector<datasets::InputRange> inputs;
};

std::vector<std::string> input_names(const LawCase& c) {
    std::vector<std::string> names;
    for (const auto& in : c.inputs) names.push_back(in.name);
    return names;
}

void expect_recovered(const LawCase& c) {
    const auto names = input_names(c);
    datasets::LawSpec spec{c.target, "", grammar::parse_formula(c.truth, names), c.inputs};
    Table table = datasets::uniform_table(spec, 1000, 11);

    DiscoverOptions options;
    options.search.time_limit_seconds = 60;
    DiscoveryResult result = discover(table, c.target, options);
    const FoundLaw* best = result.best_law();
    ASSERT_NE(best, nullptr) << c.name;
    SCOPED_TRACE(c.name + ": found " + c.target + " = " + best->formula + " in " + std::to_string(result.seconds) +
                 " s");
    EXPECT_LT(result.seconds, 60.0);

    // Fresh points from the same ranges, never seen by the search.
    Table fresh = datasets::uniform_table(spec, 2000, 12345);
    Eigen::MatrixXd X = fresh.data.rightCols(static_cast<Eigen::Index>(names.size()));
    Expression found = grammar::parse_formula(best->numeric_formula, result.inputs);
    Eigen::VectorXd predicted = Evaluator{}(found, X);
    Eigen::VectorXd truth = fresh.data.col(0);
    double worst = ((predicted - truth).array().abs() / truth.array().abs()).maxCoeff();
    EXPECT_LE(worst, 1e-6);
}

}  // namespace

TEST(FirstLaws, NewtonsSecondLaw) { expect_recovered({"F = m*a", "F", "m*a", {in("m"), in("a")}}); }

TEST(FirstLaws, MassEnergy) { expect_recovered({"E = m*c^2", "E", "m*c^2", {in("m"), in("c")}}); }

TEST(FirstLaws, ProductOverSquare) {
    expect_recovered({"y = x1*x2/x3^2", "y", "x1*x2/x3^2", {in("x1"), in("x2"), in("x3")}});
}

TEST(FirstLaws, PendulumPeriod) {
    expect_recovered({"T = 6.2832*sqrt(L/g)", "T", "6.2832*sqrt(L/g)", {in("L"), in("g")}});
}

TEST(FirstLaws, RatioOfSum) {
    expect_recovered({"y = x1/(x2+x3)", "y", "x1/(x2 + x3)", {in("x1"), in("x2"), in("x3")}});
}

TEST(FirstLaws, LorentzFactor) {
    expect_recovered({"n = 1/sqrt(1 - v^2/c^2)", "n", "1/sqrt(1 - v^2/c^2)", {in("v", 0.1, 0.9), in("c", 1.0, 2.0)}});
}
