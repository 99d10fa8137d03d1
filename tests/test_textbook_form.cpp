// textbook_form(): sums with a common factor are written with it taken out, the way the law is
// printed in a textbook, only where that is shorter, and the value never changes (checked on
// random positive inputs for every case, wherever the original is finite).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/random_expression.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/core/textbook_form.hpp"
#include "kepler/grammar/formula_parser.hpp"

namespace {

using kepler::Expression;

const std::vector<std::string> kNames{"q",  "Ef", "B",     "v",  "theta", "m",      "omega", "omega_0", "x",
                                      "y",  "a",  "b",     "c",  "u",     "r1",     "r2",    "m1",      "m2",
                                      "I1", "I2", "delta", "x1", "x2",    "theta1", "theta2"};

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

// What the clock-bound search printed for I.18.4, I.37.4, I.29.16 and I.16.6 at noise 0: the
// formula put over one denominator, expanded, with the monomial every term shares cancelled,
// where that is shorter.
TEST(TextbookForm, WritesOneFractionWhereShorter) {
    EXPECT_EQ(textbook("r1*((r2/r1 - 1)/(m1/m2 + 1) + 1)"), "(r1*m1 + r2*m2)/(m1 + m2)");
    // The roots spread to cancel I2 are grouped again.
    EXPECT_EQ(textbook("I2*(I1/I2 + 2*cos(delta)*sqrt(I1/I2) + 1)"), "I1 + 2*cos(delta)*sqrt(I2*I1) + I2");
    // Inside a root: the denominator x1^2 leaves it and cancels the x1 outside.
    EXPECT_EQ(textbook("x1*sqrt(x2^2/x1^2 - 2*cos(theta1 - theta2)*x2/x1 + 1)"),
              "sqrt(x2^2 - 2*cos(theta1 - theta2)*x2*x1 + x1^2)");
    // Not shorter as one fraction: kept (c^2*(v + u)/(c^2 + v*u), (2*x*y + 3)/(3 - x*y)).
    EXPECT_EQ(textbook("c*(v + u)/(c + v*u/c)"), "c*(v + u)/(c + v*u/c)");
    EXPECT_EQ(textbook("3*x*y/(3 - x*y) + 1"), "3*x*y/(3 - x*y) + 1");
    EXPECT_EQ(textbook("x/y + a/b"), "x/y + a/b");
}

// A table measured in other units leaves one scale in every term of a found formula (II.11.27
// with its base units rescaled by 10^k): numerator and denominator are divided by it, so the
// denominator has simple coefficients, as a textbook writes it (and SRBench's rounding to 3
// decimals does not set 2.7e-06 to 0).
TEST(TextbookForm, DividesAFractionByTheScaleAllItsTermsShare) {
    // (A plus where II.11.27 has a minus: these rows reach its pole at x*y = 3, where the
    // 1e-13 rounding of 1/3 is amplified past the check's 1e-12.)
    EXPECT_EQ(textbook("8e-06*a*b/(8e-06/(x*y) + 2.666666666667e-06)"), "a*b/(1/(x*y) + 1/3)");
    // The denominator's least coefficient when the numerator's is not a multiple of it.
    EXPECT_EQ(textbook("0.37*a/(2.5e-05*x + 5e-05)"), "14800*a/(x + 2)");
    // Nothing shared: as it was.
    EXPECT_EQ(textbook("0.37*a/(0.3*x + 1)"), "0.37*a/(0.3*x + 1)");
}

// On rows where a quantity is negative, a rewrite that assumed it positive is not taken.
TEST(TextbookForm, OnRowsKeepsOnlyRewritesThatGiveTheSameValues) {
    const std::vector<std::string> names{"x", "y"};
    const Expression e = kepler::grammar::parse_formula("x*sqrt(y^2/x^2 + 1)", names);
    Eigen::MatrixXd X(3, 2);
    X << 1.0, 2.0, 2.0, 0.5, 3.0, 1.5;
    EXPECT_EQ(kepler::to_infix(kepler::textbook_form_on_rows(e, X), names), "sqrt(y^2 + x^2)");
    X.col(0) *= -1.0;
    EXPECT_EQ(kepler::to_infix(kepler::textbook_form_on_rows(e, X), names), "x*sqrt(y^2/x^2 + 1)");
}

// Random formulas of positive quantities (positive inputs and constants, operators that keep
// them positive: the rewrites' domain, as simplify's): the textbook form is well formed, reads
// back from its print, is never longer than simplify's, and has the original's values.
TEST(TextbookForm, RandomFormulasKeepTheirValues) {
    std::mt19937_64 rng(2026);
    const std::array<kepler::Op, 7> ops{kepler::Op::Add, kepler::Op::Mul,    kepler::Op::Div, kepler::Op::Sqrt,
                                        kepler::Op::Pow, kepler::Op::Square, kepler::Op::Exp};
    kepler::RandomExpressionOptions options;
    options.max_nodes = 40;
    options.variable_count = 4;
    options.constant_probability = 0.2;
    options.operators = ops;
    static const Eigen::MatrixXd X = positive_inputs();
    const std::vector<std::string> names(kNames.begin(), kNames.begin() + 4);
    kepler::Evaluator ev;
    int compared = 0, rewritten = 0;
    for (int k = 0; k < 1000; ++k) {
        Expression e = kepler::random_expression(rng, options);
        for (kepler::Node& n : e.mutable_nodes())
            if (n.op == kepler::Op::Const) n.value = std::abs(n.value);
        const Expression t = kepler::textbook_form(e);
        ASSERT_TRUE(t.well_formed());
        EXPECT_LE(t.size(), kepler::simplify(e).size()) << kepler::to_infix(e, names);
        EXPECT_EQ(kepler::grammar::parse_formula(kepler::to_infix(t, names), names), t) << kepler::to_infix(t, names);
        const Eigen::VectorXd y0 = ev(e, X), y1 = ev(t, X);
        bool valid = true;  // no overflow, no values where rounding dominates
        for (Eigen::Index i = 0; i < X.rows(); ++i) valid = valid && std::isfinite(y0(i)) && std::abs(y0(i)) < 1e6;
        if (!valid) continue;
        ++compared;
        rewritten += t != kepler::simplify(e);
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            EXPECT_NEAR(y1(i), y0(i), 1e-8 * (1.0 + std::abs(y0(i))))
                << kepler::to_infix(e, names) << "  ->  " << kepler::to_infix(t, names);
    }
    EXPECT_GT(compared, 300);
    EXPECT_GT(rewritten, 20) << "of " << compared;  // the rewrites are exercised, not just simplify
}

// A quotient of sums whose numbers are all simple fractions is written over integers: both sides
// multiplied by the least common multiple of the numbers' denominators (II.11.28 as the rational
// quick fit gives it, snapped). A number that is not a simple fraction leaves it as it was.
TEST(TextbookForm, AQuotientOfSumsIsClearedOfFractions) {
    EXPECT_EQ(textbook("(2/3*x + 1)/(1 - 1/3*x)"), "(2*x + 3)/(3 - x)");
    EXPECT_EQ(textbook("(0.4142*x + 1)/(1 - 0.3*x)"), "(0.4142*x + 1)/(1 - 0.3*x)");
}
// A snapped third is written as a division, not as the 16 digits of its double (which SRBench's
// rounding to 3 decimals reads as 0.333, not 1/3): II.11.27 as the rational quick fit gives it.
TEST(TextbookForm, ARepeatingSimpleFractionIsWrittenAsADivision) {
    EXPECT_EQ(textbook("a*b*x*y/(1 - 0.3333333333333333*x*y)"), "a*b*x*y/(1 - x*y/3)");
    EXPECT_EQ(textbook("x*y + 0.14285714285714285*x"), "x*y + x/7");
    EXPECT_EQ(textbook("0.25*x"), "0.25*x");  // a finite decimal stays one
}

// A sum that is the square of a binomial is written as the square (I.32.17's denominator as the
// rational quick fit gives it: expanded, it is longer and loses digits near omega = omega_0).
TEST(TextbookForm, TheSquareOfABinomialIsWrittenAsASquare) {
    EXPECT_EQ(textbook("omega^4/(omega_0^4 + omega^4 - 2*omega^2*omega_0^2)"), "omega^4/(omega_0^2 - omega^2)^2");
    EXPECT_EQ(textbook("x^2 + 4*x*y + 4*y^2"), "(x + 2*y)^2");
    EXPECT_EQ(textbook("x^2 + 3*x*y + y^2"), "x^2 + 3*x*y + y^2");  // not a square
}

// Fractions over one sum, or over it and its negation, are one fraction (I.30.3 as the evolution
// wrote it on seeds 2 and 3, Int_0/(1 - cos(theta)) + Int_0*cos(theta*n)/(cos(theta) - 1), here
// with a for Int_0 and b for n; SRBench's rule could not prove it, and as one fraction the
// half-angle identities do). Fractions over two different sums stay apart.
TEST(TextbookForm, FractionsOverOneSumAreOneFraction) {
    EXPECT_EQ(textbook("a/(1 - cos(theta)) + a*cos(theta*b)/(cos(theta) - 1)"),
              "a*(1 - cos(theta*b))/(1 - cos(theta))");
    EXPECT_EQ(textbook("a/(1/(1 - cos(theta*b)) + cos(theta)/(cos(theta*b) - 1))"),
              "a*(1 - cos(theta*b))/(1 - cos(theta))");
    EXPECT_EQ(textbook("a/(x - y) + b/(y - x) + c/(x - y)"), "(a - b + c)/(x - y)");
    EXPECT_EQ(textbook("a/(x - y) + b/(x + y)"), "a/(x - y) + b/(x + y)");
}

// Minus such a square, as a negative quotient's denominator comes (I.32.17 on seed 3: the quick
// fit's -4*pi/(3*(2*omega^2*omega_0^2 - omega_0^4 - omega^4)) printed expanded, with 4/3 as
// 1.3333333333333333, which SRBench's rounding reads as 1.333).
TEST(TextbookForm, MinusTheSquareOfABinomialIsWrittenAsASquare) {
    EXPECT_EQ(textbook("-4*pi*omega^4/(3*(2*omega^2*omega_0^2 - omega_0^4 - omega^4))"),
              "4*pi*omega^4/(3*(omega_0^2 - omega^2)^2)");
    EXPECT_EQ(textbook("2*x*y - x^2 - y^2"), "-(x - y)^2");
    EXPECT_EQ(textbook("2*x*y - x^2 + y^2"), "2*x*y - x^2 + y^2");  // not a square
}

// A negative quotient whose denominator is a sum turns the denominator's signs instead
// (I.39.11 as the rational quick fit gives it).
TEST(TextbookForm, ANegativeQuotientTurnsItsDenominator) {
    EXPECT_EQ(textbook("-a*b/(1 - x)"), "a*b/(x - 1)");
    EXPECT_EQ(textbook("a*b/(1 - x)"), "a*b/(1 - x)");
}
