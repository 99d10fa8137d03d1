// Screening of wide logs: constant, duplicate and redundant channels, relevance ranking,
// candidate subsets and the units check.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <set>

#include "kepler/screen/relevance.hpp"
#include "kepler/screen/screen.hpp"
#include "kepler/screen/unit_feasibility.hpp"
#include "test_screen_tables.hpp"

using namespace kepler;
using kepler::testing::all_but;
using kepler::testing::si_units;
using kepler::testing::wide_table;
using kepler::testing::WideTableSpec;

namespace {

std::set<std::string> names_of(const Table& t, const std::vector<std::size_t>& columns) {
    std::set<std::string> s;
    for (std::size_t c : columns) s.insert(t.names[c]);
    return s;
}

const ChannelScreen& channel(const Table& t, const ScreenReport& r, const std::string& name) {
    const ChannelScreen* c = r.channel(*t.column_index(name));
    if (!c) throw std::runtime_error(std::string("no channel ") + name);
    return *c;
}

// One screening of the standard wide table, shared by the tests that only read it.
const std::pair<Table, ScreenReport>& standard_screening() {
    static const std::pair<Table, ScreenReport> result = [] {
        Table t = wide_table();
        ScreenReport r = screen_channels(t, 0, all_but(t, 0), si_units(t));
        return std::make_pair(std::move(t), std::move(r));
    }();
    return result;
}

Dimension dim(const UnitSystem& s, const char* unit) { return grammar::parse_unit(unit, s).dimension; }

}  // namespace

TEST(Screen, ConstantAndDuplicateChannelsAreDroppedWithTheirReason) {
    const auto& [t, r] = standard_screening();
    const ChannelScreen& constant = channel(t, r, "x0");
    EXPECT_EQ(constant.verdict, ChannelVerdict::Constant);
    EXPECT_NE(constant.reason.find("constant"), std::string::npos) << constant.reason;
    const ChannelScreen& duplicate = channel(t, r, "x25");
    EXPECT_EQ(duplicate.verdict, ChannelVerdict::Duplicate) << duplicate.reason;
    ASSERT_TRUE(duplicate.same_as.has_value());
    EXPECT_EQ(t.names[*duplicate.same_as], "x7");
    EXPECT_NE(duplicate.reason.find("duplicate of x7"), std::string::npos) << duplicate.reason;
    EXPECT_EQ(channel(t, r, "x7").verdict, ChannelVerdict::Kept);
    // Neither is ranked or proposed.
    for (const ChannelSubset& s : r.subsets) {
        EXPECT_EQ(names_of(t, s.columns).count("x0"), 0u);
        EXPECT_EQ(names_of(t, s.columns).count("x25"), 0u);
    }
}

TEST(Screen, TheLawsChannelsRankOnTop) {
    const auto& [t, r] = standard_screening();
    const std::vector<std::size_t> ranking = r.ranking();
    ASSERT_GE(ranking.size(), 3u);
    EXPECT_EQ(names_of(t, {ranking[0], ranking[1], ranking[2]}), (std::set<std::string>{"x3", "x7", "x12"}));
    // The power law in log space takes them in with their exponents.
    EXPECT_TRUE(r.power_law_fitted);
    EXPECT_NEAR(channel(t, r, "x7").exponent, 1.0, 0.05);
    EXPECT_NEAR(channel(t, r, "x12").exponent, -1.0, 0.05);
    // An independent channel scores near zero.
    EXPECT_LT(channel(t, r, "x20").relevance, 0.02) << channel(t, r, "x20").reason;
}

TEST(Screen, TheFirstSubsetIsTheLawsAndSaysWhy) {
    const auto& [t, r] = standard_screening();
    ASSERT_FALSE(r.subsets.empty());
    const ChannelSubset& first = r.subsets.front();
    EXPECT_EQ(names_of(t, first.columns), (std::set<std::string>{"x3", "x7", "x12"})) << first.reason;
    EXPECT_GT(first.power_law_r2, 0.999);
    EXPECT_TRUE(first.units_checked);
    EXPECT_TRUE(first.constants.empty());
    EXPECT_NE(first.reason.find("units: they make the unit of y"), std::string::npos) << first.reason;
    EXPECT_LE(r.subsets.size(), 5u);
    for (std::size_t i = 1; i < r.subsets.size(); ++i) EXPECT_GE(r.subsets[i].delta_bic, 0.0);
}

