#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/pipeline/dimensional_plan.hpp"

using namespace kepler;

namespace {

Dimension mlt(int m, int l, int t) {
    Dimension d;
    d.set_exponent(0, m);
    d.set_exponent(1, l);
    d.set_exponent(2, t);
    return d;
}

const std::vector<std::string> kNames = {"m", "v", "c"};

// Inputs m, v, c (mass, speed, speed) drawn in the Feynman ranges of I.48.2, y from `law`.
template <class Law>
void table(Eigen::MatrixXd& X, Eigen::VectorXd& y, Law law) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> m(1, 5), v(1, 2), c(3, 10);
    X.resize(500, 3);
    y.resize(500);
    for (Eigen::Index i = 0; i < 500; ++i) {
        X(i, 0) = m(rng);
        X(i, 1) = v(rng);
        X(i, 2) = c(rng);
        y(i) = law(X(i, 0), X(i, 1), X(i, 2));
    }
}

DimensionalPlan energy_plan() {
    const std::vector<Dimension> in = {mlt(1, 0, 0), mlt(0, 1, -1), mlt(0, 1, -1)};
    return plan_dimensions(in, mlt(1, 2, -2), UnitSystem{});
}

std::string monomial_text(const DimensionalPlan& plan) { return to_infix(simplify(*plan.monomial), kNames); }

}  // namespace

TEST(BalanceMonomial, MovesThePowerOfAGroupThatTheRestWouldHaveToRebuild) {
    DimensionalPlan plan = energy_plan();
    ASSERT_EQ(monomial_text(plan), "m*v^2");  // Buckingham Pi's smallest exponents
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    table(X, y, [](double m, double v, double c) { return m * c * c / std::sqrt(1 - v * v / (c * c)); });
    balance_monomial(plan, X, y);
    EXPECT_EQ(monomial_text(plan), "m*c^2");
}

TEST(BalanceMonomial, KeepsTheMonomialWhenTheRestIsFlat) {
    DimensionalPlan plan = energy_plan();
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    table(X, y, [](double m, double v, double c) { return 0.5 * m * v * v * (1 + 0.1 * v / c); });
    balance_monomial(plan, X, y);
    EXPECT_EQ(monomial_text(plan), "m*v^2");
}

TEST(BalanceMonomial, LeavesSteepNonPowerFunctionsAlone) {
    // exp(-(v/c)^2 * 20) falls like a high power of v/c over the range; such a power is not moved.
    DimensionalPlan plan = energy_plan();
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    table(X, y, [](double m, double v, double c) { return m * v * v * std::exp(-200 * (v / c) * (v / c)); });
    balance_monomial(plan, X, y);
    EXPECT_EQ(monomial_text(plan), "m*v^2");
}

TEST(BalanceMonomial, IgnoresARestThatChangesSign) {
    DimensionalPlan plan = energy_plan();
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    table(X, y, [](double m, double v, double c) { return m * c * c * std::sin(8 * v / c); });
    balance_monomial(plan, X, y);
    EXPECT_EQ(monomial_text(plan), "m*v^2");
}

TEST(ConstantUsed, SaysWhyWhenTheFormulaHasNoDimensionToRead) {
    // A law over a length that must give a mass: exp(L) has no dimension, so no constant can
    // be named, and the reason comes back instead of vanishing.
    DimensionalPlan plan;
    plan.constraints.variables = {mlt(0, 1, 0)};
    plan.constraints.target = mlt(1, 0, 0);
    std::string failure;
    EXPECT_EQ(constant_used(plan, Expression::unary(Op::Exp, Expression::variable(0)), &failure), nullptr);
    EXPECT_NE(failure.find("exp"), std::string::npos) << failure;
    failure.clear();
    EXPECT_EQ(constant_used(plan, Expression::variable(0), &failure), nullptr);  // L: no constant in the plan
    EXPECT_TRUE(failure.empty()) << failure;
}
