// Cost of fitting constants, per candidate.
//
// (a) The closed-form fits the enumerator runs on the sample rows (200 by default) for every
//     promising candidate: fit_affine, fit_scale and simplest_affine_fit. The inputs rotate
//     over 64 different (f, t) pairs so that one call does not just replay the previous one.
//     simplest_affine_fit is measured on a target whose constants are simple (3*f + 1/2,
//     exact) and on one whose constants are arbitrary reals with 1% noise.
// (b) The full-row scoring of a finalist: score_candidate on 1,000 and 100,000 rows for a
//     10-node formula, next to its two main parts alone on the same rows: the evaluation
//     and error_bits (the residual code length, a log per row).
// (c) tidy_constants on a formula with 2 constants, 1,000 rows.
//
// The time per iteration is the time per candidate; "candidates/s" is its inverse.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <random>
#include <span>
#include <vector>

#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/expression.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/fitting/linear_fit.hpp"
#include "kepler/pipeline/tidy_constants.hpp"

namespace {

using kepler::Expression;
using kepler::Node;
using kepler::Op;

constexpr std::size_t kSampleRows = 200;  // SearchOptions::sample_rows default
constexpr std::size_t kPairs = 64;

void count_candidates(benchmark::State& state) {
    state.counters["candidates/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// ---- (a) closed-form fits on the sample rows ----

struct FitPairs {
    std::vector<std::vector<double>> f;
    std::vector<std::vector<double>> t;
};

// f: a formula's values on the sample rows (products and quotients of inputs in [1, 5]);
// t = scale*f + offset (+ noise * rms(t) Gaussian noise).
FitPairs make_pairs(bool simple_constants) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> input(1.0, 5.0);
    std::uniform_real_distribution<double> constant(-10.0, 10.0);
    std::normal_distribution<double> gauss(0.0, 1.0);
    FitPairs p;
    for (std::size_t k = 0; k < kPairs; ++k) {
        std::vector<double> f(kSampleRows), t(kSampleRows);
        const double scale = simple_constants ? 3.0 : constant(rng);
        const double offset = simple_constants ? 0.5 : constant(rng);
        double sum_squares = 0.0;
        for (std::size_t i = 0; i < kSampleRows; ++i) {
            const double x0 = input(rng), x1 = input(rng), x2 = input(rng);
            f[i] = x0 * x1 / (x2 * x2);
            t[i] = scale * f[i] + offset;
            sum_squares += t[i] * t[i];
        }
        if (!simple_constants) {
            const double noise = 0.01 * std::sqrt(sum_squares / static_cast<double>(kSampleRows));
            for (double& v : t) v += noise * gauss(rng);
        }
        p.f.push_back(std::move(f));
        p.t.push_back(std::move(t));
    }
    return p;
}

const FitPairs& pairs(bool simple_constants) {
    static const FitPairs simple = make_pairs(true);
    static const FitPairs noisy = make_pairs(false);
    return simple_constants ? simple : noisy;
}

template <typename Fit>
void run_fit(benchmark::State& state, const FitPairs& p, Fit fit) {
    std::size_t k = 0;
    for (auto _ : state) {
        const kepler::AffineFit result = fit(std::span<const double>(p.f[k]), std::span<const double>(p.t[k]));
        benchmark::DoNotOptimize(result);
        k = (k + 1) % kPairs;
    }
    count_candidates(state);
}

void BM_FitAffine(benchmark::State& state) {
    run_fit(state, pairs(false), [](auto f, auto t) { return kepler::fit_affine(f, t); });
}

void BM_FitScale(benchmark::State& state) {
    run_fit(state, pairs(false), [](auto f, auto t) { return kepler::fit_scale(f, t); });
}

// Arg 1: simple exact constants (3, 1/2), Arg 0: arbitrary reals with 1% noise.
void BM_FitSimplestAffine(benchmark::State& state) {
    const kepler::ComplexityModel model{14, 3};
    run_fit(state, pairs(state.range(0) != 0),
            [&model](auto f, auto t) { return kepler::simplest_affine_fit(f, t, model); });
    state.SetLabel(state.range(0) != 0 ? "exact 3*f + 1/2" : "real constants, 1% noise");
}

// ---- (b) full-row scoring of a finalist ----

// 2.5*x0*x1/sqrt(x2) + 1: 10 nodes.
Expression ten_node_formula() {
    return Expression({Node::constant(2.5), Node::var(0), Node::var(1), Node::op_node(Op::Mul), Node::op_node(Op::Mul),
                       Node::var(2), Node::op_node(Op::Sqrt), Node::op_node(Op::Div), Node::constant(1.0),
                       Node::op_node(Op::Add)});
}

struct Rows {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

// Inputs uniform in [1, 5]; y = `law` plus 0.1% Gaussian noise, so the residuals are not 0.
Rows make_rows(Eigen::Index rows, const Expression& law) {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> input(1.0, 5.0);
    std::normal_distribution<double> gauss(0.0, 1.0);
    Rows r;
    r.X.resize(rows, 3);
    for (Eigen::Index j = 0; j < r.X.cols(); ++j)
        for (Eigen::Index i = 0; i < rows; ++i) r.X(i, j) = input(rng);
    kepler::Evaluator evaluator;
    r.y = evaluator(law, r.X);
    const double noise = 1e-3 * std::sqrt(r.y.squaredNorm() / static_cast<double>(rows));
    for (Eigen::Index i = 0; i < rows; ++i) r.y(i) += noise * gauss(rng);
    return r;
}

const Rows& score_rows(Eigen::Index rows) {
    static const Rows small = make_rows(1000, ten_node_formula());
    static const Rows large = make_rows(100000, ten_node_formula());
    return rows == 1000 ? small : large;
}

void BM_ScoreCandidate(benchmark::State& state) {
    const Rows& r = score_rows(state.range(0));
    const Expression formula = ten_node_formula();
    const kepler::ComplexityModel model{14, 3};
    kepler::Evaluator evaluator;
    for (auto _ : state) {
        auto c = kepler::score_candidate(formula, r.X, r.y, model, evaluator);
        benchmark::DoNotOptimize(c);
    }
    count_candidates(state);
    state.counters["rows/s"] =
        benchmark::Counter(static_cast<double>(state.iterations() * state.range(0)), benchmark::Counter::kIsRate);
}

// The evaluation inside score_candidate alone: the rest of score_candidate's time is the
// metrics (RMSE, R², max relative error) and the residual bits (a log per row).
void BM_ScoreEvaluateOnly(benchmark::State& state) {
    const Rows& r = score_rows(state.range(0));
    const Expression formula = ten_node_formula();
    kepler::Evaluator evaluator;
    Eigen::VectorXd out(r.y.size());
    for (auto _ : state) {
        evaluator.evaluate(formula, r.X, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    count_candidates(state);
    state.counters["rows/s"] =
        benchmark::Counter(static_cast<double>(state.iterations() * state.range(0)), benchmark::Counter::kIsRate);
}

// The residual code length alone (a log per row), on the same rows and predictions.
void BM_ScoreErrorBitsOnly(benchmark::State& state) {
    const Rows& r = score_rows(state.range(0));
    kepler::Evaluator evaluator;
    const Eigen::VectorXd predicted = evaluator(ten_node_formula(), r.X);
    for (auto _ : state) {
        const double bits = kepler::error_bits(r.y, predicted);
        benchmark::DoNotOptimize(bits);
    }
    count_candidates(state);
    state.counters["rows/s"] =
        benchmark::Counter(static_cast<double>(state.iterations() * state.range(0)), benchmark::Counter::kIsRate);
}

// ---- (c) tidy_constants ----

// c0*x0*x1/x2 + c1 with c0 = 8.314, c1 = 0.5 as least squares leaves them (noise in the last
// digits); tidying takes c0 through 8, 8.3, 8.31, 8.314 and c1 to 0.5.
void BM_TidyConstants(benchmark::State& state) {
    auto formula = [](double c0, double c1) {
        return Expression({Node::constant(c0), Node::var(0), Node::op_node(Op::Mul), Node::var(1),
                           Node::op_node(Op::Mul), Node::var(2), Node::op_node(Op::Div), Node::constant(c1),
                           Node::op_node(Op::Add)});
    };
    static const Rows r = make_rows(1000, formula(8.314, 0.5));
    const Expression fitted = formula(8.314000000000002, 0.49999999999999994);
    for (auto _ : state) {
        Expression tidy = kepler::tidy_constants(fitted, r.X, r.y);
        benchmark::DoNotOptimize(tidy);
    }
    count_candidates(state);
}

}  // namespace

BENCHMARK(BM_FitAffine);
BENCHMARK(BM_FitScale);
BENCHMARK(BM_FitSimplestAffine)->Arg(1)->Arg(0);
BENCHMARK(BM_ScoreCandidate)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ScoreEvaluateOnly)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ScoreErrorBitsOnly)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TidyConstants)->Unit(benchmark::kMicrosecond);