TEST(Screen, ARedundantReadingIsInterchangeableWithItsRepresentative) {
    const auto& [t, r] = standard_screening();
    // x30 is x3 with 0.5% noise; x3 has gaps, but explains the target better where both read.
    const ChannelScreen& copy = channel(t, r, "x30");
    EXPECT_EQ(copy.verdict, ChannelVerdict::Interchangeable) << copy.reason;
    ASSERT_TRUE(copy.same_as.has_value());
    EXPECT_EQ(t.names[*copy.same_as], "x3");
    EXPECT_EQ(names_of(t, r.interchangeable_with(*t.column_index("x3"))), (std::set<std::string>{"x30"}));
    // The duplicate of x7 is in x7's group too.
    EXPECT_EQ(names_of(t, r.interchangeable_with(*t.column_index("x7"))), (std::set<std::string>{"x25"}));
    // Correlated distractors are not readings of the law's quantities.
    EXPECT_EQ(channel(t, r, "x15").verdict, ChannelVerdict::Kept);
    EXPECT_EQ(channel(t, r, "x16").verdict, ChannelVerdict::Kept);
}

TEST(Screen, ReportsTheInteractionScoresOfTheShortList) {
    const auto& [t, r] = standard_screening();
    ASSERT_TRUE(r.interaction_scored) << (r.notes.empty() ? "" : r.notes.front());
    // The surrogate credits the law's channels, not the distractor following x3.
    EXPECT_GT(channel(t, r, "x3").interaction, 0.15);
    EXPECT_GT(channel(t, r, "x12").interaction, 0.15);
    if (std::isfinite(channel(t, r, "x15").interaction)) {
        EXPECT_LT(channel(t, r, "x15").interaction, 0.1);
    }
}

TEST(Screen, AChannelWhoseUnitCannotEnterIsReplacedByAnInterchangeableReading) {
    // x1 [K] = 50*x7 [m]: the data cannot tell them apart (a pure change of scale), so the earlier
    // column, x1, is kept; but kelvin makes watts with newtons and seconds only through a
    // constant (sigma_SB), and metres need none, so the subset uses x7.
    WideTableSpec spec;
    spec.kelvin_copy_of_x7 = true;
    const Table t = wide_table(spec);
    const ScreenReport r = screen_channels(t, 0, all_but(t, 0), si_units(t));
    EXPECT_EQ(channel(t, r, "x7").verdict, ChannelVerdict::Duplicate) << channel(t, r, "x7").reason;
    ASSERT_FALSE(r.subsets.empty());
    const ChannelSubset& first = r.subsets.front();
    EXPECT_EQ(names_of(t, first.columns), (std::set<std::string>{"x3", "x7", "x12"})) << first.reason;
    ASSERT_EQ(first.substitutions.size(), 1u);
    EXPECT_NE(first.substitutions[0].find("x7 for x1"), std::string::npos) << first.substitutions[0];
}

TEST(Screen, OfTwoExactCopiesTheOneTheLawUsesIsKeptDespiteMoreGaps) {
    // x2 = 6 - x7, like a winch position against the length it sets: an exact copy up to scale
    // and offset with fewer gaps, but the law y = x3*x7/x12 needs no offset with x7.
    WideTableSpec spec;
    spec.winch_copy_of_x7 = true;
    const Table t = wide_table(spec);
    const ScreenReport r = screen_channels(t, 0, all_but(t, 0), si_units(t));
    EXPECT_EQ(channel(t, r, "x7").verdict, ChannelVerdict::Kept);
    const ChannelScreen& winch = channel(t, r, "x2");
    EXPECT_EQ(winch.verdict, ChannelVerdict::Duplicate) << winch.reason;
    EXPECT_NE(winch.reason.find("explains the target better"), std::string::npos) << winch.reason;
    EXPECT_LT(channel(t, r, "x2").gaps, channel(t, r, "x7").gaps);
    ASSERT_FALSE(r.subsets.empty());
    EXPECT_EQ(names_of(t, r.subsets.front().columns), (std::set<std::string>{"x3", "x7", "x12"}));
}

TEST(Screen, WithoutUnitsTheDataAloneChooseTheSubset) {
    const Table t = wide_table();
    const ScreenReport r = screen_channels(t, 0, all_but(t, 0), std::nullopt);
    ASSERT_FALSE(r.subsets.empty());
    EXPECT_EQ(names_of(t, r.subsets.front().columns), (std::set<std::string>{"x3", "x7", "x12"}));
    EXPECT_FALSE(r.subsets.front().units_checked);
}

