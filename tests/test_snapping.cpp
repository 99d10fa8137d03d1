// Snapping constants to closed forms of pi and of the unit system's constants
// (snap_constants.hpp), and what discover() prints with it.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/pipeline/snap_constants.hpp"
#include "random_inputs.hpp"

using namespace kepler;

using kepler::testing::uniform_matrix;

namespace {

constexpr double kPi = std::numbers::pi;

Expression parse(const std::string& text, const std::vector<std::string>& names) {
    return grammar::parse_formula(text, names);
}

ComplexityModel model_for(std::size_t variables) {
    ComplexityModel m;
    m.variable_count = static_cast<int>(variables);
    m.operator_count = 9;
    return m;
}

// The criterion snap_constants applies, written out: the RMSE with the form is at most the
// RMSE with the constant times (1 + 1e-6), plus 1e-12 rms(y).
double rmse(const Expression& e, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    const Eigen::VectorXd p = Evaluator{}(e, X);
    return std::sqrt((p - y).squaredNorm() / static_cast<double>(y.size()));
}
bool criterion_passes(const Expression& form, const Expression& original, const Eigen::MatrixXd& X,
                      const Eigen::VectorXd& y) {
    const double floor = 1e-12 * std::sqrt(y.squaredNorm() / static_cast<double>(y.size()));
    return rmse(form, X, y) <= rmse(original, X, y) * (1.0 + 1e-6) + floor;
}

}  // namespace

TEST(Snapping, OneOverFourPiOnExactData) {
    const std::vector<std::string> names{"q1", "q2", "epsilon", "r"};
    const Eigen::MatrixXd X = uniform_matrix(300, 4, 1.0, 5.0, 1);
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i) y(i) = X(i, 0) * X(i, 1) / (4 * kPi * X(i, 2) * X(i, 3) * X(i, 3));
    const Expression fitted = parse("0.079577471546*q1*q2/(epsilon*r^2)", names);
    const SnapResult s = snap_constants(fitted, X, y, model_for(4));
    ASSERT_EQ(s.snapped.size(), 1u);
    EXPECT_EQ(s.snapped[0].form, "1/(4*pi)");
    EXPECT_FALSE(s.snapped[0].physical);
    EXPECT_DOUBLE_EQ(s.snapped[0].value, 1.0 / (4.0 * kPi));
    EXPECT_EQ(to_infix(simplify(s.expression), names), "q1*q2/(4*pi*epsilon*r^2)");
}

TEST(Snapping, TwoPiInThePendulum) {
    const std::vector<std::string> names{"L", "g"};
    const Eigen::MatrixXd X = uniform_matrix(200, 2, 0.5, 10.0, 2);
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i) y(i) = 2 * kPi * std::sqrt(X(i, 0) / X(i, 1));
    const SnapResult s = snap_constants(parse("6.283185307179586*sqrt(L/g)", names), X, y, model_for(2));
    ASSERT_EQ(s.snapped.size(), 1u);
    EXPECT_EQ(s.snapped[0].form, "2*pi");
    EXPECT_EQ(to_infix(simplify(s.expression), names), "2*pi*sqrt(L/g)");
}

TEST(Snapping, OtherPiForms) {
    const std::vector<std::string> names{"x"};
    const Eigen::MatrixXd X = uniform_matrix(100, 1, 1.0, 3.0, 3);
    struct Case {
        double constant;
        std::string form;
        std::string printed;
    };
    for (const Case& c : {Case{4.0 / 3.0 * kPi, "4*pi/3", "4*pi*x^3/3"}, Case{kPi * kPi, "pi^2", "pi^2*x^3"},
                          Case{1.0 / (kPi * kPi), "1/pi^2", "x^3/pi^2"}, Case{-kPi / 2, "-pi/2", "-pi*x^3/2"}}) {
        const Eigen::VectorXd y = c.constant * X.col(0).array().cube().matrix();
        Expression e({Node::constant(c.constant), Node::var(0), Node::constant(3.0), Node::op_node(Op::Pow),
                      Node::op_node(Op::Mul)});
        const SnapResult s = snap_constants(e, X, y, model_for(1));
        ASSERT_EQ(s.snapped.size(), 1u) << c.form;
        EXPECT_EQ(s.snapped[0].form, c.form);
        EXPECT_EQ(to_infix(simplify(s.expression), names), c.printed);
    }
}

