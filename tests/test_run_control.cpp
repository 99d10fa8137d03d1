// Run control: the progress callback of the search and of discover(), and the evaluation
// budget (SearchOptions::max_evaluations, `kepler fit --max-evals`).
//
// The budget's bound: a chunk of work (at most 65,536 candidate pairs) is only started if it
// fits in what is left of the budget, and discover() gives stage 1 half of the budget and
// stage 2 the rest, so the evaluations reported never exceed N; the search may stop up to one
// chunk short of N.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "cli_runner.hpp"
#include "kepler/core/table.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/search/enumerator.hpp"
#include "random_inputs.hpp"
#include "sanitizer_clock.hpp"

using namespace kepler;

namespace {

// Uniform columns in [1, 5]. As a target no formula fits them; the enumeration alone (without
// the pipeline's noise-floor rule) runs to its time limit or budget.
Eigen::MatrixXd noise(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r)
        for (Eigen::Index c = 0; c < cols; ++c) m(r, c) = u(rng);
    return m;
}

// Column 0 made the law of columns 1-3 that no short formula fits (random_inputs.hpp).
Eigen::MatrixXd with_unreachable_target(Eigen::MatrixXd data) {
    data.col(0) = kepler::testing::unreachable_law(data.middleCols(1, 3));
    return data;
}

struct Report {
    double seconds;
    std::size_t evaluations;
    bool has_best;
    double rmse;
    std::size_t variables;
    std::thread::id thread;
};

void expect_increasing(const std::vector<Report>& calls, double interval) {
    ASSERT_GE(calls.size(), 3u);
    for (std::size_t i = 1; i < calls.size(); ++i) {
        EXPECT_GT(calls[i].seconds, calls[i - 1].seconds) << i;
        EXPECT_GE(calls[i].evaluations, calls[i - 1].evaluations) << i;
        // Rate-limited: never two reports closer than the interval.
        EXPECT_GE(calls[i].seconds - calls[i - 1].seconds, interval * 0.95) << i;
    }
    EXPECT_GT(calls.back().evaluations, calls.front().evaluations);
    for (const Report& r : calls) EXPECT_EQ(r.thread, std::this_thread::get_id()) << "only from the calling thread";
    EXPECT_TRUE(calls.back().has_best);
    EXPECT_TRUE(std::isfinite(calls.back().rmse));
}

}  // namespace

TEST(RunControl, SearchReportsProgressFromTheCallingThread) {
    const Eigen::MatrixXd X = noise(500, 5, 1);
    const Eigen::VectorXd y = noise(500, 1, 2).col(0);
    std::vector<Report> calls;
    SearchOptions options;
    options.time_limit_seconds = 2.0;
    options.progress_interval_seconds = 0.2;
    options.progress = [&](const SearchProgress& p) {
        calls.push_back(
            {p.seconds, p.evaluations, p.has_best, p.rmse, p.best.variable_count(), std::this_thread::get_id()});
    };
    const SearchReport report = enumerate_search(X, y, options);
    EXPECT_TRUE(report.timed_out);
    expect_increasing(calls, 0.2);
    EXPECT_LE(calls.back().evaluations, report.evaluations);
    EXPECT_LE(calls.back().seconds, report.seconds);
    // At most five reports a second over two seconds, plus the first one (after the leaves).
    EXPECT_LE(calls.size(), 11u);
}

TEST(RunControl, DiscoverForwardsProgressOverTheInputs) {
    Table table;
    table.names = {"y", "a", "b", "c", "d"};
    table.units.assign(5, "");
    table.data = with_unreachable_target(noise(400, 5, 3));
    DiscoverOptions options;
    options.search.time_limit_seconds = 2.0;
    std::vector<Report> calls;
    options.search.progress = [&](const SearchProgress& p) {
        calls.push_back(
            {p.seconds, p.evaluations, p.has_best, p.rmse, p.best.variable_count(), std::this_thread::get_id()});
    };
    const DiscoveryResult result = discover(table, "y", options);
    expect_increasing(calls, options.search.progress_interval_seconds);
    for (const Report& r : calls) EXPECT_LE(r.variables, result.inputs.size());
    EXPECT_LE(calls.back().evaluations, result.evaluations);
    EXPECT_LE(calls.back().seconds, result.seconds);
}

