// The structure-guided split: laws the enumerator cannot reach within a small formula size are
// found exactly by splitting them (additively, multiplicatively, through a symmetry), noisy
// variants still give an accurate formula, a law with no structure is left alone, and the
// time budget and the cancel flag are kept.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <random>
#include <stdexcept>
#include <thread>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/pipeline/structure_split.hpp"
#include "kepler/search/enumerator.hpp"
#include "sanitizer_clock.hpp"

using namespace kepler;

namespace {

using Law = std::function<double(const Eigen::RowVectorXd&)>;

struct Data {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;      // with noise
    Eigen::VectorXd truth;  // without
};

// Inputs uniform in [1, 3]; Gaussian noise of sd = noise * RMS(y).
Data table_of(const Law& law, int inputs, double noise, int rows = 600) {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> unit(1.0, 3.0);
    std::normal_distribution<double> gauss;
    Data d{Eigen::MatrixXd(rows, inputs), Eigen::VectorXd(rows), Eigen::VectorXd(rows)};
    for (int i = 0; i < rows; ++i) {
        for (int k = 0; k < inputs; ++k) d.X(i, k) = unit(rng);
        d.truth[i] = law(d.X.row(i));
    }
    const double sd = noise * std::sqrt(d.truth.squaredNorm() / rows);
    for (int i = 0; i < rows; ++i) d.y[i] = d.truth[i] + sd * gauss(rng);
    return d;
}

// Small formulas only: the whole laws below need 9 to 11 nodes, their parts at most 7.
StructureSplitOptions small_options() {
    StructureSplitOptions o;
    o.time_limit_seconds = 20.0 * kepler::testing::kClockScale;  // not reached: the evaluations bound the run
    o.max_evaluations = 150'000;
    o.threads = 2;
    o.search.max_nodes = 7;
    return o;
}

double relative_rmse(const Expression& e, const Data& d) {
    Evaluator evaluate;
    const Eigen::VectorXd v = evaluate(e, d.X);
    return std::sqrt((v - d.truth).squaredNorm() / d.truth.squaredNorm());
}

double r2_against_truth(const Expression& e, const Data& d) {
    Evaluator evaluate;
    const Eigen::VectorXd v = evaluate(e, d.X);
    const double mean = d.truth.mean();
    return 1.0 - (v - d.truth).squaredNorm() / (d.truth.array() - mean).square().sum();
}

std::string names_of(const Expression& e, int inputs) {
    std::vector<std::string> names;
    for (int k = 0; k < inputs; ++k) {
        std::string n = "x";
        n += std::to_string(k);
        names.push_back(std::move(n));
    }
    return to_infix(e, names);
}

// The enumerator alone, with the same formula size: its best fit is far from exact.
void expect_enumerator_misses(const Data& d, const StructureSplitOptions& o) {
    SearchOptions s = o.search;
    s.threads = o.threads;
    s.max_evaluations = o.max_evaluations;
    s.time_limit_seconds = o.time_limit_seconds;
    const SearchReport report = enumerate_search(d.X, d.y, s);
    ASSERT_FALSE(report.front.empty());
    EXPECT_GT(relative_rmse(report.front.best().expression, d), 1e-4)
        << names_of(report.front.best().expression, static_cast<int>(d.X.cols()));
}

void expect_exact_first(const std::vector<Expression>& found, const Data& d, const StructureTrace& trace) {
    ASSERT_FALSE(found.empty()) << trace.to_string();
    EXPECT_LE(relative_rmse(found.front(), d), 1e-6) << names_of(found.front(), static_cast<int>(d.X.cols())) << "\n"
                                                     << trace.to_string();
}

const Law kSum = [](const auto& x) { return x[0] * x[1] + std::sin(x[2]) * x[3] * x[4]; };
const Law kProduct = [](const auto& x) { return x[0] * x[0] * x[1] * std::exp(-x[2] * x[3]); };
const Law kSymmetric = [](const auto& x) { return std::exp(-x[2] * (x[0] - x[1]) * (x[0] - x[1])); };

}  // namespace

TEST(StructureSplit, AdditiveSplitFindsALawTooLargeForTheEnumerator) {
    const Data d = table_of(kSum, 5, 0.0);
    const StructureSplitOptions o = small_options();
    expect_enumerator_misses(d, o);
    StructureTrace trace;
    const std::vector<Expression> found = solve_by_structure(d.X, d.y, o, &trace);
    expect_exact_first(found, d, trace);
    EXPECT_NE(trace.to_string().find("additive separability: 2 groups {x0,x1} {x2,x3,x4}"), std::string::npos)
        << trace.to_string();
}

