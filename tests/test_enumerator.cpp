#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <thread>

#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/fitting/linear_fit.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/search/target_transform.hpp"

using namespace kepler;

namespace {

struct Range {
    double low = 1.0, high = 5.0;
};

Eigen::MatrixXd uniform_inputs(std::size_t rows, const std::vector<Range>& ranges, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Eigen::MatrixXd X(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(ranges.size()));
    for (Eigen::Index r = 0; r < X.rows(); ++r)
        for (Eigen::Index c = 0; c < X.cols(); ++c) {
            std::uniform_real_distribution<double> u(ranges[std::size_t(c)].low, ranges[std::size_t(c)].high);
            X(r, c) = u(rng);
        }
    return X;
}

using Law = std::function<double(const Eigen::MatrixXd&, Eigen::Index)>;

Eigen::VectorXd apply_law(const Law& law, const Eigen::MatrixXd& X) {
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index r = 0; r < X.rows(); ++r) y(r) = law(X, r);
    return y;
}

// Runs the search on 1000 noiseless rows and checks that the best formula is the law: on
// fresh points it must agree to a relative error of 1e-6.
void expect_recovers(const std::string& truth, const Law& law, const std::vector<Range>& ranges) {
    const Eigen::MatrixXd X = uniform_inputs(1000, ranges, 42);
    const Eigen::VectorXd y = apply_law(law, X);
    SearchOptions options;
    options.time_limit_seconds = 60.0;
    const auto t0 = std::chrono::steady_clock::now();
    const SearchReport report = enumerate_search(X, y, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_FALSE(report.front.empty()) << truth;
    const Candidate& best = report.front.best();
    const std::string found = to_infix(best.expression, {});
    std::cout << "[ law      ] " << truth << "  ->  " << found << "  (" << seconds << " s, " << report.evaluations
              << " evaluations, " << report.levels_completed << " levels)\n";

    const Eigen::MatrixXd fresh = uniform_inputs(500, ranges, 7);
    const Eigen::VectorXd expected = apply_law(law, fresh);
    const Eigen::VectorXd predicted = Evaluator{}(best.expression, fresh);
    double worst = 0.0;
    for (Eigen::Index r = 0; r < fresh.rows(); ++r)
        worst = std::max(worst, std::abs(predicted(r) - expected(r)) / std::abs(expected(r)));
    EXPECT_LE(worst, 1e-6) << truth << " found as " << found;
    EXPECT_TRUE(report.exact) << truth;
    EXPECT_LE(best.max_relative_error, 1e-9) << found;
    EXPECT_LT(best.error_bits, 1.0) << found;
    EXPECT_FALSE(report.timed_out) << truth << ": an exact law should end the search early";
    EXPECT_LT(seconds, 30.0) << truth;
}

}  // namespace

// ---- the pieces ----

TEST(LinearFit, AffineLeastSquares) {
    std::vector<double> f{1, 2, 3, 4, 5}, t;
    for (double v : f) t.push_back(2.5 * v - 1.25);
    const AffineFit fit = fit_affine(f, t);
    EXPECT_NEAR(fit.scale, 2.5, 1e-14);
    EXPECT_NEAR(fit.offset, -1.25, 1e-14);
    EXPECT_NEAR(fit.sse, 0.0, 1e-24);
    const AffineFit through_zero = fit_scale(f, t);
    EXPECT_NEAR(through_zero.scale, (2.5 * 55 - 1.25 * 15) / 55, 1e-12);
}

TEST(LinearFit, SnapsToSimpleConstantsOnlyWhenTheFitStaysExact) {
    ComplexityModel model;
    std::vector<double> f, exact_half, real_scale;
    for (int i = 0; i < 50; ++i) {
        const double v = 1.0 + 0.08 * i;
        f.push_back(v);
        exact_half.push_back(v * (1.0 + 1e-15) / 2.0 + 3.0);  // rounding-level noise only
        real_scale.push_back(6.2832 * v);
    }
    const AffineFit half = simplest_affine_fit(f, exact_half, model);
    EXPECT_EQ(half.scale, 0.5);
    EXPECT_EQ(half.offset, 3.0);
    const AffineFit real = simplest_affine_fit(f, real_scale, model);
    EXPECT_NEAR(real.scale, 6.2832, 1e-12);  // not 2*pi, not 25/4
    EXPECT_EQ(real.offset, 0.0);             // the offset is dropped: it is zero to rounding
}

