// Cost of one Levenberg–Marquardt constant fit (fit_constants), per formula.
//
// The formula p0*exp(p1*x0) + p2*x1 (10 nodes, 3 parameters), inputs uniform in [1, 5],
// truth (2.5, -0.3, 1.5), started at (2.0, -0.25, 1.2) (each within 20%). Arg 0: the rows
// (200 = the search's sample, 1,000 = a table). Arg 1: 0 = noiseless (the first start ends
// exact, so no restart runs), 1 = 0.1% Gaussian noise (no start is exact, so the default two
// restarts run too: three LM runs per fit). "LM steps" is ConstantFit::iterations per fit.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <random>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/expression.hpp"
#include "kepler/fitting/constant_fitting.hpp"

namespace {

using kepler::Expression;
using kepler::Node;
using kepler::Op;

Expression law(double p0, double p1, double p2) {
    return Expression({Node::param(0, p0), Node::param(1, p1), Node::var(0), Node::op_node(Op::Mul),
                       Node::op_node(Op::Exp), Node::op_node(Op::Mul), Node::param(2, p2), Node::var(1),
                       Node::op_node(Op::Mul), Node::op_node(Op::Add)});
}

void BM_FitConstantsLM(benchmark::State& state) {
    const Eigen::Index rows = state.range(0);
    const bool noisy = state.range(1) != 0;
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> input(1.0, 5.0);
    std::normal_distribution<double> gauss(0.0, 1.0);
    Eigen::MatrixXd X(rows, 2);
    for (Eigen::Index j = 0; j < 2; ++j)
        for (Eigen::Index i = 0; i < rows; ++i) X(i, j) = input(rng);
    Eigen::VectorXd y = kepler::Evaluator()(law(2.5, -0.3, 1.5), X);
    if (noisy) {
        const double sigma = 1e-3 * std::sqrt(y.squaredNorm() / static_cast<double>(rows));
        for (Eigen::Index i = 0; i < rows; ++i) y(i) += sigma * gauss(rng);
    }
    const Expression start = law(2.0, -0.25, 1.2);
    long long steps = 0;
    bool improved = true;
    for (auto _ : state) {
        const kepler::ConstantFit fit = kepler::fit_constants(start, X, y);
        steps += fit.iterations;
        improved = improved && fit.improved;
        benchmark::DoNotOptimize(fit.parameters.data());
    }
    if (!improved) state.SkipWithError("a fit did not improve on the start");
    state.counters["LM steps"] = static_cast<double>(steps) / static_cast<double>(state.iterations());
    state.counters["fits/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.SetLabel(noisy ? "0.1% noise, 3 starts" : "noiseless, 1 start");
}

}  // namespace

BENCHMARK(BM_FitConstantsLM)
    ->Args({200, 0})
    ->Args({1000, 0})
    ->Args({200, 1})
    ->Args({1000, 1})
    ->Unit(benchmark::kMicrosecond);
