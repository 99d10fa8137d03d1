// Levenberg–Marquardt constant fitting (kepler/fitting/constant_fitting.hpp): recovery of known
// constants, non-finite regions, the exact Jacobian against finite differences, determinism
// and statistical agreement on noisy data.
#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/random_expression.hpp"
#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/grammar/formula_parser.hpp"

using namespace kepler;

namespace {

// Parses `text` over the variables x0..x{vars-1}; the names p0, p1, ... become Param slots
// 0, 1, ... with the given initial values.
Expression with_params(const std::string& text, int vars, const std::vector<double>& initial) {
    std::vector<std::string> names;
    // (Appending rather than "x" + std::to_string(i): g++ 12 gives a false -Wrestrict there.)
    for (int i = 0; i < vars; ++i) names.emplace_back("x").append(std::to_string(i));
    for (std::size_t k = 0; k < initial.size(); ++k) names.emplace_back("p").append(std::to_string(k));
    Expression e = grammar::parse_formula(text, names);
    for (Node& n : e.mutable_nodes())
        if (n.op == Op::Var && n.index >= vars) {
            const auto slot = static_cast<std::uint16_t>(n.index - vars);
            n = Node::param(slot, initial[slot]);
        }
    return e;
}

// Rows of inputs, column j uniform in [lo[j], hi[j]].
Eigen::MatrixXd inputs(Eigen::Index rows, const std::vector<double>& lo, const std::vector<double>& hi,
                       std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Eigen::MatrixXd X(rows, static_cast<Eigen::Index>(lo.size()));
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        std::uniform_real_distribution<double> u(lo[static_cast<std::size_t>(j)], hi[static_cast<std::size_t>(j)]);
        for (Eigen::Index i = 0; i < rows; ++i) X(i, j) = u(rng);
    }
    return X;
}

// The law `e` with its parameters set to `truth`, evaluated on X.
Eigen::VectorXd truth_values(Expression e, const Eigen::MatrixXd& X, const std::vector<double>& truth) {
    e.set_parameters(truth);
    return Evaluator()(e, X);
}

void expect_relative(const std::vector<double>& got, const std::vector<double>& want, double tol) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < want.size(); ++k)
        EXPECT_LE(std::abs(got[k] - want[k]), tol * std::abs(want[k]))
            << "parameter " << k << ": " << got[k] << " vs " << want[k];
}

}  // namespace

TEST(ConstantFit, RecoversExponentialDecayFromUnitStart) {
    const Expression e = with_params("p0*exp(-p1*x0)", 1, {1.0, 1.0});
    const Eigen::MatrixXd X = inputs(60, {0.0}, {5.0}, 1);
    const Eigen::VectorXd y = truth_values(e, X, {2.5, 0.7});
    const ConstantFit fit = fit_constants(e, X, y);
    EXPECT_TRUE(fit.improved);
    expect_relative(fit.parameters, {2.5, 0.7}, 1e-9);
    EXPECT_LT(fit.sse, 1e-20);
    EXPECT_GT(fit.iterations, 0);
}

TEST(ConstantFit, RecoversSineFromStartWithin20Percent) {
    const std::vector<double> truth{1.7, 1.3, 0.4};
    const Expression e = with_params("p0*sin(p1*x0 + p2)", 1, {1.7 * 0.8, 1.3 * 1.2, 0.4 * 1.2});
    const Eigen::MatrixXd X = inputs(100, {0.0}, {4.0}, 2);
    const Eigen::VectorXd y = truth_values(e, X, truth);
    const ConstantFit fit = fit_constants(e, X, y);
    EXPECT_TRUE(fit.improved);
    expect_relative(fit.parameters, truth, 1e-8);
}

TEST(ConstantFit, ParametersInsideSqrtLogAndPow) {
    const std::vector<double> truth{2.2, 1.5, 1.7, 0.3};
    const Expression e = with_params("sqrt(p0*x0) + log(p1 + x1)*x0^p2 - p3^2*x1", 2, {2.0, 1.2, 1.5, 0.35});
    const Eigen::MatrixXd X = inputs(200, {0.5, 0.0}, {3.0, 2.0}, 3);
    const Eigen::VectorXd y = truth_values(e, X, truth);
    const ConstantFit fit = fit_constants(e, X, y);
    EXPECT_TRUE(fit.improved);
    expect_relative(fit.parameters, truth, 1e-8);
}

