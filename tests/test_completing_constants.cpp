#include <gtest/gtest.h>

#include "dimension_helpers.hpp"

#include <vector>

#include "kepler/units/completing_constants.hpp"

using namespace kepler;

namespace {

using kepler::testing::mlt;

UnitSystem with_constants(std::vector<PhysicalConstant> constants) {
    UnitSystem s;
    s.bases = {{"M", "mass", "kg"}, {"L", "length", "m"}, {"T", "time", "s"}};
    s.constants = std::move(constants);
    return s;
}

const Dimension kMass = mlt(1, 0, 0);
const Dimension kLength = mlt(0, 1, 0);
const Dimension kTime = mlt(0, 0, 1);
const PhysicalConstant kAlpha{"alpha", "fine-structure constant", {7.297e-3, Dimension{}}};
const PhysicalConstant kG{"G", "gravitational constant", {6.674e-11, mlt(-1, 3, -2)}};
const PhysicalConstant kC{"c", "speed of light in vacuum", {299792458.0, mlt(0, 1, -1)}};
const PhysicalConstant kGn{"g_n", "standard gravity", {9.80665, mlt(0, 1, -2)}};

}  // namespace

TEST(CompletingConstants, EveryConstantThatCompletesInTableOrder) {
    // A time from a length: L/c and sqrt(L/g_n) both work; G (with a length alone) does not,
    // and the dimensionless alpha completes nothing.
    const std::vector<Dimension> in = {kLength};
    const UnitSystem s = with_constants({kAlpha, kC, kG, kGn});
    const std::vector<CompletingConstant> found = completing_constants(in, kTime, s);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].index, 1u);
    EXPECT_EQ(found[0].constant, &s.constants[1]);
    EXPECT_EQ(found[1].index, 3u);
    EXPECT_EQ(found[1].constant->symbol, "g_n");
    // The analysis is over the inputs followed by the constant: t = L^1/2 g_n^-1/2.
    ASSERT_TRUE(found[1].pi.target_exponents);
    EXPECT_EQ(*found[1].pi.target_exponents, (std::vector<Rational>{Rational(1, 2), Rational(-1, 2)}));
}

TEST(CompletingConstants, NoneWhenNothingHelps) {
    // Nothing makes a time from a mass with c alone.
    const std::vector<Dimension> in = {kMass};
    EXPECT_TRUE(completing_constants(in, kTime, with_constants({kAlpha, kC})).empty());
}
