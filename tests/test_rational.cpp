#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "kepler/units/rational.hpp"

using kepler::Rational;

namespace {
constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
}  // namespace

TEST(Rational, KeptInLowestTermsWithPositiveDenominator) {
    const Rational r(6, -4);
    EXPECT_EQ(r.num(), -3);
    EXPECT_EQ(r.den(), 2);
    EXPECT_EQ(Rational(-6, -4), Rational(3, 2));
    EXPECT_EQ(Rational(0, -7).den(), 1);
    EXPECT_TRUE(Rational(0, -7).is_zero());
    EXPECT_TRUE(Rational(10, 5).is_integer());
    EXPECT_EQ(Rational(10, 5), Rational(2));
    EXPECT_FALSE(Rational(1, 2).is_integer());
    EXPECT_DOUBLE_EQ(Rational(-3, 4).to_double(), -0.75);
    // 64-bit arguments that reduce into range are fine.
    EXPECT_EQ(Rational(std::int64_t{1} << 40, std::int64_t{1} << 38), Rational(4));
    EXPECT_EQ(Rational(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::min()),
              Rational(1));
    EXPECT_EQ(Rational(std::int64_t{1} << 31, -1).num(), kMin);
}

TEST(Rational, ZeroDenominatorIsADomainError) {
    EXPECT_THROW(Rational(1, 0), std::domain_error);
    EXPECT_THROW(Rational(0, 0), std::domain_error);
    EXPECT_THROW(Rational(1) / Rational(0), std::domain_error);
}

TEST(Rational, Arithmetic) {
    EXPECT_EQ(Rational(1, 2) + Rational(1, 3), Rational(5, 6));
    EXPECT_EQ(Rational(1, 2) - Rational(3, 4), Rational(-1, 4));
    EXPECT_EQ(Rational(3, 2) * Rational(-2, 9), Rational(-1, 3));
    EXPECT_EQ(Rational(3, 2) / Rational(-3, 4), Rational(-2));
    EXPECT_EQ(-Rational(3, 2), Rational(-3, 2));
    EXPECT_EQ(Rational(1, 6) + Rational(1, 6), Rational(1, 3));  // same denominators reduce too
    EXPECT_EQ(Rational(kMax) + Rational(-1), Rational(kMax - 1));
    EXPECT_EQ(Rational(kMin) + Rational(kMax), Rational(-1));
}

TEST(Rational, Ordering) {
    EXPECT_LT(Rational(1, 3), Rational(1, 2));
    EXPECT_LT(Rational(-1, 2), Rational(-1, 3));
    EXPECT_FALSE(Rational(2, 4) < Rational(1, 2));
    EXPECT_LT(Rational(kMin), Rational(kMax));
    EXPECT_LT(Rational(kMax - 1, kMax), Rational(1));
}

TEST(Rational, Text) {
    EXPECT_EQ(Rational(3).to_string(), "3");
    EXPECT_EQ(Rational(-1, 2).to_string(), "-1/2");
    EXPECT_EQ(Rational(0).to_string(), "0");
    std::ostringstream os;
    os << Rational(3, -6);
    EXPECT_EQ(os.str(), "-1/2");
}

TEST(Rational, OverflowThrowsInsteadOfWrapping) {
    EXPECT_THROW(Rational(kMax) + Rational(1), std::overflow_error);
    EXPECT_THROW(Rational(kMin) - Rational(1), std::overflow_error);
    EXPECT_THROW(-Rational(kMin), std::overflow_error);
    EXPECT_THROW(Rational(1 << 20) * Rational(1 << 12), std::overflow_error);
    EXPECT_THROW(Rational(1, kMax) * Rational(1, 2), std::overflow_error);
    EXPECT_THROW(Rational(1, kMax) + Rational(1, kMax - 1), std::overflow_error);
    EXPECT_THROW(Rational(1) / Rational(1, kMax) / Rational(1, 2), std::overflow_error);
    EXPECT_THROW(Rational(std::int64_t{1} << 31, 1), std::overflow_error);
    EXPECT_THROW(Rational(1, std::int64_t{1} << 31), std::overflow_error);
    EXPECT_THROW(Rational(1, -(std::int64_t{1} << 31)), std::overflow_error);  // would be -1/2^31
    EXPECT_THROW(Rational(std::numeric_limits<std::int64_t>::min(), 1), std::overflow_error);
    // The exact result of the same operation, in range, still works.
    EXPECT_EQ(Rational(1 << 20) * Rational(1 << 10), Rational(1 << 30));
    EXPECT_EQ(Rational(kMin) - Rational(0), Rational(kMin));
}