TEST(LinearFit, SnapsWithinTheNoise) {
    ComplexityModel model;
    std::mt19937_64 rng(3);
    std::normal_distribution<double> noise(0.0, 0.01);
    std::vector<double> f, t;
    for (int i = 0; i < 400; ++i) {
        const double v = 1.0 + 0.01 * i;
        f.push_back(v);
        t.push_back(3.0 * v + noise(rng));
    }
    const AffineFit fit = simplest_affine_fit(f, t, model);
    EXPECT_EQ(fit.scale, 3.0);
    EXPECT_EQ(fit.offset, 0.0);
}

TEST(LinearFit, ApplyAffineOmitsTrivialConstants) {
    const Expression x = Expression::variable(0);
    const std::vector<std::string> names{"x"};
    EXPECT_EQ(to_infix(apply_affine(x, 1.0, 0.0), names), "x");
    EXPECT_EQ(to_infix(apply_affine(x, -1.0, 0.0), names), "-x");
    EXPECT_EQ(to_infix(apply_affine(x, -1.0, 2.0), names), "2 - x");
    EXPECT_EQ(to_infix(apply_affine(x, 3.0, -0.5), names), "3*x - 0.5");
}

TEST(LinearFit, SimpleValuesNear) {
    const std::vector<double> v = simple_values_near(0.3334, 12);
    ASSERT_FALSE(v.empty());
    EXPECT_DOUBLE_EQ(v.front(), 1.0 / 3.0);
    for (double x : v) EXPECT_EQ(std::count(v.begin(), v.end(), x), 1);
}

TEST(TargetTransform, InverseUndoesForward) {
    Eigen::MatrixXd X(4, 1);
    X << 0.5, 1.0, 2.0, 3.5;
    for (double sign : {1.0, -1.0}) {
        const Eigen::VectorXd y = sign * X.col(0);
        for (const TargetTransform& t : applicable_transforms(y)) {
            // g is the formula "x0" over a table whose one column is T(y): T^-1(g) must be y.
            const Eigen::MatrixXd G = t.forward(y);
            Evaluator evaluate;
            const Eigen::VectorXd back = evaluate(t.inverse(Expression::variable(0)), G);
            for (Eigen::Index i = 0; i < y.size(); ++i) EXPECT_NEAR(back(i), y(i), 1e-12) << t.name();
        }
    }
}

TEST(TargetTransform, OnlyThoseDefinedOnTheData) {
    Eigen::VectorXd positive(3), mixed(3), with_zero(3);
    positive << 1, 2, 3;
    mixed << -1, 2, 3;
    with_zero << 0, 2, 3;
    EXPECT_EQ(applicable_transforms(positive).size(), 6u);
    EXPECT_EQ(applicable_transforms(mixed).size(), 2u);  // y, 1/y
    EXPECT_EQ(applicable_transforms(with_zero).size(), 1u);
    EXPECT_EQ(applicable_transforms(with_zero)[0].kind(), TargetTransformKind::Identity);
}

TEST(ErrorBits, ZeroForExactAndAboutTwentyForOnePerMille) {
    Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(100, 1.0, 2.0);
    EXPECT_NEAR(error_bits(y, y), 0.0, 1e-12);
    const Eigen::VectorXd off = y * 1.001;
    const double bits = error_bits(y, off);
    EXPECT_GT(bits, 18.0);
    EXPECT_LT(bits, 21.0);
    EXPECT_GT(error_bits(y, y * 1.1), bits);
}

// ---- recovering laws ----

TEST(Enumerator, RecoversProduct) {
    expect_recovers("x0*x1", [](const Eigen::MatrixXd& X, Eigen::Index r) { return X(r, 0) * X(r, 1); }, {{}, {}});
}

TEST(Enumerator, RecoversProductWithSquare) {
    expect_recovers("x0*x1^2", [](const Eigen::MatrixXd& X, Eigen::Index r) { return X(r, 0) * X(r, 1) * X(r, 1); },
                    {{}, {}});
}

TEST(Enumerator, RecoversInverseSquareLaw) {
    expect_recovers("x0*x1/x2^2",
                    [](const Eigen::MatrixXd& X, Eigen::Index r) { return X(r, 0) * X(r, 1) / (X(r, 2) * X(r, 2)); },
                    {{}, {}, {}});
}

TEST(Enumerator, RecoversPendulumPeriod) {
    expect_recovers("6.2832*sqrt(x0/x1)",
                    [](const Eigen::MatrixXd& X, Eigen::Index r) { return 6.2832 * std::sqrt(X(r, 0) / X(r, 1)); },
                    {{}, {}});
}

TEST(Enumerator, RecoversRatioOfSum) {
    expect_recovers("x0/(x1+x2)",
                    [](const Eigen::MatrixXd& X, Eigen::Index r) { return X(r, 0) / (X(r, 1) + X(r, 2)); },
                    {{}, {}, {}});
}

