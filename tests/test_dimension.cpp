#include <gtest/gtest.h>

#include "dimension_helpers.hpp"

#include <sstream>
#include <stdexcept>
#include <unordered_set>

#include "kepler/units/dimension.hpp"

using kepler::Dimension;
using kepler::Rational;

namespace {

// Slots 0, 1, 2 as M, L, T.
using kepler::testing::mlt;

}  // namespace

TEST(Dimension, BaseAndDimensionless) {
    EXPECT_TRUE(Dimension{}.dimensionless());
    const Dimension l = Dimension::base(1);
    EXPECT_FALSE(l.dimensionless());
    EXPECT_EQ(l.exponent(1), Rational(1));
    EXPECT_EQ(l.exponent(0), Rational(0));
    EXPECT_EQ(l, mlt(0, 1, 0));
    EXPECT_THROW(Dimension::base(kepler::kMaxBaseDimensions), std::out_of_range);
}

TEST(Dimension, ProductsQuotientsPowers) {
    const Dimension m = Dimension::base(0), l = Dimension::base(1), t = Dimension::base(2);
    const Dimension force = m * l / (t * t);
    EXPECT_EQ(force, mlt(1, 1, -2));
    EXPECT_EQ(force / force, Dimension{});
    EXPECT_TRUE((force / force).dimensionless());
    EXPECT_EQ(force.inverse(), mlt(-1, -1, 2));
    // Gaussian charge: force^(1/2) * length = M^1/2 L^3/2 T^-1.
    const Dimension charge = force.pow(Rational(1, 2)) * l;
    EXPECT_EQ(charge, mlt(Rational(1, 2), Rational(3, 2), -1));
    EXPECT_EQ(charge.pow(2) / (l * l), force);
    EXPECT_EQ(l.pow(0), Dimension{});
}

TEST(Dimension, ExponentOverflowThrows) {
    const Dimension big = Dimension::base(0).pow(Rational(1 << 20));
    EXPECT_THROW(big.pow(Rational(1 << 12)), std::overflow_error);
    EXPECT_THROW(big.pow(Rational(1 << 11)) * big.pow(Rational(1 << 11)), std::overflow_error);
}

TEST(Dimension, HashFollowsEquality) {
    const Dimension a = mlt(1, 1, -2);
    const Dimension b = Dimension::base(0) * Dimension::base(1) / Dimension::base(2).pow(2);
    EXPECT_EQ(a.hash(), b.hash());
    std::unordered_set<std::uint64_t> hashes;
    for (int m = -2; m <= 2; ++m) {
        for (int l = -3; l <= 3; ++l) {
            for (int t = -3; t <= 3; ++t) hashes.insert(mlt(m, Rational(l, 2), t).hash());
        }
    }
    EXPECT_EQ(hashes.size(), 5u * 7u * 7u);  // no collisions among these 245
}

TEST(Dimension, GenericText) {
    EXPECT_EQ(Dimension{}.to_string(), "[1]");
    EXPECT_EQ(mlt(1, 0, -2).to_string(), "[e0^1 e2^-2]");
    EXPECT_EQ(mlt(0, Rational(3, 2), 0).to_string(), "[e1^3/2]");
    std::ostringstream os;
    os << Dimension::base(4);
    EXPECT_EQ(os.str(), "[e4^1]");
}
