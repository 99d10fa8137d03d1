// The evolutionary search (evolution.hpp): it reaches formulas the enumerator cannot, keeps
// dimensions, is reproducible under an evaluation budget, stops when told to, and discover()
// runs it with the time the enumeration leaves.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/search/evolution.hpp"
#include "kepler/units/dimension_check.hpp"
#include "random_inputs.hpp"

using namespace kepler;

namespace {

Eigen::MatrixXd uniform_inputs(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed, double low = 1.0,
                               double high = 5.0) {
    return kepler::testing::uniform_matrix(rows, cols, low, high, seed);
}

// x0*x1 + x2*x3^2: 9 nodes, beyond an enumeration of 5.
Eigen::VectorXd sum_of_products(const Eigen::MatrixXd& X) {
    return (X.col(0).array() * X.col(1).array() + X.col(2).array() * X.col(3).array().square()).matrix();
}

std::vector<Expression> front_formulas(const SearchReport& r) {
    std::vector<Expression> out;
    for (const Candidate& c : r.front.members()) out.push_back(c.expression);
    return out;
}

double worst_relative_error(const Expression& e, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    const Eigen::VectorXd predicted = Evaluator{}(e, X);
    return ((predicted - y).array().abs() / y.array().abs()).maxCoeff();
}

}  // namespace

TEST(Evolution, FindsAFormulaBeyondTheEnumeratorsReach) {
    const Eigen::MatrixXd X = uniform_inputs(500, 4, 11);
    const Eigen::VectorXd y = sum_of_products(X);
    SearchOptions options;
    options.max_nodes = 5;
    options.threads = 2;
    const SearchReport enumerated = enumerate_search(X, y, options);
    ASSERT_FALSE(enumerated.exact) << "the enumerator should not reach 9 nodes with max_nodes = 5";

    options.max_evaluations = 5'000'000;
    const SearchReport evolved = evolve_search(X, y, options, front_formulas(enumerated));
    ASSERT_FALSE(evolved.front.empty());
    EXPECT_TRUE(evolved.exact);
    EXPECT_LE(evolved.evaluations, options.max_evaluations);
    const Candidate& best = evolved.front.best();
    EXPECT_LE(best.rmse, 1e-12 * std::sqrt(y.squaredNorm() / double(y.size()))) << to_infix(best.expression, {});
    // Exact on fresh points too: the law itself, not a fit of these rows.
    const Eigen::MatrixXd fresh = uniform_inputs(200, 4, 12, 0.5, 8.0);
    EXPECT_LE(worst_relative_error(best.expression, fresh, sum_of_products(fresh)), 1e-9)
        << to_infix(best.expression, {});
}

TEST(Evolution, SameSeedGivesTheSameFrontWhateverTheThreadCount) {
    // A target no small formula fits exactly, so the search runs until the budget.
    const Eigen::MatrixXd X = uniform_inputs(300, 3, 21);
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index r = 0; r < X.rows(); ++r) y(r) = std::sin(X(r, 0)) * X(r, 1) + std::log(X(r, 2) + X(r, 0) * 0.3);
    SearchOptions options;
    options.max_evaluations = 250'000;
    options.seed = 5;
    std::vector<std::vector<std::string>> fronts;
    for (int threads : {1, 2, 2}) {
        options.threads = threads;
        const SearchReport r = evolve_search(X, y, options);
        EXPECT_TRUE(r.evaluation_limit_reached);
        EXPECT_FALSE(r.timed_out);
        EXPECT_LE(r.evaluations, options.max_evaluations);
        EXPECT_GT(r.evaluations, options.max_evaluations / 2);
        std::vector<std::string> front;
        for (const Candidate& c : r.front.members()) front.push_back(to_infix(c.expression, {}));
        ASSERT_FALSE(front.empty());
        fronts.push_back(std::move(front));
    }
    EXPECT_EQ(fronts[0], fronts[1]);
    EXPECT_EQ(fronts[1], fronts[2]);
}

TEST(Evolution, EveryFormulaHasTheTargetsDimension) {
    // Kinetic energy in two directions: E = m*(v^2 + u^2)/2, with m [M], v and u [L T^-1].
    const Dimension M = Dimension::base(0), L = Dimension::base(1), T = Dimension::base(2);
    const Dimension speed = L / T;
    DimensionalConstraints dims;
    dims.variables = {M, speed, speed, L};  // a length that must not be added to a speed
    dims.target = M * speed * speed;
    const Eigen::MatrixXd X = uniform_inputs(300, 4, 31);
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index r = 0; r < X.rows(); ++r) y(r) = X(r, 0) * (X(r, 1) * X(r, 1) + X(r, 2) * X(r, 2)) / 2.0;
    SearchOptions options;
    options.dimensions = dims;
    options.max_evaluations = 400'000;
    options.threads = 2;
    const SearchReport r = evolve_search(X, y, options);
    ASSERT_FALSE(r.front.empty());
    for (const Candidate& c : r.front.members()) {
        Dimension d;
        ASSERT_NO_THROW(d = dimension_of(c.expression, dims.variables)) << to_infix(c.expression, {});
        EXPECT_EQ(d, dims.target) << to_infix(c.expression, {});
    }
}