TEST(Enumerator, RecoversLorentzFactor) {
    expect_recovers("1/sqrt(1-x0^2/x1^2)",
                    [](const Eigen::MatrixXd& X, Eigen::Index r) {
                        const double v = X(r, 0) / X(r, 1);
                        return 1.0 / std::sqrt(1.0 - v * v);
                    },
                    {{0.1, 0.9}, {1.0, 2.0}});
}

// ---- behaviour ----

namespace {

std::vector<std::string> front_text(const SearchReport& report) {
    std::vector<std::string> out;
    for (const Candidate& c : report.front.members()) out.push_back(to_infix(c.expression, {}));
    return out;
}

}  // namespace

TEST(Enumerator, SameResultForAnyThreadCount) {
    // A law the default operators cannot express exactly, so the search runs to its evaluation
    // budget and the whole front, not just an early exact hit, has to agree.
    const Eigen::MatrixXd X = uniform_inputs(500, {{}, {}, {}}, 5);
    const Eigen::VectorXd y = apply_law(
        [](const Eigen::MatrixXd& X, Eigen::Index r) { return std::atan(X(r, 0)) * X(r, 1) + std::tanh(X(r, 2)); }, X);
    SearchOptions options;
    options.time_limit_seconds = 120.0;
    options.max_evaluations = 300'000;
    options.threads = 1;
    const SearchReport one = enumerate_search(X, y, options);
    options.threads = 2;
    const SearchReport two = enumerate_search(X, y, options);
    options.threads = 5;  // more threads than cores: still the same
    const SearchReport five = enumerate_search(X, y, options);
    ASSERT_FALSE(one.front.empty());
    EXPECT_FALSE(one.timed_out);
    EXPECT_GT(one.front.size(), 2u);
    EXPECT_EQ(to_infix(one.front.best().expression, {}), to_infix(two.front.best().expression, {}));
    EXPECT_EQ(front_text(one), front_text(two));
    EXPECT_EQ(front_text(one), front_text(five));
    EXPECT_EQ(one.evaluations, two.evaluations);
    EXPECT_EQ(one.bank_entries, two.bank_entries);
    EXPECT_LE(one.evaluations, options.max_evaluations);
}

TEST(Enumerator, DifferentSeedsStillFindTheLaw) {
    const Eigen::MatrixXd X = uniform_inputs(1000, {{}, {}}, 9);
    const Eigen::VectorXd y = (X.col(0).array() / X.col(1).array()).matrix();
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        SearchOptions options;
        options.seed = seed;
        const SearchReport report = enumerate_search(X, y, options);
        ASSERT_FALSE(report.front.empty());
        EXPECT_EQ(to_infix(report.front.best().expression, {}), "x0/x1") << "seed " << seed;
    }
}

TEST(Enumerator, NoisyDataGivesTheLawWithSnappedConstants) {
    // 1% noise: the least-squares scale is 1 only to within the noise, and the two-part code
    // length must still prefer x0*x1 to 1.0015*x0*x1.
    const Eigen::MatrixXd X = uniform_inputs(1000, {{}, {}, {}}, 18);
    Eigen::VectorXd y = (X.col(0).array() * X.col(1).array()).matrix();
    std::mt19937_64 rng(19);
    std::normal_distribution<double> noise(0.0, 0.01 * std::sqrt(y.squaredNorm() / 1000.0));
    for (Eigen::Index r = 0; r < y.size(); ++r) y(r) += noise(rng);
    SearchOptions options;
    options.max_evaluations = 100'000;
    const SearchReport report = enumerate_search(X, y, options);
    ASSERT_FALSE(report.front.empty());
    EXPECT_FALSE(report.exact);
    EXPECT_EQ(to_infix(report.front.best().expression, {}), "x0*x1");
    EXPECT_GT(report.front.best().r2, 0.99);
}

TEST(Enumerator, HonoursTheTimeLimit) {
    const Eigen::MatrixXd X = uniform_inputs(1000, std::vector<Range>(6), 11);
    std::mt19937_64 rng(12);
    std::normal_distribution<double> noise;
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index r = 0; r < y.size(); ++r) y(r) = noise(rng);
    SearchOptions options;
    options.time_limit_seconds = 0.5;
    const auto t0 = std::chrono::steady_clock::now();
    const SearchReport report = enumerate_search(X, y, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(report.timed_out);
    EXPECT_FALSE(report.cancelled);
    EXPECT_FALSE(report.exact);
    EXPECT_LT(seconds, 1.5);
    EXPECT_GE(seconds, 0.45);
    EXPECT_GT(report.evaluations, 0u);
    EXPECT_FALSE(report.front.empty());  // at least the constant model
}