TEST(Snapping, SimpleAndUnrelatedConstantsStay) {
    const std::vector<std::string> names{"x"};
    const Eigen::MatrixXd X = uniform_matrix(100, 1, 1.0, 3.0, 4);
    // 2.5 is already simple; 6.2832 is not 2*pi on exact data (off by 3e-6).
    for (double k : {2.5, 6.2832, 1.2345}) {
        const Eigen::VectorXd y = k * X.col(0);
        const Expression e = Expression::binary(Op::Mul, Expression::constant(k), Expression::variable(0));
        const SnapResult s = snap_constants(e, X, y, model_for(1));
        EXPECT_TRUE(s.snapped.empty()) << k;
        EXPECT_EQ(s.expression, e);
    }
}

// An exponent is a plain number: x^(21/pi) is no law's form, and with a dimensioned base the
// pi form leaves units behind. The same value as a factor is snapped, so it is the position that
// decides.
TEST(Snapping, AnExponentIsNeverAPiForm) {
    const std::vector<std::string> names{"x"};
    const Eigen::MatrixXd X = uniform_matrix(100, 1, 1.0, 3.0, 5);
    const double k = 21.0 / kPi;
    const Eigen::VectorXd power = X.col(0).array().pow(k).matrix();
    const Expression e = Expression::binary(Op::Pow, Expression::variable(0), Expression::constant(k));
    const SnapResult exponent = snap_constants(e, X, power, model_for(1));
    EXPECT_TRUE(exponent.snapped.empty()) << exponent.snapped.front().form;
    EXPECT_EQ(exponent.expression, e);

    const Eigen::VectorXd product = k * X.col(0);
    const SnapResult factor = snap_constants(
        Expression::binary(Op::Mul, Expression::constant(k), Expression::variable(0)), X, product, model_for(1));
    ASSERT_EQ(factor.snapped.size(), 1u);
    EXPECT_EQ(factor.snapped[0].form, "21/pi");
}

TEST(Snapping, IdealGasConstantIsNotSnappedToRWhenTheDataSay8314) {
    const UnitSystem si = grammar::load_unit_system("si");
    const std::vector<std::string> names{"n", "T", "V"};
    const Eigen::MatrixXd X = uniform_matrix(300, 3, 1.0, 10.0, 5);
    SnapConstantsOptions options;
    options.physical_constants = si.constants;
    auto law = [&](double r) {
        Eigen::VectorXd y(X.rows());
        for (Eigen::Index i = 0; i < X.rows(); ++i) y(i) = r * X(i, 0) * X(i, 1) / X(i, 2);
        return y;
    };
    // The data say 8.314 (exactly): R = 8.314462618 is 6e-5 off, far outside the criterion.
    const Expression short_r = parse("8.314*n*T/V", names);
    const SnapResult kept = snap_constants(short_r, X, law(8.314), model_for(3), options);
    EXPECT_TRUE(kept.snapped.empty()) << kept.snapped[0].form << " " << kept.snapped[0].value;
    EXPECT_EQ(kept.expression, short_r);
    // Data made with R itself: the fitted constant (off in its last digit) becomes R's value.
    const SnapResult snapped =
        snap_constants(parse("8.314462618000002*n*T/V", names), X, law(8.314462618), model_for(3), options);
    ASSERT_EQ(snapped.snapped.size(), 1u);
    EXPECT_EQ(snapped.snapped[0].form, "R");
    EXPECT_TRUE(snapped.snapped[0].physical);
    EXPECT_EQ(to_infix(simplify(snapped.expression), names), "8.314462618*n*T/V");
    // Without the system's constants only pi forms are tried.
    EXPECT_TRUE(
        snap_constants(parse("8.314462618000002*n*T/V", names), X, law(8.314462618), model_for(3)).snapped.empty());
}

TEST(Snapping, PhysicalConstantWithPi) {
    // 1/(4*pi*eps0) of Coulomb's law in SI, as one number (the formula cannot name eps0).
    const UnitSystem si = grammar::load_unit_system("si");
    double eps0 = 0.0;
    for (const PhysicalConstant& c : si.constants)
        if (c.symbol == "eps0") eps0 = c.value.scale;
    ASSERT_GT(eps0, 0.0);
    const double k = 1.0 / (4.0 * kPi * eps0);
    const std::vector<std::string> names{"q1", "q2", "r"};
    const Eigen::MatrixXd X = uniform_matrix(200, 3, 1.0, 5.0, 6);
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i) y(i) = k * X(i, 0) * X(i, 1) / (X(i, 2) * X(i, 2));
    SnapConstantsOptions options;
    options.physical_constants = si.constants;
    const SnapResult s = snap_constants(parse("8987551792.3*q1*q2/r^2", names), X, y, model_for(3), options);
    ASSERT_EQ(s.snapped.size(), 1u);
    EXPECT_EQ(s.snapped[0].form, "1/(4*pi*eps0)");
    EXPECT_DOUBLE_EQ(s.snapped[0].value, k);
}

