// End-to-end enumeration speed: enumerate_search on 1,000 rows of 3 inputs uniform in [1, 5]
// (fixed seed), target y = x0*x1/x2^2, default operators (+ - * / sqrt exp log sin cos),
// default 200 sample rows, no units, max_nodes 7, with 1 and 2 threads. stop_when_exact is
// off so every run enumerates all 7 levels: the work is the same whatever is found when.
// "candidates/s" is SearchReport::evaluations (sub-expressions evaluated on the sample rows)
// per second of wall time; the result does not depend on the thread count, so the ratio of
// the two rows is the speed-up.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <random>
#include <stdexcept>

#include "kepler/search/enumerator.hpp"

namespace {

struct Problem {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

Problem make_problem() {
    constexpr Eigen::Index kRows = 1000;
    std::mt19937_64 rng(2026);
    std::uniform_real_distribution<double> input(1.0, 5.0);
    Problem p;
    p.X.resize(kRows, 3);
    for (Eigen::Index j = 0; j < p.X.cols(); ++j)
        for (Eigen::Index i = 0; i < kRows; ++i) p.X(i, j) = input(rng);
    p.y = p.X.col(0).array() * p.X.col(1).array() / p.X.col(2).array().square();
    return p;
}

void BM_SearchEnumerate(benchmark::State& state) {
    static const Problem p = make_problem();
    kepler::SearchOptions options;
    options.threads = static_cast<int>(state.range(0));
    options.max_nodes = 7;
    options.time_limit_seconds = 600.0;
    options.stop_when_exact = false;
    double evaluations = 0.0;
    double bank = 0.0;
    bool exact = true;
    for (auto _ : state) {
        const kepler::SearchReport report = kepler::enumerate_search(p.X, p.y, options);
        if (report.timed_out || report.memory_limited) throw std::runtime_error("search cut short");
        evaluations += static_cast<double>(report.evaluations);
        bank = static_cast<double>(report.bank_entries);
        exact = exact && report.exact;
        benchmark::DoNotOptimize(report.front);
    }
    state.counters["candidates/s"] = benchmark::Counter(evaluations, benchmark::Counter::kIsRate);
    state.counters["candidates"] = evaluations / static_cast<double>(state.iterations());
    state.counters["bank"] = bank;
    state.counters["threads"] = static_cast<double>(state.range(0));
    state.SetLabel(exact ? "exact law found" : "exact law NOT found");
}

}  // namespace

BENCHMARK(BM_SearchEnumerate)->Arg(1)->Arg(2)->MinTime(1.5)->Unit(benchmark::kMillisecond)->UseRealTime();
