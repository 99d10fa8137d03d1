#include <gtest/gtest.h>

#include "dimension_helpers.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "kepler/units/buckingham_pi.hpp"

using namespace kepler;

namespace {

using Exponents = std::vector<Rational>;

using kepler::testing::mlt;

const Dimension kMass = mlt(1, 0, 0);
const Dimension kLength = mlt(0, 1, 0);
const Dimension kTime = mlt(0, 0, 1);
const Dimension kAcceleration = mlt(0, 1, -2);
const Dimension kForce = mlt(1, 1, -2);
const Dimension kCharge = mlt(Rational(1, 2), Rational(3, 2), -1);  // Gaussian statcoulomb

Exponents ints(std::initializer_list<int> v) {
    Exponents r;
    for (int x : v) r.emplace_back(x);
    return r;
}

// prod inputs_j^p_j
Dimension monomial(std::span<const Dimension> inputs, const Exponents& p) {
    Dimension d;
    for (std::size_t j = 0; j < inputs.size(); ++j) d = d * inputs[j].pow(p[j]);
    return d;
}

// Every group: right length, dimensionless, coprime integers, positive first nonzero entry;
// and the groups are n - rank independent vectors.
void expect_valid_groups(std::span<const Dimension> inputs, const PiAnalysis& pi) {
    ASSERT_EQ(pi.groups.size(), inputs.size() - pi.rank);
    Eigen::MatrixXd g(static_cast<Eigen::Index>(inputs.size()), static_cast<Eigen::Index>(pi.groups.size()));
    for (std::size_t k = 0; k < pi.groups.size(); ++k) {
        const Exponents& v = pi.groups[k];
        ASSERT_EQ(v.size(), inputs.size());
        EXPECT_TRUE(monomial(inputs, v).dimensionless()) << "group " << k;
        std::int32_t gcd = 0;
        bool first = true;
        for (std::size_t j = 0; j < v.size(); ++j) {
            EXPECT_TRUE(v[j].is_integer());
            gcd = std::gcd(gcd, v[j].num());
            if (first && !v[j].is_zero()) {
                EXPECT_GT(v[j].num(), 0) << "group " << k;
                first = false;
            }
            g(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(k)) = v[j].to_double();
        }
        EXPECT_EQ(gcd, 1) << "group " << k;
    }
    if (!pi.groups.empty()) {
        EXPECT_EQ(static_cast<std::size_t>(Eigen::FullPivLU<Eigen::MatrixXd>(g).rank()), pi.groups.size());
    }
}

int abs_sum(const std::vector<Exponents>& vs) {
    int s = 0;
    for (const auto& v : vs) {
        for (const Rational& x : v) s += std::abs(x.num());
    }
    return s;
}

}  // namespace

TEST(BuckinghamPi, NewtonsSecondLaw) {
    const std::vector<Dimension> in = {kMass, kAcceleration};
    const PiAnalysis pi = buckingham_pi(in, kForce);
    EXPECT_EQ(pi.rank, 2u);
    ASSERT_TRUE(pi.target_exponents);
    EXPECT_EQ(*pi.target_exponents, ints({1, 1}));
    EXPECT_TRUE(pi.groups.empty());
}

TEST(BuckinghamPi, PendulumPeriod) {
    const std::vector<Dimension> in = {kLength, kAcceleration};
    const PiAnalysis pi = buckingham_pi(in, kTime);
    EXPECT_EQ(pi.rank, 2u);
    ASSERT_TRUE(pi.target_exponents);
    EXPECT_EQ(*pi.target_exponents, (Exponents{Rational(1, 2), Rational(-1, 2)}));
    EXPECT_TRUE(pi.groups.empty());
}

TEST(BuckinghamPi, PendulumWithMassAndAmplitude) {
    // L, g, m, theta: the mass cannot enter the period, theta is its own group.
    const std::vector<Dimension> in = {kLength, kAcceleration, kMass, Dimension{}};
    const PiAnalysis pi = buckingham_pi(in, kTime);
    EXPECT_EQ(pi.rank, 3u);
    ASSERT_TRUE(pi.target_exponents);
    EXPECT_EQ(*pi.target_exponents, (Exponents{Rational(1, 2), Rational(-1, 2), 0, 0}));
    ASSERT_EQ(pi.groups.size(), 1u);
    EXPECT_EQ(pi.groups[0], ints({0, 0, 0, 1}));
}