TEST(Enumerator, CancelledBeforeStart) {
    const Eigen::MatrixXd X = uniform_inputs(1000, std::vector<Range>(4), 13);
    const Eigen::VectorXd y = X.col(0).array().sin().matrix() + X.col(1);
    std::atomic<bool> cancel{true};
    SearchOptions options;
    options.cancel = &cancel;
    const auto t0 = std::chrono::steady_clock::now();
    const SearchReport report = enumerate_search(X, y, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(report.cancelled);
    EXPECT_FALSE(report.timed_out);
    EXPECT_LT(seconds, 0.2);
    EXPECT_EQ(report.evaluations, 0u);
}

TEST(Enumerator, CancelledWhileRunningKeepsWhatItFound) {
    const Eigen::MatrixXd X = uniform_inputs(1000, std::vector<Range>(6), 14);
    const Eigen::VectorXd y = (X.col(0).array() * X.col(1).array().cos() +
                               X.col(2).array().sqrt() * X.col(3).array().exp() / X.col(4).array())
                                  .matrix();
    std::atomic<bool> cancel{false};
    SearchOptions options;
    options.cancel = &cancel;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    const auto t0 = std::chrono::steady_clock::now();
    const SearchReport report = enumerate_search(X, y, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    stopper.join();
    EXPECT_TRUE(report.cancelled);
    EXPECT_LT(seconds, 0.3 + 0.5);
    EXPECT_GT(report.front.size(), 1u);
}

TEST(Enumerator, StopsAtTheEvaluationBudget) {
    const Eigen::MatrixXd X = uniform_inputs(300, std::vector<Range>(4), 15);
    const Eigen::VectorXd y = X.col(0).array().sin().matrix() + X.col(1).cwiseProduct(X.col(2));
    SearchOptions options;
    options.max_evaluations = 20'000;
    const SearchReport report = enumerate_search(X, y, options);
    EXPECT_GT(report.evaluations, 0u);
    EXPECT_LE(report.evaluations, 20'000u);
    EXPECT_FALSE(report.timed_out);
}

TEST(Enumerator, StopsAfterTheLevelThatReachesTheMemoryCap) {
    const Eigen::MatrixXd X = uniform_inputs(500, std::vector<Range>(3), 20);
    const Eigen::VectorXd y = (X.col(0).array().sin() * X.col(1).array().exp() + X.col(2).array()).matrix();
    SearchOptions options;
    options.max_memory_mb = 1;
    const SearchReport report = enumerate_search(X, y, options);
    EXPECT_TRUE(report.memory_limited);
    EXPECT_FALSE(report.timed_out);
    EXPECT_GE(report.levels_completed, 3u);
    EXPECT_LE(report.bank_entries * 200 * sizeof(double), std::size_t{1} << 20);
    EXPECT_FALSE(report.front.empty());
}

TEST(Enumerator, LevelLimitAndOperatorSet) {
    const Eigen::MatrixXd X = uniform_inputs(200, {{}, {}}, 16);
    const Eigen::VectorXd y = (X.col(0).array() + X.col(1).array()).matrix();
    SearchOptions options;
    options.max_nodes = 3;
    options.operators = {Op::Mul, Op::Div};  // no + : x0 + x1 cannot be made exactly
    const SearchReport report = enumerate_search(X, y, options);
    EXPECT_EQ(report.levels_completed, 3u);
    EXPECT_FALSE(report.exact);
    for (const Candidate& c : report.front.members())
        for (const Node& n : c.expression.nodes()) EXPECT_NE(n.op, Op::Sin);
    options.operators = {Op::Add};
    const SearchReport with_add = enumerate_search(X, y, options);
    EXPECT_TRUE(with_add.exact);
    EXPECT_EQ(to_infix(with_add.front.best().expression, {}), "x0 + x1");
}

TEST(Enumerator, ConstantTargetGivesTheConstant) {
    const Eigen::MatrixXd X = uniform_inputs(100, {{}, {}}, 17);
    const Eigen::VectorXd y = Eigen::VectorXd::Constant(100, 2.5);
    const SearchReport report = enumerate_search(X, y, {});
    ASSERT_FALSE(report.front.empty());
    EXPECT_EQ(to_infix(report.front.best().expression, {}), "2.5");
    EXPECT_TRUE(report.exact);
}

TEST(Enumerator, RejectsMismatchedSizes) {
    Eigen::MatrixXd X(10, 2);
    Eigen::VectorXd y(9);
    EXPECT_THROW(enumerate_search(X, y, {}), std::invalid_argument);
}
