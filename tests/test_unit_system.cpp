#include <gtest/gtest.h>

#include "kepler/units/unit_system.hpp"

using namespace kepler;

namespace {

Dimension mlti(Rational m, Rational l, Rational t, Rational i = 0) {
    Dimension d;
    d.set_exponent(0, m);
    d.set_exponent(1, l);
    d.set_exponent(2, t);
    d.set_exponent(3, i);
    return d;
}

// A small SI-like system written by hand (the real ones come from unit-system files).
UnitSystem small_si() {
    UnitSystem s;
    s.name = "small-si";
    s.bases = {{"M", "mass", "kg"}, {"L", "length", "m"}, {"T", "time", "s"}, {"I", "current", "A"}};
    s.units = {
        {"kg", {1.0, mlti(1, 0, 0)}, false},    {"g", {1e-3, mlti(1, 0, 0)}, true},
        {"m", {1.0, mlti(0, 1, 0)}, true},      {"s", {1.0, mlti(0, 0, 1)}, true},
        {"min", {60.0, mlti(0, 0, 1)}, false},  {"in", {0.0254, mlti(0, 1, 0)}, true},
        {"A", {1.0, mlti(0, 0, 0, 1)}, true},   {"N", {1.0, mlti(1, 1, -2)}, true},
        {"F", {1.0, mlti(-1, -2, 4, 2)}, true},
    };
    s.prefixes = {{"k", 1e3}, {"m", 1e-3}, {"u", 1e-6}, {"µ", 1e-6}, {"d", 1e-1}, {"da", 1e1}};
    s.constants = {{"c", "speed of light in vacuum", {299792458.0, mlti(0, 1, -1)}},
                   {"g_n", "standard gravity", {9.80665, mlti(0, 1, -2)}}};
    return s;
}

UnitSystem small_gaussian() {
    UnitSystem s;
    s.name = "small-gaussian";
    s.bases = {{"M", "mass", "g"}, {"L", "length", "cm"}, {"T", "time", "s"}};
    return s;
}

}  // namespace

TEST(UnitSystem, FindsExactUnits) {
    const UnitSystem s = small_si();
    const auto kg = s.find_unit("kg");
    ASSERT_TRUE(kg);
    EXPECT_DOUBLE_EQ(kg->scale, 1.0);
    EXPECT_EQ(kg->dimension, mlti(1, 0, 0));
    const auto n = s.find_unit("N");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->dimension, mlti(1, 1, -2));
}

TEST(UnitSystem, ExactMatchBeatsPrefixReading) {
    // "min" is a minute, not a milli-inch.
    const auto min = small_si().find_unit("min");
    ASSERT_TRUE(min);
    EXPECT_DOUBLE_EQ(min->scale, 60.0);
    EXPECT_EQ(min->dimension, mlti(0, 0, 1));
    // While a milli-inch spelled otherwise is still found through the prefix.
    const auto uin = small_si().find_unit("uin");
    ASSERT_TRUE(uin);
    EXPECT_DOUBLE_EQ(uin->scale, 0.0254e-6);
    EXPECT_EQ(uin->dimension, mlti(0, 1, 0));
}

TEST(UnitSystem, FindsPrefixedUnits) {
    const UnitSystem s = small_si();
    const auto km = s.find_unit("km");
    ASSERT_TRUE(km);
    EXPECT_DOUBLE_EQ(km->scale, 1000.0);
    EXPECT_EQ(km->dimension, mlti(0, 1, 0));

    const auto uf = s.find_unit("uF");
    ASSERT_TRUE(uf);
    EXPECT_DOUBLE_EQ(uf->scale, 1e-6);
    EXPECT_EQ(uf->dimension, mlti(-1, -2, 4, 2));
    const auto muf = s.find_unit("µF");  // a multi-byte prefix
    ASSERT_TRUE(muf);
    EXPECT_DOUBLE_EQ(muf->scale, 1e-6);

    const auto mg = s.find_unit("mg");
    ASSERT_TRUE(mg);
    EXPECT_DOUBLE_EQ(mg->scale, 1e-6);
    EXPECT_EQ(mg->dimension, mlti(1, 0, 0));

    const auto kn = s.find_unit("kN");
    ASSERT_TRUE(kn);
    EXPECT_DOUBLE_EQ(kn->scale, 1e3);

    // "da" is the longer prefix; "dm" uses "d".
    const auto dam = s.find_unit("dam");
    ASSERT_TRUE(dam);
    EXPECT_DOUBLE_EQ(dam->scale, 10.0);
    const auto dm = s.find_unit("dm");
    ASSERT_TRUE(dm);
    EXPECT_DOUBLE_EQ(dm->scale, 0.1);
}