TEST(BuckinghamPi, LengthAndTimeOnly) {
    const std::vector<Dimension> in = {kLength, kTime};
    const PiAnalysis t = buckingham_pi(in, kTime);
    EXPECT_EQ(t.rank, 2u);
    ASSERT_TRUE(t.target_exponents);
    EXPECT_EQ(*t.target_exponents, ints({0, 1}));
    const PiAnalysis v = buckingham_pi(in, mlt(0, 1, -1));
    ASSERT_TRUE(v.target_exponents);
    EXPECT_EQ(*v.target_exponents, ints({1, -1}));
    // No mass among the inputs: a force cannot be made.
    const PiAnalysis f = buckingham_pi(in, kForce);
    EXPECT_EQ(f.rank, 2u);
    EXPECT_FALSE(f.target_exponents);
    EXPECT_TRUE(f.groups.empty());
}

TEST(BuckinghamPi, GaussianCoulombLaw) {
    const std::vector<Dimension> in = {kCharge, kCharge, kLength};
    const PiAnalysis pi = buckingham_pi(in, kForce);
    EXPECT_EQ(pi.rank, 2u);
    ASSERT_EQ(pi.groups.size(), 1u);
    EXPECT_EQ(pi.groups[0], ints({1, -1, 0}));  // q1/q2
    expect_valid_groups(in, pi);
    ASSERT_TRUE(pi.target_exponents);
    const Exponents& p = *pi.target_exponents;
    EXPECT_EQ(p[0] + p[1], Rational(2));
    EXPECT_EQ(p[2], Rational(-2));
    EXPECT_EQ(monomial(in, p), kForce);
}

TEST(BuckinghamPi, FallingSphereInAFluid) {
    // rho (M L^-3), v (L T^-1), D (L), mu (M L^-1 T^-1), g (L T^-2): 5 inputs of rank 3.
    const std::vector<Dimension> in = {mlt(1, -3, 0), mlt(0, 1, -1), kLength, mlt(1, -1, -1), kAcceleration};
    const PiAnalysis pi = buckingham_pi(in, kForce);
    EXPECT_EQ(pi.rank, 3u);
    expect_valid_groups(in, pi);
    // Reynolds rho v D / mu and Froude v^2 / (g D) together have 8 as exponent sum; no basis
    // found by a choice of repeating variables is smaller.
    EXPECT_EQ(abs_sum(pi.groups), 8);
    ASSERT_EQ(pi.groups.size(), 2u);
    EXPECT_EQ(pi.groups[0], ints({1, 1, 1, -1, 0}));   // rho v D / mu
    EXPECT_EQ(pi.groups[1], ints({0, 2, -1, 0, -1}));  // v^2 / (D g)
    ASSERT_TRUE(pi.target_exponents);
    EXPECT_EQ(monomial(in, *pi.target_exponents), kForce);
    // The smallest force monomial: mu^2/rho (sum 3 with two factors, against mu v D's three).
    EXPECT_EQ(*pi.target_exponents, ints({-1, 0, 0, 2, 0}));
}

TEST(BuckinghamPi, PrefersSmallExponents) {
    // x (L) and y (L^2) for an area: y rather than x^2; the group is x^2/y.
    const std::vector<Dimension> in = {kLength, mlt(0, 2, 0)};
    const PiAnalysis pi = buckingham_pi(in, mlt(0, 2, 0));
    ASSERT_TRUE(pi.target_exponents);
    EXPECT_EQ(*pi.target_exponents, ints({0, 1}));
    ASSERT_EQ(pi.groups.size(), 1u);
    EXPECT_EQ(pi.groups[0], ints({2, -1}));
    // Two lengths for a length: the first one, and the group x1/x2.
    const std::vector<Dimension> two = {kLength, kLength};
    const PiAnalysis p2 = buckingham_pi(two, kLength);
    EXPECT_EQ(*p2.target_exponents, ints({1, 0}));
    ASSERT_EQ(p2.groups.size(), 1u);
    EXPECT_EQ(p2.groups[0], ints({1, -1}));
}