// log(p0 - x0) with x0 up to 4: a start at 4.05 is finite, but a step below 4 is not.
TEST(ConstantFit, NonFiniteTrialPointsAreRejected) {
    const Expression e = with_params("log(p0 - x0)", 1, {4.05});
    Eigen::MatrixXd X = inputs(80, {0.0}, {4.0}, 4);
    X(0, 0) = 4.0;
    const Eigen::VectorXd y = truth_values(e, X, {5.0});
    ConstantFitOptions options;
    options.restarts = 0;
    const ConstantFit fit = fit_constants(e, X, y, options);
    ASSERT_EQ(fit.parameters.size(), 1u);
    EXPECT_TRUE(std::isfinite(fit.parameters[0]));
    EXPECT_TRUE(std::isfinite(fit.sse));
    EXPECT_TRUE(fit.improved);
    EXPECT_NEAR(fit.parameters[0], 5.0, 1e-8);

    // Started far above the truth (4.1, just above max x0 = 4): Gauss-Newton steps overshoot
    // below 4 and must be rejected on the way down.
    const Eigen::VectorXd y_near = truth_values(e, X, {4.1});
    Expression far = e;
    far.set_parameters(std::vector<double>{9.0});
    const ConstantFit fit_near = fit_constants(far, X, y_near, options);
    EXPECT_TRUE(fit_near.improved);
    EXPECT_NEAR(fit_near.parameters[0], 4.1, 1e-8);

    // A law with a scale, started where the data pull p0 towards the pole.
    const Expression scaled = with_params("p1*log(p0 - x0) + x0", 1, {4.01, 3.0});
    const Eigen::VectorXd y2 = truth_values(scaled, X, {4.5, 0.8});
    const ConstantFit fit2 = fit_constants(scaled, X, y2);
    for (double p : fit2.parameters) EXPECT_TRUE(std::isfinite(p));
    EXPECT_TRUE(std::isfinite(fit2.sse));
    EXPECT_TRUE(fit2.improved);
    Expression fitted = scaled;
    fitted.set_parameters(fit2.parameters);
    EXPECT_TRUE(Evaluator()(fitted, X).allFinite());
}

// A start that is itself not finite: without restarts nothing is fitted; with restarts a
// finite start may be found, and the result is never NaN.
TEST(ConstantFit, NonFiniteStart) {
    const Expression e = with_params("log(p0 - x0)", 1, {3.0});
    const Eigen::MatrixXd X = inputs(50, {0.0}, {4.0}, 5);
    const Eigen::VectorXd y = truth_values(e, X, {5.0});
    ConstantFitOptions none;
    none.restarts = 0;
    const ConstantFit fit = fit_constants(e, X, y, none);
    EXPECT_FALSE(fit.improved);
    EXPECT_EQ(fit.parameters, std::vector<double>{3.0});
    EXPECT_EQ(fit.sse, std::numeric_limits<double>::infinity());

    ConstantFitOptions many;
    many.restarts = 8;
    const ConstantFit fit2 = fit_constants(e, X, y, many);
    EXPECT_FALSE(std::isnan(fit2.sse));
    EXPECT_TRUE(std::isfinite(fit2.parameters[0]));
    if (fit2.improved) {
        EXPECT_TRUE(std::isfinite(fit2.sse));
    }
}

TEST(ConstantFit, NothingToFit) {
    const Expression e = with_params("2*x0 + 1", 1, {});
    const Eigen::MatrixXd X = inputs(10, {0.0}, {1.0}, 6);
    const Eigen::VectorXd y = Eigen::VectorXd::Constant(10, 1.0);
    const ConstantFit fit = fit_constants(e, X, y);
    EXPECT_FALSE(fit.improved);
    EXPECT_TRUE(fit.parameters.empty());
    EXPECT_DOUBLE_EQ(fit.sse, (Evaluator()(e, X) - y).squaredNorm());
    // Fewer rows than parameters: nothing is fitted either.
    const Expression two = with_params("p0*x0 + p1", 1, {1.0, 1.0});
    const ConstantFit fit2 = fit_constants(two, X.topRows(1), y.head(1));
    EXPECT_FALSE(fit2.improved);
    EXPECT_EQ(fit2.parameters, (std::vector<double>{1.0, 1.0}));
}

const std::vector<std::string> kNames{"x0", "x1"};

