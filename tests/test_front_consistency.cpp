// units/front_consistency.hpp: a formula is consistent when some choice of dimensions for its
// numbers makes it well-typed; hand-written formulas in SI-like M, L, T plus the gas units.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dimension_helpers.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/units/front_consistency.hpp"

using namespace kepler;

namespace {

using kepler::testing::mlt;

UnitSystem gas_system() {
    UnitSystem s;
    s.bases = {{"M", "mass", "kg"},
               {"L", "length", "m"},
               {"T", "time", "s"},
               {"K", "temperature", "K"},
               {"N", "amount", "mol"}};
    return s;
}

Dimension base(std::size_t i) { return Dimension::base(i); }

// P (M L^-1 T^-2), n (N), T (K), x (L), V (L^3), t (T), theta (1).
const std::vector<std::string>& names() {
    static const std::vector<std::string> n = {"n", "T", "x", "V", "t", "theta"};
    return n;
}
const std::vector<Dimension>& dims() {
    static const std::vector<Dimension> d = {base(4), base(3), mlt(0, 1, 0), mlt(0, 3, 0), mlt(0, 0, 1), Dimension{}};
    return d;
}
const Dimension pressure = mlt(1, -1, -2);

std::optional<Inconsistency> check(const std::string& formula, std::optional<Dimension> target = pressure) {
    const UnitSystem system = gas_system();
    return dimensional_inconsistency(grammar::parse_formula(formula, names()), dims(), target, &system);
}

}  // namespace

TEST(FrontConsistency, AScaleMayCarryTheUnitTheTargetNeeds) {
    EXPECT_FALSE(check("8.314*n*T/V"));
    EXPECT_FALSE(check("831.4*n*T/x"));                   // c = 831.4 Pa*m/(mol*K)
    EXPECT_FALSE(check("0.3*T/(x + 0.12)"));              // c in Pa*m/K and an offset in metres
    EXPECT_FALSE(check("2*sqrt(x/9.81)", mlt(0, 0, 1)));  // 9.81 carries L T^-2
    EXPECT_FALSE(check("cos(2.5*x)", std::nullopt));      // 2.5 carries 1/L
}

TEST(FrontConsistency, AFunctionOfALengthIsNot) {
    const auto bad = check("0.4*cos(x)/x");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->message, "argument of cos must be dimensionless, found L");
    EXPECT_TRUE(check("exp(t)*3", std::nullopt));
    EXPECT_TRUE(check("log(V)", std::nullopt));
    EXPECT_FALSE(check("2*log(V/3)", std::nullopt));  // 3 carries a volume
}

// The decision: every number may carry a unit, so x + 1 reads the 1 as one metre, as a fitted
// offset x0 would be printed after tidying (x + 0.12, or x + 1 once snapped to 1).
TEST(FrontConsistency, AnOffsetMayCarryTheLengthItIsAddedTo) {
    EXPECT_FALSE(check("x + 1", std::nullopt));
    EXPECT_FALSE(check("x + 1", mlt(0, 1, 0)));
    EXPECT_TRUE(check("x + 1", mlt(0, 0, 1)));  // but the sum is a length, not a time
    // Terms without numbers must share a dimension by themselves.
    const auto bad = check("x + t", std::nullopt);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->message, "terms of + must share a dimension, found L T^-1");
    // pi is a pure number: it cannot carry a length.
    EXPECT_TRUE(check("x + pi", std::nullopt));
    // One number cannot be a length in one place and a time in another.
    EXPECT_TRUE(check("(x + 2)*(t + 2)/(x + t)", std::nullopt));
}

TEST(FrontConsistency, TheTargetsDimensionMustBeReachable) {
    EXPECT_TRUE(check("n*T/V"));  // no number to carry J/(mol K)
    const auto bad = check("n*T/V + x");
    ASSERT_TRUE(bad);
    EXPECT_TRUE(check("T*n*2", std::nullopt) == std::nullopt);
}

TEST(FrontConsistency, PowersNeedSmallRationalExponentsOfDimensionalBases) {
    EXPECT_FALSE(check("3*(x + 2)^(1/4)", std::nullopt));
    EXPECT_FALSE(check("(x/2)^0.37", std::nullopt));  // the 2 makes the base dimensionless
    EXPECT_TRUE(check("x^0.37", std::nullopt));
    EXPECT_TRUE(check("x^t", std::nullopt));
    EXPECT_TRUE(check("x^theta", std::nullopt));
    EXPECT_FALSE(check("2^theta*x", std::nullopt));
}

// The issue's formula: a structure split's part searched without units.
TEST(FrontConsistency, TheIssuesFormulaIsFlagged) {
    const auto bad = check("0.00351368*(2035.4596*(pi + cos(x)/x)^(1/4) - 2340)^2*T*n");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->message, "argument of cos must be dimensionless, found L");
}

TEST(FrontConsistency, BadInputThrows) {
    const std::vector<Dimension> none;
    EXPECT_THROW(dimensional_inconsistency(Expression::variable(0), none, std::nullopt), std::invalid_argument);
}

TEST(FrontConsistency, NumbersCarryTheUnitsTheRulesFix) {
    const auto dims = number_dimensions(grammar::parse_formula("0.083*T/(x + 29.8)", names()), ::dims(), pressure);
    ASSERT_EQ(dims.size(), 2u);
    ASSERT_TRUE(dims[0] && dims[1]);
    Dimension c = pressure * mlt(0, 1, 0) / base(3);
    EXPECT_EQ(*dims[0], c);
    EXPECT_EQ(*dims[1], mlt(0, 1, 0));
    // In 2*T/(3*x + 4) the units can sit on the 2 or the 3: neither is fixed, the 4 is not either.
    const auto free = number_dimensions(grammar::parse_formula("2*T/(3*x + 4)", names()), ::dims(), pressure);
    ASSERT_EQ(free.size(), 3u);
    EXPECT_FALSE(free[0]);
    EXPECT_FALSE(free[1]);
    EXPECT_FALSE(free[2]);
    // cos(x): inconsistent, nothing fixed.
    const auto none = number_dimensions(grammar::parse_formula("2*cos(x)", names()), ::dims(), std::nullopt);
    ASSERT_EQ(none.size(), 1u);
    EXPECT_FALSE(none[0]);
}