TEST(BuckinghamPi, NoInputs) {
    const PiAnalysis a = buckingham_pi({}, kLength);
    EXPECT_EQ(a.rank, 0u);
    EXPECT_FALSE(a.target_exponents);
    EXPECT_TRUE(a.groups.empty());
    const PiAnalysis b = buckingham_pi({}, Dimension{});
    ASSERT_TRUE(b.target_exponents);
    EXPECT_TRUE(b.target_exponents->empty());
}

TEST(BuckinghamPi, AllDimensionlessInputs) {
    const std::vector<Dimension> in(3);
    const PiAnalysis pi = buckingham_pi(in, Dimension{});
    EXPECT_EQ(pi.rank, 0u);
    ASSERT_EQ(pi.groups.size(), 3u);
    EXPECT_EQ(pi.groups[0], ints({1, 0, 0}));
    EXPECT_EQ(pi.groups[1], ints({0, 1, 0}));
    EXPECT_EQ(pi.groups[2], ints({0, 0, 1}));
    ASSERT_TRUE(pi.target_exponents);
    EXPECT_EQ(*pi.target_exponents, ints({0, 0, 0}));
    EXPECT_FALSE(buckingham_pi(in, kTime).target_exponents);
}

TEST(BuckinghamPi, DimensionlessTarget) {
    const std::vector<Dimension> in = {kLength, kAcceleration, kTime};
    const PiAnalysis pi = buckingham_pi(in, Dimension{});
    ASSERT_TRUE(pi.target_exponents);
    EXPECT_EQ(*pi.target_exponents, ints({0, 0, 0}));
    ASSERT_EQ(pi.groups.size(), 1u);
    expect_valid_groups(in, pi);
    EXPECT_EQ(abs_sum(pi.groups), 4);  // g T^2 / L
}

TEST(BuckinghamPi, RankMatchesFloatingPointCrossCheck) {
    // Deterministic pseudo-random dimension matrices, small integer and half exponents, some
    // columns repeated or zero so that the rank varies; 4 base dimensions.
    std::uint64_t state = 12345;
    int reachable = 0, with_groups = 0, rank_deficient = 0;
    auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<int>((state >> 33) % 7) - 3;  // -3..3
    };
    for (int trial = 0; trial < 60; ++trial) {
        const std::size_t n = 1 + static_cast<std::size_t>(trial % 7);
        std::vector<Dimension> in(n);
        for (std::size_t j = 0; j < n; ++j) {
            const int kind = next();
            if (kind == -3 && j > 0) {
                in[j] = in[j - 1];  // a repeated column
                continue;
            }
            if (kind == 3) continue;  // dimensionless
            for (std::size_t b = 0; b < 4; ++b) {
                const int e = next();
                in[j].set_exponent(b, b == 3 ? Rational(e, 2) : Rational(e / 2));
            }
        }
        Dimension target;
        for (std::size_t b = 0; b < 4; ++b) target.set_exponent(b, Rational(next() / 2));
        const PiAnalysis pi = buckingham_pi(in, target);

        Eigen::MatrixXd d(4, static_cast<Eigen::Index>(n));
        Eigen::MatrixXd dt(4, static_cast<Eigen::Index>(n + 1));
        for (std::size_t j = 0; j <= n; ++j) {
            const Dimension& col = j < n ? in[j] : target;
            for (std::size_t b = 0; b < 4; ++b) {
                const double v = col.exponent(b).to_double();
                if (j < n) d(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(j)) = v;
                dt(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(j)) = v;
            }
        }
        const auto rank = static_cast<std::size_t>(Eigen::FullPivLU<Eigen::MatrixXd>(d).rank());
        const auto rank_t = static_cast<std::size_t>(Eigen::FullPivLU<Eigen::MatrixXd>(dt).rank());
        SCOPED_TRACE(trial);
        EXPECT_EQ(pi.rank, rank);
        expect_valid_groups(in, pi);
        EXPECT_EQ(pi.target_exponents.has_value(), rank_t == rank);
        if (pi.target_exponents) {
            EXPECT_EQ(monomial(in, *pi.target_exponents), target);
        }
        reachable += pi.target_exponents ? 1 : 0;
        with_groups += pi.groups.empty() ? 0 : 1;
        rank_deficient += pi.rank < std::min<std::size_t>(n, 4) ? 1 : 0;
    }
    // The trials cover both outcomes of each question.
    EXPECT_GT(reachable, 5);
    EXPECT_LT(reachable, 55);
    EXPECT_GT(with_groups, 5);
    EXPECT_GT(rank_deficient, 5);
}

