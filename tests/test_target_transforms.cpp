// The inverse-function target transforms: exp(y), asin(y), acos(y), atan(y) and sin(y), cos(y), tan(y). The laws below
// are searched with the operators + - * / only, so the log, sin, cos or tan can only come from the transform: y = log(1
// + x0*x1) is exp(y) = 1 + x0*x1, an affine function of a 3-node formula.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/search/target_transform.hpp"

using namespace kepler;

namespace {

using Law = std::function<double(double, double)>;

Eigen::MatrixXd uniform(Eigen::Index rows, double low, double high, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(low, high);
    Eigen::MatrixXd m(rows, 2);
    for (Eigen::Index r = 0; r < rows; ++r)
        for (Eigen::Index c = 0; c < 2; ++c) m(r, c) = u(rng);
    return m;
}

Eigen::VectorXd apply(const Law& law, const Eigen::MatrixXd& X) {
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index r = 0; r < X.rows(); ++r) y(r) = law(X(r, 0), X(r, 1));
    return y;
}

SearchOptions rational_operators() {
    SearchOptions options;
    options.operators = {Op::Add, Op::Sub, Op::Mul, Op::Div};
    options.time_limit_seconds = 30.0;
    return options;
}

// The best formula must agree with the law to 1e-9 relative on fresh points.
void expect_recovers(const std::string& truth, const Law& law, double low, double high, Op outer) {
    const Eigen::MatrixXd X = uniform(500, low, high, 1);
    const SearchReport report = enumerate_search(X, apply(law, X), rational_operators());
    ASSERT_FALSE(report.front.empty());
    const Expression& best = report.front.best().expression;
    const std::string found = to_infix(best, {});
    std::cout << "[ law      ] " << truth << "  ->  " << found << "\n";
    EXPECT_TRUE(report.exact) << found;
    EXPECT_EQ(best.nodes().back().op, outer) << found;
    const Eigen::MatrixXd fresh = uniform(300, low, high, 2);
    const Eigen::VectorXd expected = apply(law, fresh);
    const Eigen::VectorXd predicted = Evaluator{}(best, fresh);
    for (Eigen::Index r = 0; r < fresh.rows(); ++r)
        EXPECT_NEAR(predicted(r), expected(r), 1e-9 * std::max(1.0, std::abs(expected(r)))) << found;
}

}  // namespace

TEST(FunctionTransforms, OnlyThoseDefinedOnTheData) {
    Eigen::VectorXd unit(3), wide(3), huge(3);
    unit << -0.5, 0.2, 0.9;
    wide << -2.0, 0.5, 3.0;
    huge << 1.0, 2.0, 800.0;  // exp overflows
    auto kinds = [](const Eigen::VectorXd& y) {
        std::vector<TargetTransformKind> k;
        for (const TargetTransform& t : applicable_function_transforms(y)) k.push_back(t.kind());
        return k;
    };
    using K = TargetTransformKind;
    // |y| <= 0.9 < pi/2: asin and atan laws are possible too; y < 0, so no acos law.
    EXPECT_EQ(kinds(unit), (std::vector<K>{K::Exp, K::Asin, K::Acos, K::Atan, K::Sin, K::Tan}));
    EXPECT_EQ(kinds(wide), (std::vector<K>{K::Exp, K::Atan}));
    EXPECT_EQ(kinds(huge), (std::vector<K>{K::Atan}));
}

TEST(FunctionTransforms, InverseUndoesForward) {
    Eigen::VectorXd y(4);
    y << -0.9, -0.1, 0.3, 0.99;
    for (const TargetTransform& t : applicable_function_transforms(y)) {
        const Eigen::MatrixXd G = t.forward(y);
        const Eigen::VectorXd back = Evaluator{}(t.inverse(Expression::variable(0)), G);
        for (Eigen::Index i = 0; i < y.size(); ++i) EXPECT_NEAR(back(i), y(i), 1e-12) << t.name();
    }
}

TEST(FunctionTransforms, RecoversLogOfOnePlusProduct) {
    expect_recovers(
        "log(1 + x0*x1)", [](double a, double b) { return std::log(1.0 + a * b); }, 1.0, 5.0, Op::Log);
}

TEST(FunctionTransforms, RecoversSineOfAReducedRatio) {
    // x0*x1/(x0 + x1) stays within [0.25, 0.75] here, inside asin's range [-pi/2, pi/2].
    expect_recovers(
        "sin(x0*x1/(x0 + x1))", [](double a, double b) { return std::sin(a * b / (a + b)); }, 0.5, 1.5, Op::Sin);
}

TEST(FunctionTransforms, RecoversCosineAndTangentOfARatio) {
    expect_recovers(
        "cos(x0/x1)", [](double a, double b) { return std::cos(a / b); }, 0.5, 2.0, Op::Cos);
    expect_recovers(
        "tan(x0*x1)", [](double a, double b) { return std::tan(a * b); }, 0.2, 1.0, Op::Tan);
}

TEST(FunctionTransforms, RecoversInverseFunctionsOfSmallFormulas) {
    // Snell-like laws: sin(y) = x0*x1 is a 3-node formula once the target is transformed.
    expect_recovers(
        "asin(x0*x1)", [](double a, double b) { return std::asin(a * b); }, 0.3, 1.0, Op::Asin);
    expect_recovers(
        "acos(x0/(x0 + x1))", [](double a, double b) { return std::acos(a / (a + b)); }, 0.5, 2.0, Op::Acos);
    expect_recovers(
        "atan(x0/x1)", [](double a, double b) { return std::atan(a / b); }, 0.5, 3.0, Op::Atan);
}

TEST(FunctionTransforms, NeedADimensionlessTarget) {
    const Eigen::MatrixXd X = uniform(300, 0.5, 1.5, 3);
    const Eigen::VectorXd y = apply([](double a, double b) { return std::sin(a * b / (a + b)); }, X);
    SearchOptions options = rational_operators();
    options.max_nodes = 9;
    DimensionalConstraints dims;
    dims.variables = {Dimension{}, Dimension{}};
    dims.scale = DimensionalConstraints::Scale::Free;  // the scale may carry any dimension
    // A dimensionless target: asin(y) is allowed and the law is found.
    options.dimensions = dims;
    EXPECT_TRUE(enumerate_search(X, y, options).exact);
    // The same numbers as a length: sin of something is never a length, asin(y) is not tried.
    dims.target = Dimension::base(1);
    options.dimensions = dims;
    options.time_limit_seconds = 5.0;
    const SearchReport report = enumerate_search(X, y, options);
    EXPECT_FALSE(report.exact);
    for (const Candidate& c : report.front.members())
        for (const Node& n : c.expression.nodes()) EXPECT_NE(n.op, Op::Sin) << to_infix(c.expression, {});
}