TEST(Screen, BadArgumentsAreErrors) {
    const Table t = wide_table();
    EXPECT_THROW(screen_channels(t, 99, {1, 2}, std::nullopt), std::invalid_argument);
    EXPECT_THROW(screen_channels(t, 0, {0, 1}, std::nullopt), std::invalid_argument);
    Table few = t;
    few.data.conservativeResize(10, Eigen::NoChange);
    EXPECT_THROW(screen_channels(few, 0, {1, 2}, std::nullopt), std::invalid_argument);
}

TEST(UnitFeasibility, ChannelsThatMakeTheTargetsUnit) {
    const UnitSystem si = grammar::load_unit_system("si");
    const std::vector<Dimension> power_inputs{dim(si, "N"), dim(si, "m"), dim(si, "s")};
    const UnitFeasibility ok = check_unit_feasibility(power_inputs, dim(si, "W"), si);
    EXPECT_TRUE(ok.feasible);
    EXPECT_TRUE(ok.constants.empty());

    // Kelvin among newtons and seconds makes watts only with a constant (F^2/(sigma_SB*T^4*t^2)):
    // feasible, but not without one.
    const std::vector<Dimension> kelvin{dim(si, "N"), dim(si, "K"), dim(si, "s")};
    const UnitFeasibility with_constant = check_unit_feasibility(kelvin, dim(si, "W"), si);
    EXPECT_TRUE(with_constant.feasible);
    EXPECT_FALSE(with_constant.constants.empty());

    // No constant of the table mentions the candela: a luminous intensity cannot enter a law for
    // a power, though the force alone makes watts with c (F*c).
    const std::vector<Dimension> candela{dim(si, "N"), dim(si, "cd")};
    const UnitFeasibility bad = check_unit_feasibility(candela, dim(si, "W"), si);
    EXPECT_FALSE(bad.feasible);
    EXPECT_TRUE(bad.target_reachable);
    EXPECT_EQ(bad.unusable, (std::vector<std::size_t>{1}));

    // A pendulum's length gives its period only with a constant: g_n completes it.
    const std::vector<Dimension> length{dim(si, "m")};
    const UnitFeasibility pendulum = check_unit_feasibility(length, dim(si, "s"), si);
    EXPECT_TRUE(pendulum.feasible);
    std::set<std::string> constants;
    for (const PhysicalConstant* c : pendulum.constants) constants.insert(c->symbol);
    EXPECT_EQ(constants.count("g_n"), 1u);

    // Amperes cannot give kilograms, with or without one constant that mentions neither.
    const std::vector<Dimension> current{dim(si, "A")};
    const UnitFeasibility none = check_unit_feasibility(current, dim(si, "mol"), si);
    EXPECT_FALSE(none.feasible);
}

TEST(Relevance, CorrelationRatioSeesNonMonotoneDependence) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0.0, 2.0 * std::numbers::pi);
    const Eigen::Index n = 2000;
    Eigen::VectorXd x(n), noise(n), y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        x(i) = u(rng);
        noise(i) = u(rng);
        y(i) = std::sin(x(i)) + 0.01 * std::cos(7.0 * noise(i));
    }
    const Eigen::VectorXd ranks = average_ranks(y);
    EXPECT_GT(correlation_ratio(x, ranks), 0.9);
    EXPECT_LT(correlation_ratio(noise, ranks), 0.02);
    // Missing values cost only their rows.
    x(5) = std::numeric_limits<double>::quiet_NaN();
    EXPECT_GT(correlation_ratio(x, ranks), 0.9);
}

TEST(Relevance, StepwisePowerLawStopsAtTheLawsChannels) {
    std::mt19937_64 rng(4);
    std::uniform_real_distribution<double> u(1.0, 4.0);
    const Eigen::Index n = 1000;
    Eigen::MatrixXd X(n, 6);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < X.cols(); ++j) X(i, j) = u(rng);
        y(i) = X(i, 4) * X(i, 4) / std::sqrt(X(i, 1));
    }
    const PowerLawSelection s = select_power_law(X, y);
    ASSERT_TRUE(s.fitted);
    ASSERT_EQ(s.steps.size(), 2u);
    EXPECT_EQ(s.steps[0].column, 4u);
    EXPECT_EQ(s.steps[1].column, 1u);
    EXPECT_NEAR(s.exponents[0], 2.0, 1e-9);
    EXPECT_NEAR(s.exponents[1], -0.5, 1e-9);
    EXPECT_NEAR(s.r2, 1.0, 1e-12);
    // A target taking both signs has no logarithm: no power-law scores, and the reason.
    y(0) = -1.0;
    const PowerLawSelection none = select_power_law(X, y);
    EXPECT_FALSE(none.fitted);
    EXPECT_FALSE(none.why_not.empty());
}