// True if every subtree of `e` is finite on every row. Where some intermediate value is
// infinite (sqrt(0)^-4 inside tanh) the derivative is a limit that the chain rule cannot
// give (0 * inf); such formulas are left out of the comparison.
bool all_subtrees_finite(const Expression& e, const Eigen::MatrixXd& X) {
    Evaluator evaluator;
    const auto nodes = e.nodes();
    for (std::size_t last = 0; last < nodes.size(); ++last) {
        const std::size_t first = e.subtree_begin(last);
        const Expression sub(std::vector<Node>(nodes.begin() + static_cast<std::ptrdiff_t>(first),
                                               nodes.begin() + static_cast<std::ptrdiff_t>(last) + 1));
        if (!evaluator(sub, X).allFinite()) return false;
    }
    return true;
}

// The dual-number Jacobian against Richardson-extrapolated central differences, on random
// formulas whose real constants became parameters.
TEST(ConstantFit, JacobianMatchesFiniteDifferences) {
    const std::vector<Op> ops{Op::Add, Op::Sub, Op::Mul, Op::Div,  Op::Pow,  Op::Sqrt, Op::Exp,
                              Op::Log, Op::Sin, Op::Cos, Op::Tanh, Op::Atan, Op::Neg,  Op::Abs};
    RandomExpressionOptions options;
    options.max_nodes = 24;
    options.variable_count = 2;
    options.operators = ops;
    options.constant_probability = 0.5;
    std::mt19937_64 rng(42);
    const Eigen::MatrixXd X = inputs(40, {0.5, 0.5}, {2.0, 2.0}, 7);
    Evaluator evaluator;
    int formulas = 0, checked = 0;
    for (int trial = 0; trial < 2000 && formulas < 60; ++trial) {
        const Expression e = constants_to_parameters(random_expression(rng, options));
        const std::size_t P = e.parameter_count();
        if (P == 0) continue;
        std::vector<double> p = e.parameters();
        Eigen::VectorXd values;
        Eigen::MatrixXd J;
        evaluate_with_jacobian(e, X, p, values, J);
        ASSERT_EQ(J.cols(), static_cast<Eigen::Index>(P));
        // Values agree with Evaluator.
        const Eigen::VectorXd plain = evaluator(e, X);
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            if (std::isfinite(plain(i))) {
                EXPECT_EQ(values(i), plain(i));
            }
        if (!all_subtrees_finite(e, X) || values.cwiseAbs().maxCoeff() > 1e6) continue;
        ++formulas;
        for (std::size_t k = 0; k < P; ++k) {
            auto central = [&](double h) {
                std::vector<double> up = p, down = p;
                up[k] += h;
                down[k] -= h;
                return Eigen::VectorXd((evaluator(e, X, up) - evaluator(e, X, down)) / (2 * h));
            };
            const double h = 1e-3 * (1.0 + std::abs(p[k]));
            const Eigen::VectorXd d1 = central(h), d2 = central(h / 2);
            const Eigen::VectorXd richardson = (4.0 * d2 - d1) / 3.0;
            for (Eigen::Index i = 0; i < X.rows(); ++i) {
                const double exact = J(i, static_cast<Eigen::Index>(k));
                const double fd = richardson(i);
                if (!std::isfinite(fd) || !std::isfinite(d1(i))) continue;
                // Skip rows where the difference quotient itself is not settled (a kink of
                // abs, or a nearby singularity): there finite differences are not a reference.
                if (std::abs(d1(i) - d2(i)) > 1e-2 * (std::abs(d2(i)) + 1e-3)) continue;
                const double scale = std::max({std::abs(exact), std::abs(fd), 1e-6 * (1.0 + std::abs(values(i)))});
                EXPECT_LE(std::abs(exact - fd), 1e-6 * scale)
                    << to_infix(e, kNames) << ", slot " << k << " row " << i << ": " << exact << " vs " << fd;
                ++checked;
            }
        }
    }
    RecordProperty("formulas", formulas);
    RecordProperty("checked", checked);
    EXPECT_GE(formulas, 40);
    EXPECT_GE(checked, 2000);
}

