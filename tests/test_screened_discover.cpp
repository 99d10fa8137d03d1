// Discovery on a wide table: screening, then the search over the proposed subsets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "kepler/core/evaluator.hpp"
#include "kepler/pipeline/screened_discover.hpp"
#include "test_screen_tables.hpp"

using namespace kepler;
using kepler::testing::si_units;
using kepler::testing::wide_table;
using kepler::testing::WideTableSpec;

namespace {

ScreenedDiscoverOptions quick_options(const Table& t) {
    ScreenedDiscoverOptions o;
    o.discover.units = si_units(t);
    o.discover.search.time_limit_seconds = 20;
    o.discover.search.max_evaluations = 20000;  // the law of 3 channels needs a few thousand
    o.discover.search.threads = 2;
    return o;
}

// Largest relative difference between the law and y = x3*x7/x12 on the table's complete rows.
double relative_error_to_truth(const Table& t, const ScreenedDiscoveryResult& r) {
    const FoundLaw* law = r.discovery.best_law();
    if (!law) return INFINITY;
    std::vector<Eigen::Index> columns;
    for (const auto& name : r.discovery.inputs) columns.push_back(static_cast<Eigen::Index>(*t.column_index(name)));
    const auto x3 = static_cast<Eigen::Index>(*t.column_index("x3"));
    const auto x7 = static_cast<Eigen::Index>(*t.column_index("x7"));
    const auto x12 = static_cast<Eigen::Index>(*t.column_index("x12"));
    std::vector<Eigen::Index> rows;
    for (Eigen::Index i = 0; i < t.data.rows(); ++i)
        if (t.data.row(i).allFinite()) rows.push_back(i);
    Eigen::MatrixXd X(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(columns.size()));
    Eigen::VectorXd truth(X.rows());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (std::size_t c = 0; c < columns.size(); ++c)
            X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = t.data(rows[i], columns[c]);
        truth(static_cast<Eigen::Index>(i)) = t.data(rows[i], x3) * t.data(rows[i], x7) / t.data(rows[i], x12);
    }
    Evaluator evaluate;
    const Eigen::VectorXd found = evaluate(law->expression, X);
    return ((found - truth).array().abs() / truth.array().abs()).maxCoeff();
}

}  // namespace

TEST(ScreenedDiscover, RecoversTheLawFromTheRightChannelsOnly) {
    const Table t = wide_table();
    const ScreenedDiscoveryResult r = screened_discover(t, "y", quick_options(t));
    EXPECT_EQ(std::set<std::string>(r.discovery.inputs.begin(), r.discovery.inputs.end()),
              (std::set<std::string>{"x3", "x7", "x12"}));
    ASSERT_NE(r.discovery.best_law(), nullptr);
    // 1% noise: the law agrees with the truth to well within the noise.
    EXPECT_LT(relative_error_to_truth(t, r), 5e-3) << r.discovery.best_law()->formula;
    EXPECT_LE(r.discovery.evaluations, 20000u);
    ASSERT_FALSE(r.attempts.empty());
    EXPECT_EQ(r.chosen, 0u);
    // The redundant copy of x3 and the duplicate of x7 are reported as interchangeable.
    std::set<std::string> interchangeable;
    for (const auto& [used, others] : r.interchangeable)
        for (const auto& o : others) interchangeable.insert(used + "~" + o);
    EXPECT_EQ(interchangeable, (std::set<std::string>{"x3~x30", "x7~x25"}));
}

TEST(ScreenedDiscover, StopsAfterTheFirstSubsetWhenItsLawIsExact) {
    WideTableSpec spec;
    spec.noise = 0.0;
    spec.rows = 600;
    const Table t = wide_table(spec);
    const ScreenedDiscoveryResult r = screened_discover(t, "y", quick_options(t));
    ASSERT_NE(r.discovery.best_law(), nullptr);
    EXPECT_EQ(r.discovery.best_law()->formula, "x3*x7/x12");
    ASSERT_GE(r.attempts.size(), 2u);
    EXPECT_NE(r.attempts[0].outcome.find("exact"), std::string::npos) << r.attempts[0].outcome;
    for (std::size_t i = 1; i < r.attempts.size(); ++i) {
        EXPECT_EQ(r.attempts[i].evaluations, 0u);
        EXPECT_NE(r.attempts[i].outcome.find("not tried"), std::string::npos) << r.attempts[i].outcome;
    }
}

TEST(ScreenedDiscover, CandidatesAreTheNamedInputsOrAllButTargetAndTime) {
    Table t = wide_table({.rows = 100});
    t.roles.assign(t.columns(), ColumnRole::Measurement);
    t.roles[5] = ColumnRole::Timestamp;
    const std::vector<std::size_t> all = candidate_columns(t, 0, {});
    EXPECT_EQ(all.size(), t.columns() - 2);
    EXPECT_EQ(std::count(all.begin(), all.end(), 5u), 0);
    EXPECT_EQ(candidate_columns(t, 0, {"x3", "x7"}), (std::vector<std::size_t>{4, 8}));
    EXPECT_THROW(candidate_columns(t, 0, {"nope"}), std::invalid_argument);
    EXPECT_THROW(candidate_columns(t, 0, {"y"}), std::invalid_argument);
    EXPECT_FALSE(screening_by_default(8));
    EXPECT_TRUE(screening_by_default(9));
}

TEST(ScreenedDiscover, TooFewRowsToScreenSearchesEveryCandidate) {
    Table t = wide_table({.rows = 20, .gaps = false});
    ScreenedDiscoverOptions o = quick_options(t);
    o.discover.search.max_evaluations = 2000;
    o.discover.inputs = {"x3", "x7", "x12", "x20"};
    const ScreenedDiscoveryResult r = screened_discover(t, "y", o);
    EXPECT_EQ(r.discovery.inputs, (std::vector<std::string>{"x3", "x7", "x12", "x20"}));
    ASSERT_FALSE(r.screening.notes.empty());
    EXPECT_NE(r.screening.notes.front().find("not screened"), std::string::npos) << r.screening.notes.front();
    ASSERT_EQ(r.attempts.size(), 1u);
}