TEST(Evolution, CancelStopsTheSearch) {
    const Eigen::MatrixXd X = uniform_inputs(300, 3, 41);
    const Eigen::VectorXd y = X.col(0).array().sin() * X.col(1).array() + X.col(2).array().sqrt();
    std::atomic<bool> cancel{true};
    SearchOptions options;
    options.cancel = &cancel;
    options.time_limit_seconds = 600.0;
    const SearchReport before = evolve_search(X, y, options);
    EXPECT_TRUE(before.cancelled);
    EXPECT_EQ(before.evaluations, 0u);

    // Cancelled while it runs: it stops by the flag, long before its time limit.
    cancel = false;
    options.threads = 2;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    const SearchReport during = evolve_search(X, y, options);
    stopper.join();
    EXPECT_TRUE(during.cancelled);
    EXPECT_FALSE(during.timed_out);
    EXPECT_GT(during.evaluations, 0u);
}

TEST(Evolution, WorksWithoutSeedsAndReportsProgressFromTheCallingThread) {
    const Eigen::MatrixXd X = uniform_inputs(300, 3, 51);
    const Eigen::VectorXd y = (X.col(0).array() / X.col(1).array() + X.col(2).array()).matrix();
    SearchOptions options;
    options.max_evaluations = 2'000'000;
    options.threads = 2;
    options.progress_interval_seconds = 0.0;
    const std::thread::id caller = std::this_thread::get_id();
    std::size_t reports = 0;
    bool other_thread = false;
    options.progress = [&](const SearchProgress& p) {
        ++reports;
        other_thread = other_thread || std::this_thread::get_id() != caller;
        EXPECT_LE(p.evaluations, options.max_evaluations);
    };
    const SearchReport r = evolve_search(X, y, options, {});
    EXPECT_TRUE(r.exact);
    EXPECT_GT(reports, 0u);
    EXPECT_FALSE(other_thread);
}

TEST(Evolution, RejectsInconsistentInput) {
    const Eigen::MatrixXd X = uniform_inputs(10, 2, 61);
    EXPECT_THROW(evolve_search(X, Eigen::VectorXd::Ones(9), SearchOptions{}), std::invalid_argument);
    Eigen::VectorXd y = Eigen::VectorXd::Ones(10);
    y(3) = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(evolve_search(X, y, SearchOptions{}), std::invalid_argument);
    SearchOptions dimensional;
    dimensional.dimensions = DimensionalConstraints{};  // no dimension for the two columns
    EXPECT_THROW(evolve_search(X, Eigen::VectorXd::Ones(10), dimensional), std::invalid_argument);
    // Seeds over columns the table does not have are ignored, not evaluated.
    const Eigen::VectorXd y2 = X.col(0) + X.col(1);
    SearchOptions small;
    small.max_evaluations = 100'000;
    EXPECT_NO_THROW(evolve_search(X, y2, small, {Expression::variable(7)}));
}

TEST(Evolution, DiscoverSpendsWhatTheEnumerationLeaves) {
    // With a small enumeration the law is out of its reach; the evolution that follows finds it.
    // (x0*x1 + x2/x3: not a polynomial, so stage 0's quick fits do not find it first.)
    const Eigen::MatrixXd X = uniform_inputs(400, 4, 71);
    const Eigen::VectorXd y = (X.col(0).array() * X.col(1).array() + X.col(2).array() / X.col(3).array()).matrix();
    Table table;
    table.names = {"y", "a", "b", "c", "d"};
    table.units = {"", "", "", "", ""};
    table.data.resize(X.rows(), 5);
    table.data.col(0) = y;
    table.data.rightCols(4) = X;
    DiscoverOptions options;
    options.search.max_nodes = 5;
    options.search.max_evaluations = 5'000'000;
    options.search.threads = 2;
    const DiscoveryResult result = discover(table, "y", options);
    ASSERT_NE(result.best_law(), nullptr);
    EXPECT_LE(result.evaluations, options.search.max_evaluations);
    EXPECT_LE(result.best_law()->max_relative_error, 1e-9) << result.best_law()->formula;
    bool noted = false;
    for (const std::string& n : result.notes) noted = noted || n.find("evolutionary search") != std::string::npos;
    EXPECT_TRUE(noted);
}