TEST(StructureSplit, MultiplicativeSplitFindsALawTooLargeForTheEnumerator) {
    const Data d = table_of(kProduct, 4, 0.0);
    const StructureSplitOptions o = small_options();
    expect_enumerator_misses(d, o);
    StructureTrace trace;
    const std::vector<Expression> found = solve_by_structure(d.X, d.y, o, &trace);
    expect_exact_first(found, d, trace);
    EXPECT_NE(trace.to_string().find("multiplicative separability: 3 groups {x0} {x1} {x2,x3}"), std::string::npos)
        << trace.to_string();
    // Redundant constants of the combination are gone: x0^2*x1*exp(-x2*x3), no fitted number.
    EXPECT_EQ(names_of(found.front(), 4).find('.'), std::string::npos) << names_of(found.front(), 4);
}

TEST(StructureSplit, SymmetryReducesALawTooLargeForTheEnumerator) {
    const Data d = table_of(kSymmetric, 3, 0.0);
    StructureSplitOptions o = small_options();
    // Without the square operator: with it, log y = -x2*square(x0 - x1) is 6 nodes and in reach.
    o.search.operators = operators_from_names("+,-,*,/,sqrt,exp,log,sin,cos");
    expect_enumerator_misses(d, o);
    StructureTrace trace;
    const std::vector<Expression> found = solve_by_structure(d.X, d.y, o, &trace);
    expect_exact_first(found, d, trace);
    EXPECT_NE(trace.to_string().find("symmetry in x0 difference x1"), std::string::npos) << trace.to_string();
}

TEST(StructureSplit, NoisyLawsStillGiveAnAccurateFormula) {
    for (const auto& [law, inputs] : {std::pair{kSum, 5}, std::pair{kProduct, 4}}) {
        const Data d = table_of(law, inputs, 0.01);
        StructureTrace trace;
        const std::vector<Expression> found = solve_by_structure(d.X, d.y, small_options(), &trace);
        ASSERT_FALSE(found.empty()) << trace.to_string();
        EXPECT_GT(r2_against_truth(found.front(), d), 0.999) << names_of(found.front(), inputs) << "\n"
                                                             << trace.to_string();
    }
}

TEST(StructureSplit, ALawWithoutStructureIsNotSplit) {
    const Data d = table_of([](const auto& x) { return std::sin(x[0] * x[1] + x[2]) + x[0] / x[2]; }, 3, 0.0);
    StructureTrace trace;
    const std::vector<Expression> found = solve_by_structure(d.X, d.y, small_options(), &trace);
    EXPECT_TRUE(found.empty());
    const std::string text = trace.to_string();
    EXPECT_NE(text.find("additive separability: one group"), std::string::npos) << text;
    EXPECT_NE(text.find("fails"), std::string::npos) << text;
    EXPECT_NE(text.find("symmetries: none"), std::string::npos) << text;
    EXPECT_EQ(text.find("part "), std::string::npos) << text;  // no sub-search ran
}

TEST(StructureSplit, DeterministicForASeedWhenBoundedByEvaluations) {
    const Data d = table_of(kProduct, 4, 0.0);
    const std::vector<Expression> a = solve_by_structure(d.X, d.y, small_options());
    const std::vector<Expression> b = solve_by_structure(d.X, d.y, small_options());
    EXPECT_EQ(a, b);
}

TEST(StructureSplit, KeepsTheTimeBudgetAndTheCancelFlag) {
    using Clock = std::chrono::steady_clock;
    const Data d = table_of(kSum, 5, 0.01, 1000);
    StructureSplitOptions o;
    o.threads = 2;
    o.search.max_nodes = 11;  // sub-searches that would run far longer than the budget
    o.time_limit_seconds = 1.0;
    auto start = Clock::now();
    solve_by_structure(d.X, d.y, o);
    // Generous slack for a loaded machine; the run without the limit takes far longer.
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 1.0 + 1.5 * kepler::testing::kClockScale);

    std::atomic<bool> cancel{false};
    o.time_limit_seconds = 60.0;
    o.cancel = &cancel;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    start = Clock::now();
    solve_by_structure(d.X, d.y, o);
    stopper.join();
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 0.3 + 1.5 * kepler::testing::kClockScale);
}

TEST(StructureSplit, RejectsMismatchedOrNonFiniteInput) {
    const Eigen::MatrixXd X = Eigen::MatrixXd::Ones(20, 2);
    EXPECT_THROW(solve_by_structure(X, Eigen::VectorXd::Ones(19), {}), std::invalid_argument);
    Eigen::VectorXd y = Eigen::VectorXd::Ones(20);
    y[3] = std::nan("");
    EXPECT_THROW(solve_by_structure(X, y, {}), std::invalid_argument);
}
