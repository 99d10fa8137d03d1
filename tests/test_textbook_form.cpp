// textbook_form(): sums with a common factor are written with it taken out, the way the law is
// printed in a textbook, only where that is shorter, and the value never changes (checked on
// random positive inputs for every case, wherever the original is finite).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/core/textbook_form.hpp"
#include "kepler/grammar/formula_parser.hpp"

namespace {

using kepler::Expression;

const std::vector<std::string> kNames{"q", "Ef", "B", "v", "theta", "m", "omega", "omega_0", "x", "y", "a", "b", "c"};

Eigen::MatrixXd positive_inputs() {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.5, 3.0);
    Eigen::MatrixXd X(40, static_cast<Eigen::Index>(kNames.size()));
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        for (Eigen::Index j = 0; j < X.cols(); ++j) X(i, j) = u(rng);
    return X;
}

// The textbook form of `text`, printed; its value must be the original's.
std::string textbook(const std::string& text) {
    const Expression e = kepler::grammar::parse_formula(text, kNames);
    const Expression t = kepler::textbook_form(e);
    EXPECT_TRUE(t.well_formed()) << text;
    EXPECT_LE(t.size(), kepler::simplify(e).size()) << text;  // never longer than simplify's
    static const Eigen::MatrixXd X = positive_inputs();
    kepler::Evaluator ev;
    const Eigen::VectorXd y0 = ev(e, X), y1 = ev(t, X);
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        if (std::isfinite(y0(i))) {
            EXPECT_NEAR(y1(i), y0(i), 1e-12 * (1.0 + std::abs(y0(i)))) << text << " row " << i;
        }
    return kepler::to_infix(t, kNames);
}

}  // namespace

// What the search printed for I.12.11 and I.24.6 at noise 0.1 (Feynman: q*(Ef + B*v*sin(theta)),
// 1/2*m*(omega^2 + omega_0^2)*1/2*x^2).
TEST(TextbookForm, ExpandsAProductOverItsSumAndTakesTheCommonFactorOut) {
    EXPECT_EQ(textbook("q*Ef*(sin(theta)*B*v/Ef + 1)"), "q*(sin(theta)*B*v + Ef)");
    EXPECT_EQ(textbook("m*omega^2*x^2*(0.25*omega_0^2/omega^2 + 0.25)"), "m*x^2*(omega_0^2 + omega^2)/4");
}

TEST(TextbookForm, TakesACommonFactorOutOfASum) {
    EXPECT_EQ(textbook("q*Ef + q*B*v"), "q*(Ef + B*v)");
    EXPECT_EQ(textbook("3*x*y + 6*x*a"), "3*x*(y + 2*a)");
    EXPECT_EQ(textbook("x^2*y + x^3*a"), "x^2*(y + x*a)");
    EXPECT_EQ(textbook("a/x + b/x^2"), "(a + b/x)/x");
}

TEST(TextbookForm, KeepsWhatIsAlreadyShortest) {
    EXPECT_EQ(textbook("2*(x + y)"), "2*(x + y)");
    EXPECT_EQ(textbook("x + y"), "x + y");
    EXPECT_EQ(textbook("x*y + a*b"), "x*y + a*b");
    EXPECT_EQ(textbook("q*(Ef + B*v*sin(theta))"), "q*(Ef + B*v*sin(theta))");
    EXPECT_EQ(textbook("m/sqrt(1 - v^2/x^2)"), "m/sqrt(1 - v^2/x^2)");
    EXPECT_EQ(textbook("2.5*x + 1.7*y"), "2.5*x + 1.7*y");  // no common coefficient
    // 0.063 is 9e16 times 7e-19 in doubles (every double beyond 2^53 is an integer), but not
    // a multiple anyone would take out: the relativistic mass keeps its root as it is.
    EXPECT_EQ(textbook("0.25*m/sqrt(0.063 - 7e-19*v^2)"), "0.25*m/sqrt(0.063 - 7e-19*v^2)");
}

TEST(TextbookForm, FactorsInsideFunctionsAndPowers) {
    EXPECT_EQ(textbook("sqrt(x*a + x*b)"), "sqrt(x*(a + b))");
    EXPECT_EQ(textbook("exp(q*Ef*(B/Ef + 1))"), "exp(q*(B + Ef))");
}

// What the search printed for I.6.2a and I.6.2: a fitted constant and a logarithm inside the
// exponential are factors outside it; a simple constant stays inside.
TEST(TextbookForm, TakesConstantsAndLogarithmsOutOfAnExponential) {
    EXPECT_EQ(textbook("exp(-0.5*theta^2 - 0.9189385332046727)"), "0.3989422804014327*exp(-0.5*theta^2)");
    EXPECT_EQ(textbook("exp(-log(a) - 0.5*theta^2/a^2 - 0.9189385332046727)"),
              "0.3989422804014327*exp(-0.5*theta^2/a^2)/a");
    EXPECT_EQ(textbook("exp(2*log(x) + y)"), "x^2*exp(y)");
    EXPECT_EQ(textbook("exp(x - 1)"), "exp(x - 1)");
    EXPECT_EQ(textbook("exp(x)"), "exp(x)");
}

// What the search printed for I.48.2 (seed 2 at noise 0): the common factor of a sum under a
// root leaves the root, for positive quantities.
TEST(TextbookForm, TakesTheCommonFactorOutOfARoot) {
    EXPECT_EQ(textbook("m*v^2/sqrt(v^4/c^4 - v^6/c^6)"), "m*c^2/sqrt(1 - v^2/c^2)");
    EXPECT_EQ(textbook("sqrt(4*x^2*a + 4*x^2*b)"), "2*x*sqrt(a + b)");
    EXPECT_EQ(textbook("sqrt(x^2 + y^2)"), "sqrt(x^2 + y^2)");
}