TEST(UnitSystem, LongestPrefixWins) {
    // Both readings exist: "da"+"x" and "d"+"ax"; the longest prefix is taken.
    UnitSystem s;
    s.bases = {{"L", "length", "m"}};
    s.units = {{"x", {2.0, Dimension::base(0)}, true}, {"ax", {5.0, Dimension::base(0)}, true}};
    s.prefixes = {{"d", 0.1}, {"da", 10.0}};
    const auto v = s.find_unit("dax");
    ASSERT_TRUE(v);
    EXPECT_DOUBLE_EQ(v->scale, 20.0);
}

TEST(UnitSystem, RejectsWhatIsNotAUnit) {
    const UnitSystem s = small_si();
    EXPECT_FALSE(s.find_unit(""));
    EXPECT_FALSE(s.find_unit("k"));     // a prefix alone
    EXPECT_FALSE(s.find_unit("kmin"));  // min is not prefixable
    EXPECT_FALSE(s.find_unit("mkg"));   // kg is not prefixable (no double prefix through it)
    EXPECT_FALSE(s.find_unit("kkm"));   // no double prefixes
    EXPECT_FALSE(s.find_unit("furlong"));
    EXPECT_FALSE(s.find_unit("KM"));  // case matters
}

TEST(UnitSystem, ConstantsAndBases) {
    const UnitSystem s = small_si();
    const PhysicalConstant* c = s.find_constant("c");
    ASSERT_NE(c, nullptr);
    EXPECT_DOUBLE_EQ(c->value.scale, 299792458.0);
    EXPECT_EQ(c->value.dimension, mlti(0, 1, -1));
    EXPECT_EQ(s.find_constant("h"), nullptr);
    EXPECT_EQ(s.base_index("T"), std::optional<std::size_t>(2));
    EXPECT_EQ(s.base_index("I"), std::optional<std::size_t>(3));
    EXPECT_FALSE(s.base_index("Theta"));
}

TEST(UnitSystem, FormatsDimensions) {
    const UnitSystem g = small_gaussian();
    EXPECT_EQ(g.format(mlti(Rational(1, 2), Rational(3, 2), -1)), "M^1/2 L^3/2 T^-1");
    EXPECT_EQ(g.format(mlti(1, 1, -2)), "M L T^-2");
    EXPECT_EQ(g.format(mlti(0, 1, 0)), "L");
    EXPECT_EQ(g.format(Dimension{}), "1");
    EXPECT_EQ(small_si().format(mlti(-1, -2, 4, 2)), "M^-1 L^-2 T^4 I^2");
    // A slot the system does not declare still prints (it ends up in error messages).
    EXPECT_EQ(g.format(Dimension::base(5)), "e5");
}

TEST(UnitSystem, FormatsInCoherentUnits) {
    EXPECT_EQ(small_si().format_in_units(mlti(1, 1, -2)), "kg*m*s^-2");
    EXPECT_EQ(small_si().format_in_units(mlti(-1, -2, 4, 2)), "kg^-1*m^-2*s^4*A^2");
    EXPECT_EQ(small_si().format_in_units(Dimension{}), "1");
    EXPECT_EQ(small_gaussian().format_in_units(mlti(Rational(1, 2), Rational(3, 2), -1)), "g^(1/2)*cm^(3/2)*s^-1");
    EXPECT_EQ(small_gaussian().format_in_units(mlti(0, Rational(-1, 2), 0)), "cm^(-1/2)");
}