TEST(RunControl, NoProgressCallbackNoReports) {
    // The default: no callback, and a search still runs normally.
    SearchOptions options;
    EXPECT_FALSE(static_cast<bool>(options.progress));
    options.max_evaluations = 10'000;
    const SearchReport report = enumerate_search(noise(100, 2, 4), noise(100, 1, 5).col(0), options);
    EXPECT_FALSE(report.front.empty());
}

TEST(RunControl, SearchStopsAtTheEvaluationBudget) {
    const Eigen::MatrixXd X = noise(300, 5, 6);
    const Eigen::VectorXd y = noise(300, 1, 7).col(0);
    SearchOptions options;
    options.max_evaluations = 300'000;
    const SearchReport report = enumerate_search(X, y, options);
    EXPECT_TRUE(report.evaluation_limit_reached);
    EXPECT_FALSE(report.timed_out);
    EXPECT_LE(report.evaluations, options.max_evaluations);
    // At most one chunk (65,536 candidates) short of the budget, less what pruning skipped.
    EXPECT_GT(report.evaluations, options.max_evaluations / 2);
}

TEST(RunControl, DiscoverSharesTheBudgetAcrossItsStages) {
    // With units the Pi groups remove a variable, so both stages run: together they stay
    // within the budget.
    Table table;
    table.names = {"F", "m", "a", "v", "L"};
    table.units = {"N", "kg", "m/s^2", "m/s", "m"};
    table.data = noise(300, 5, 8);
    DiscoverOptions options;
    TableUnits units;
    units.system = grammar::load_unit_system("si");
    for (const std::string& u : table.units) units.columns.push_back(grammar::parse_unit(u, units.system));
    options.units = units;
    options.search.max_evaluations = 200'000;
    options.search.stop_when_exact = false;
    const DiscoveryResult result = discover(table, "F", options);
    EXPECT_FALSE(result.dimensionless_groups.empty());
    EXPECT_LE(result.evaluations, 200'000u);
    EXPECT_GT(result.evaluations, 0u);
    EXPECT_TRUE(result.evaluation_limit_reached);
    EXPECT_FALSE(result.timed_out);
}

TEST(CliRunControl, MaxEvalsStopsTheSearchEarly) {
    kepler::testing::ScratchDir dir("max-evals");
    std::ostringstream csv;
    csv << "y,a,b,c,d,e,f\n";
    const Eigen::MatrixXd data = with_unreachable_target(noise(1000, 7, 9));
    for (Eigen::Index r = 0; r < data.rows(); ++r) {
        for (Eigen::Index c = 0; c < data.cols(); ++c) csv << (c ? "," : "") << data(r, c);
        csv << "\n";
    }
    const std::string table = dir.write("noise.csv", csv.str());
    const std::string json = dir.path("result.json");
    // The time limit is far beyond what 250,000 evaluations take, so only the evaluation limit
    // can stop the run within half of it; both scale with the sanitizers' slow-down.
    const double time_limit = 120.0 * kepler::testing::kClockScale;
    const auto t0 = std::chrono::steady_clock::now();
    auto run = kepler::testing::run_kepler("fit " + table + " --target y --time-limit " +
                                           std::to_string(static_cast<int>(time_limit)) +
                                           " --max-evals 250000 --json " + json);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_LT(seconds, time_limit / 2);
    EXPECT_NE(run.output.find("(evaluation limit reached)"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("best: y = "), std::string::npos) << run.output;
    std::ifstream in(json);
    const nlohmann::json doc = nlohmann::json::parse(in);
    EXPECT_LE(doc["evaluations"].get<std::size_t>(), 250'000u);
    EXPECT_GT(doc["evaluations"].get<std::size_t>(), 0u);
    EXPECT_TRUE(doc["evaluation_limit_reached"].get<bool>());
    EXPECT_FALSE(doc["timed_out"].get<bool>());
}

TEST(CliRunControl, NoProgressLineWhenStderrIsNotATerminal) {
    // run_kepler reads stdout and stderr through a pipe: no progress line, quiet or not.
    const std::string data = std::string(KEPLER_SOURCE_DIR) + "/datasets/examples/ideal_gas.csv";
    for (const char* flag : {"", " --quiet", " -q"}) {
        auto run = kepler::testing::run_kepler("fit " + data + " --target P" + flag);
        ASSERT_EQ(run.exit_code, 0) << run.output;
        EXPECT_EQ(run.output.find('\r'), std::string::npos) << flag;
        EXPECT_EQ(run.output.find("\033[K"), std::string::npos) << flag;
        EXPECT_NE(run.output.find("best: P = 8.314*n*T/V"), std::string::npos) << run.output;
    }
}