TEST(ConstantFit, SameSeedSameResult) {
    const Expression e = with_params("p0*sin(p1*x0 + p2)", 1, {1.0, 2.0, 0.0});
    const Eigen::MatrixXd X = inputs(150, {0.0}, {6.0}, 8);
    Eigen::VectorXd y = truth_values(e, X, {1.7, 1.3, 0.4});
    std::mt19937_64 rng(9);
    std::normal_distribution<double> gauss(0.0, 0.05);
    for (Eigen::Index i = 0; i < y.size(); ++i) y(i) += gauss(rng);
    ConstantFitOptions options;
    options.restarts = 4;
    options.seed = 123;
    const ConstantFit a = fit_constants(e, X, y, options);
    const ConstantFit b = fit_constants(e, X, y, options);
    EXPECT_EQ(a.parameters, b.parameters);
    EXPECT_EQ(a.sse, b.sse);
    EXPECT_EQ(a.iterations, b.iterations);
    EXPECT_EQ(a.improved, b.improved);
    // Noisy data: no start is exact, so every restart ran.
    ConstantFitOptions single = options;
    single.restarts = 0;
    EXPECT_GT(a.iterations, fit_constants(e, X, y, single).iterations);
}

// Gaussian noise: the fitted constants lie within a few standard errors of the truth, the
// standard errors from the Jacobian at the fit, sigma^2 (J^T J)^-1.
TEST(ConstantFit, NoisyDataWithinStandardErrors) {
    const std::vector<double> truth{2.5, 0.7, 0.3};
    const Expression e = with_params("p0*exp(-p1*x0) + p2", 1, {1.0, 1.0, 0.0});
    const Eigen::MatrixXd X = inputs(300, {0.0}, {5.0}, 10);
    const double sigma = 0.02;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        Eigen::VectorXd y = truth_values(e, X, truth);
        std::mt19937_64 rng(seed);
        std::normal_distribution<double> gauss(0.0, sigma);
        for (Eigen::Index i = 0; i < y.size(); ++i) y(i) += gauss(rng);
        const ConstantFit fit = fit_constants(e, X, y);
        ASSERT_TRUE(fit.improved);
        Eigen::VectorXd values;
        Eigen::MatrixXd J;
        evaluate_with_jacobian(e, X, fit.parameters, values, J);
        const Eigen::MatrixXd covariance = (J.transpose() * J).inverse() * (sigma * sigma);
        for (std::size_t k = 0; k < truth.size(); ++k) {
            const double se = std::sqrt(covariance(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k)));
            EXPECT_LE(std::abs(fit.parameters[k] - truth[k]), 4.0 * se)
                << "seed " << seed << " parameter " << k << ": " << fit.parameters[k] << " (se " << se << ")";
        }
        // The fit is the least-squares optimum: no worse than the truth itself.
        EXPECT_LE(fit.sse, (truth_values(e, X, truth) - y).squaredNorm());
        // And the gradient J^T r vanishes there.
        const Eigen::VectorXd gradient = J.transpose() * (values - y);
        EXPECT_LT(gradient.cwiseAbs().maxCoeff(), 1e-8 * (J.norm() * (values - y).norm()));
    }
}

TEST(ConstantFit, ConstantsToParametersKeepsSimpleNumbers) {
    const std::vector<std::string> names{"x"};
    const Expression e = grammar::parse_formula("2.5*x + 3 - 0.5*x^2 + 1.7/x - 0.5 + pi*12", names);
    const Expression p = constants_to_parameters(e);
    EXPECT_EQ(p.parameter_count(), 3u);  // 2.5, 1.7, 12
    EXPECT_EQ(p.parameters(), (std::vector<double>{2.5, 1.7, 12.0}));
    EXPECT_EQ(parameters_to_constants(p), e);
    // Existing parameters keep their slots; new ones come after them.
    const Expression mixed = with_params("p0*x0 + 4.25", 1, {2.0});
    const Expression m = constants_to_parameters(mixed);
    EXPECT_EQ(m.parameters(), (std::vector<double>{2.0, 4.25}));
}

// The intended use: a formula found with rough constants is polished.
TEST(ConstantFit, PolishesRoughConstants) {
    const std::vector<std::string> names{"x0", "x1"};
    const Eigen::MatrixXd X = inputs(200, {1.0, 1.0}, {5.0, 5.0}, 11);
    const Expression truth = grammar::parse_formula("8.314*x0/(x1 + 0.273)", names);
    const Eigen::VectorXd y = Evaluator()(truth, X);
    const Expression rough = constants_to_parameters(grammar::parse_formula("8.3*x0/(x1 + 0.3)", names));
    const ConstantFit fit = fit_constants(rough, X, y);
    EXPECT_TRUE(fit.improved);
    expect_relative(fit.parameters, {8.314, 0.273}, 1e-9);
}
