// Evaluation throughput on Operon's harness definition: 1,000 random expressions of up to
// 64 nodes over 12,800 rows and 10 input columns. The counter "node_rows/s" is nodes x rows
// evaluated per second (all threads together); divide by the thread count for per-thread.
#include <benchmark/benchmark.h>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <array>
#include <random>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/random_expression.hpp"

namespace {

constexpr Eigen::Index kRows = 12800;
constexpr Eigen::Index kColumns = 10;
constexpr std::size_t kExpressions = 1000;

struct Harness {
    Eigen::MatrixXd X;
    std::vector<kepler::Expression> expressions;
    double nodes = 0;
};

Harness make_harness(std::span<const kepler::Op> ops) {
    std::mt19937_64 rng(42);
    Harness h;
    h.X = (Eigen::MatrixXd::Random(kRows, kColumns).array() + 2.0).matrix();  // inputs in [1, 3]
    kepler::RandomExpressionOptions options;
    options.max_nodes = 64;
    options.variable_count = kColumns;
    options.operators = ops;
    for (std::size_t i = 0; i < kExpressions; ++i) {
        h.expressions.push_back(kepler::random_expression(rng, options));
        h.nodes += static_cast<double>(h.expressions.back().size());
    }
    return h;
}

void run(benchmark::State& state, const Harness& h) {
    const int threads = static_cast<int>(state.range(0));
    tbb::task_arena arena(threads);
    struct Worker {
        kepler::Evaluator evaluator;
        Eigen::VectorXd out{kRows};
    };
    tbb::enumerable_thread_specific<Worker> workers;
    for (auto _ : state) {
        arena.execute([&] {
            tbb::parallel_for(std::size_t{0}, h.expressions.size(), [&](std::size_t i) {
                Worker& w = workers.local();
                w.evaluator.evaluate(h.expressions[i], h.X, w.out);
                benchmark::DoNotOptimize(w.out.data());
            });
        });
    }
    state.counters["node_rows/s"] =
        benchmark::Counter(h.nodes * kRows * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["threads"] = threads;
}

void BM_EvaluateArithmetic(benchmark::State& state) {
    static const std::array ops{kepler::Op::Add, kepler::Op::Sub, kepler::Op::Mul, kepler::Op::Div};
    static const Harness h = make_harness(ops);
    run(state, h);
}

void BM_EvaluateWithTranscendentals(benchmark::State& state) {
    static const std::array ops{kepler::Op::Add, kepler::Op::Sub, kepler::Op::Mul, kepler::Op::Div,  kepler::Op::Exp,
                                kepler::Op::Log, kepler::Op::Sin, kepler::Op::Cos, kepler::Op::Sqrt, kepler::Op::Tanh};
    static const Harness h = make_harness(ops);
    run(state, h);
}

}  // namespace

BENCHMARK(BM_EvaluateArithmetic)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EvaluateWithTranscendentals)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