TEST(BuckinghamPi, ManyInputsStayFastAndValid) {
    // 20 inputs over 3 bases: C(20,3) = 1140 pivot choices, all tried. 40 inputs: 9880, more
    // than kMaxPivotChoices, so the search stops early but still returns a valid basis.
    for (int n : {20, 40}) {
        std::vector<Dimension> in;
        for (int j = 0; j < n; ++j) in.push_back(mlt(j % 3 - 1, (j * 7) % 5 - 2, (j * 3) % 4 - 2));
        const PiAnalysis pi = buckingham_pi(in, kForce);
        EXPECT_EQ(pi.rank, 3u);
        expect_valid_groups(in, pi);
        ASSERT_TRUE(pi.target_exponents);
        EXPECT_EQ(monomial(in, *pi.target_exponents), kForce);
    }
}

namespace {

UnitSystem with_constants(std::vector<PhysicalConstant> constants) {
    UnitSystem s;
    s.bases = {{"M", "mass", "kg"}, {"L", "length", "m"}, {"T", "time", "s"}};
    s.constants = std::move(constants);
    return s;
}

const PhysicalConstant kG{"G", "gravitational constant", {6.674e-11, mlt(-1, 3, -2)}};
const PhysicalConstant kH{"h", "Planck constant", {6.626e-34, mlt(1, 2, -1)}};
const PhysicalConstant kC{"c", "speed of light in vacuum", {299792458.0, mlt(0, 1, -1)}};
const PhysicalConstant kGn{"g_n", "standard gravity", {9.80665, kAcceleration}};
const PhysicalConstant kAlpha{"alpha", "fine-structure constant", {7.297e-3, Dimension{}}};

}  // namespace

TEST(BuckinghamPi, ConstantToCompleteMassEnergy) {
    // E from m alone needs c (E = m c^2); G and h do not help.
    const std::vector<Dimension> in = {kMass};
    const UnitSystem s = with_constants({kAlpha, kG, kH, kC});
    EXPECT_EQ(constant_to_complete(in, mlt(1, 2, -2), s), std::optional<std::size_t>(3));
    // Nothing helps a mass make a time.
    EXPECT_FALSE(constant_to_complete(in, kTime, with_constants({kC})));
    // Already reachable: nothing to complete.
    EXPECT_FALSE(constant_to_complete(in, mlt(2, 0, 0), s));
}

TEST(BuckinghamPi, ConstantToCompletePrefersSmallExponents) {
    // A time from a length: L/c (sum 2) or sqrt(L/g_n) (sum 1): g_n wins whatever the order.
    const std::vector<Dimension> in = {kLength};
    EXPECT_EQ(constant_to_complete(in, kTime, with_constants({kC, kGn})), std::optional<std::size_t>(1));
    EXPECT_EQ(constant_to_complete(in, kTime, with_constants({kGn, kC})), std::optional<std::size_t>(0));
    // A tie goes to the earlier entry.
    const PhysicalConstant other_speed{"v_s", "speed of sound", {343.0, mlt(0, 1, -1)}};
    EXPECT_EQ(constant_to_complete(in, kTime, with_constants({kAlpha, other_speed, kC})),
              std::optional<std::size_t>(1));
}