// Noisy data (1% of the RMS): the criterion compares the RMSE with pi to the RMSE with the
// constant it would replace, within a relative 1e-6. Near the least-squares value the RMSE is
// flat, so pi passes when it is at least as close to the least-squares value as the constant
// is (to within ~1.4e-5 relative at this noise), and fails when the data put the constant
// measurably elsewhere.
TEST(Snapping, NoisyPiOnlyWhenTheRmseCriterionPasses) {
    const std::vector<std::string> names{"x"};
    const Eigen::MatrixXd X = uniform_matrix(5000, 1, 1.0, 5.0, 7);
    std::mt19937_64 rng(8);
    std::normal_distribution<double> unit(0.0, 1.0);
    auto noisy = [&](double k) {
        Eigen::VectorXd y = k * X.col(0);
        const double sigma = 0.01 * std::sqrt(y.squaredNorm() / static_cast<double>(y.size()));
        for (Eigen::Index i = 0; i < y.size(); ++i) y(i) += sigma * unit(rng);
        return y;
    };
    const Expression fitted = parse("3.1399*x", names);
    const Expression pi_x = parse("pi*x", names);

    // Data from pi*x: 3.1399 is further from the least-squares value (~pi, known to ~1.4e-4
    // relative from 5000 rows) than pi is, so pi fits better and passes. 31/pi^2 = 3.14098
    // passes too, but costs some 16 bits more than pi: pi is taken.
    const Eigen::VectorXd from_pi = noisy(kPi);
    ASSERT_TRUE(criterion_passes(pi_x, fitted, X, from_pi));
    EXPECT_TRUE(criterion_passes(parse("31/pi^2*x", names), fitted, X, from_pi));
    const SnapResult accepted = snap_constants(fitted, X, from_pi, model_for(1));
    ASSERT_EQ(accepted.snapped.size(), 1u);
    EXPECT_EQ(accepted.snapped[0].form, "pi");
    EXPECT_EQ(to_infix(simplify(accepted.expression), names), "pi*x");

    // Data from 3.1399*x: pi is 5e-4 relative off, several standard errors of the constant;
    // the RMSE grows by far more than 1e-6 relative, so the constant stays.
    const Eigen::VectorXd from_3_1399 = noisy(3.1399);
    ASSERT_FALSE(criterion_passes(pi_x, fitted, X, from_3_1399));
    const SnapResult rejected = snap_constants(fitted, X, from_3_1399, model_for(1));
    EXPECT_TRUE(rejected.snapped.empty());
    EXPECT_EQ(rejected.expression, fitted);
}

// A formula that hardly fits (noise larger than the signal): its RMSE cannot tell 46/pi
// (14.6423) from 14*pi/3 (14.6608), both pass the criterion, and the constant is left alone.
TEST(Snapping, NoSnapWhenTheDataCannotTellFormsApart) {
    const std::vector<std::string> names{"x"};
    const Eigen::MatrixXd X = uniform_matrix(400, 1, 1.0, 5.0, 9);
    const double c = 14.6414;
    std::mt19937_64 rng(10);
    std::normal_distribution<double> unit(0.0, 1.0);
    Eigen::VectorXd noise(X.rows());
    for (Eigen::Index i = 0; i < noise.size(); ++i) noise(i) = unit(rng);
    // Noise orthogonal to x: c is then exactly the least-squares constant.
    noise -= (noise.dot(X.col(0)) / X.col(0).squaredNorm()) * X.col(0);
    const Eigen::VectorXd y = c * X.col(0) + 80.0 * noise;
    const Expression fitted = parse("14.6414*x", names);
    ASSERT_TRUE(criterion_passes(parse("46/pi*x", names), fitted, X, y));
    ASSERT_TRUE(criterion_passes(parse("14*pi/3*x", names), fitted, X, y));
    const SnapResult s = snap_constants(fitted, X, y, model_for(1));
    EXPECT_TRUE(s.snapped.empty()) << s.snapped[0].form;
    EXPECT_EQ(s.expression, fitted);
}
