// Cost of engine/structure: fitting the surrogate, and each structure test on a fitted model.
//
// (a) Surrogate::fit on 1,000 and 2,000 rows with 3, 6 and 9 inputs, exact and with noise of
//     1% of RMS(y) (80% of the rows train, 20% validate). Counters: the relative validation
//     error (RMSE / sd(y)) and, with noise, the noise estimate over the true noise.
// (b) On one 6-input model (1,000 rows, 1% noise, 200 probes): StructureModel::fit (surrogate
//     plus its error estimates) and every test, single and search.
//
// The law: x1*x2 + sin(x3) + 0.3 * sum_{k>=4} x_k x_{k-1}, inputs uniform in [1, 3].
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <cmath>
#include <random>

#include "kepler/structure/structure_tests.hpp"
#include "kepler/structure/surrogate.hpp"

namespace {

struct Data {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    double noise_sd = 0.0;
};

Data make_data(int rows, int inputs, double noise = 0.01) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> uniform(1.0, 3.0);
    std::normal_distribution<double> gauss;
    Data d;
    d.X.resize(rows, inputs);
    d.y.resize(rows);
    for (int i = 0; i < rows; ++i) {
        for (int k = 0; k < inputs; ++k) d.X(i, k) = uniform(rng);
        double v = d.X(i, 0) * d.X(i, 1) + std::sin(d.X(i, 2));
        for (int k = 3; k < inputs; ++k) v += 0.3 * d.X(i, k) * d.X(i, k - 1);
        d.y[i] = v;
    }
    d.noise_sd = noise * std::sqrt(d.y.squaredNorm() / rows);
    for (int i = 0; i < rows; ++i) d.y[i] += d.noise_sd * gauss(rng);
    return d;
}

void BM_SurrogateFit(benchmark::State& state) {
    const Data d = make_data(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
                             0.01 * static_cast<double>(state.range(2)));
    double relative = 0, noise_ratio = 0;
    for (auto _ : state) {
        const kepler::Surrogate s = kepler::Surrogate::fit(d.X, d.y);
        relative = s.relative_validation_error();
        noise_ratio = d.noise_sd > 0 ? s.noise_estimate() / d.noise_sd : 0.0;
    }
    state.counters["rel_val_error"] = relative;
    state.counters["noise_est/true"] = noise_ratio;
}
BENCHMARK(BM_SurrogateFit)
    ->ArgsProduct({{1000, 2000}, {3, 6, 9}, {0, 1}})
    ->ArgNames({"rows", "inputs", "noise%"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

const kepler::StructureModel& six_input_model() {
    static const kepler::StructureModel model = [] {
        const Data d = make_data(1000, 6);
        return kepler::StructureModel::fit(d.X, d.y);
    }();
    return model;
}

void BM_StructureModelFit(benchmark::State& state) {
    const Data d = make_data(1000, 6);
    for (auto _ : state) benchmark::DoNotOptimize(kepler::StructureModel::fit(d.X, d.y).prediction_error());
}
BENCHMARK(BM_StructureModelFit)->Unit(benchmark::kMillisecond)->Iterations(2);

template <class Test>
void run_test(benchmark::State& state, Test test) {
    const kepler::StructureModel& m = six_input_model();
    for (auto _ : state) test(m);
}

void BM_TestSymmetry(benchmark::State& state) {
    run_test(state, [](const auto& m) {
        benchmark::DoNotOptimize(kepler::test_symmetry(m, 3, 4, kepler::Combination::difference).evidence.score);
    });
}
void BM_FindSymmetries(benchmark::State& state) {
    run_test(state, [](const auto& m) { benchmark::DoNotOptimize(kepler::find_symmetries(m).size()); });
}
void BM_TestSeparability(benchmark::State& state) {
    run_test(state, [](const auto& m) {
        benchmark::DoNotOptimize(kepler::test_separability(m, kepler::Separation::additive, {0, 1}).score);
    });
}
void BM_FindSeparability(benchmark::State& state) {
    run_test(state, [](const auto& m) {
        benchmark::DoNotOptimize(kepler::find_separability(m, kepler::Separation::additive).groups.size());
    });
}
void BM_TestCompositionality(benchmark::State& state) {
    run_test(state, [](const auto& m) {
        benchmark::DoNotOptimize(kepler::test_compositionality(m, {0, 1}).evidence.score);
    });
}
void BM_FindCompositionality(benchmark::State& state) {
    run_test(state, [](const auto& m) { benchmark::DoNotOptimize(kepler::find_compositionality(m).size()); });
}
void BM_SpecialValues(benchmark::State& state) {
    run_test(state, [](const auto& m) { benchmark::DoNotOptimize(kepler::special_values(m).size()); });
}
BENCHMARK(BM_TestSymmetry)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FindSymmetries)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_TestSeparability)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FindSeparability)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_TestCompositionality)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FindCompositionality)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_SpecialValues)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
