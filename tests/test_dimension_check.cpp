#include <gtest/gtest.h>

#include "dimension_helpers.hpp"

#include <string>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/units/dimension_check.hpp"

using namespace kepler;

namespace {

using kepler::testing::mlt;

UnitSystem mlt_system() {
    UnitSystem s;
    s.bases = {{"M", "mass", "kg"}, {"L", "length", "m"}, {"T", "time", "s"}};
    return s;
}

Expression var(std::uint16_t i) { return Expression::variable(i); }
Expression num(double v) { return Expression::constant(v); }
Expression bin(Op op, const Expression& a, const Expression& b) { return Expression::binary(op, a, b); }
Expression un(Op op, const Expression& a) { return Expression::unary(op, a); }

// Variables: x0 = m (M), x1 = a (L T^-2), x2 = length (L), x3 = g (L T^-2), x4 = angle (1),
// x5 = another length (L).
const std::vector<Dimension>& vars() {
    static const std::vector<Dimension> v = {mlt(1, 0, 0),  mlt(0, 1, -2), mlt(0, 1, 0),
                                             mlt(0, 1, -2), Dimension{},   mlt(0, 1, 0)};
    return v;
}

// The DimensionError thrown by dimension_of (fails the test if none is).
DimensionError error_of(const Expression& e, const UnitSystem* system = nullptr) {
    try {
        dimension_of(e, vars(), system);
    } catch (const DimensionError& err) {
        return err;
    }
    ADD_FAILURE() << "no DimensionError";
    return DimensionError(9999, "");
}

}  // namespace

TEST(DimensionCheck, NewtonAndPendulum) {
    EXPECT_EQ(dimension_of(bin(Op::Mul, var(0), var(1)), vars()), mlt(1, 1, -2));
    // 2*pi*sqrt(L/g) is a time.
    const Expression period = bin(Op::Mul, bin(Op::Mul, num(2), Expression({Node{Op::Pi, 0, 0.0}})),
                                  un(Op::Sqrt, bin(Op::Div, var(2), var(3))));
    EXPECT_EQ(dimension_of(period, vars()), mlt(0, 0, 1));
    // m*g*L*(1 - cos(theta)): an energy.
    const Expression energy =
        bin(Op::Mul, bin(Op::Mul, bin(Op::Mul, var(0), var(3)), var(2)), bin(Op::Sub, num(1), un(Op::Cos, var(4))));
    EXPECT_EQ(dimension_of(energy, vars()), mlt(1, 2, -2));
}

TEST(DimensionCheck, LeavesAndSignKeepingOperators) {
    EXPECT_TRUE(dimension_of(num(3.5), vars()).dimensionless());
    EXPECT_TRUE(dimension_of(Expression({Node::param(0, 2.0)}), vars()).dimensionless());
    EXPECT_EQ(dimension_of(un(Op::Neg, var(2)), vars()), mlt(0, 1, 0));
    EXPECT_EQ(dimension_of(un(Op::Abs, var(1)), vars()), mlt(0, 1, -2));
    EXPECT_EQ(dimension_of(bin(Op::Mul, Expression({Node::param(0)}), var(2)), vars()), mlt(0, 1, 0));
    EXPECT_EQ(dimension_of(un(Op::Sqrt, var(2)), vars()), mlt(0, Rational(1, 2), 0));
    EXPECT_TRUE(dimension_of(bin(Op::Div, var(2), var(5)), vars()).dimensionless());
    EXPECT_EQ(dimension_of(bin(Op::Sub, var(2), var(5)), vars()), mlt(0, 1, 0));
}

TEST(DimensionCheck, AddingDifferentDimensionsFails) {
    const UnitSystem s = mlt_system();
    const Expression e = bin(Op::Add, var(0), var(2));  // m + L
    const DimensionError err = error_of(e, &s);
    EXPECT_EQ(err.node, 2u);
    EXPECT_EQ(std::string(err.what()), "cannot add L to M");
    // Without a system the generic notation is used.
    EXPECT_EQ(std::string(error_of(e).what()), "cannot add [e1^1] to [e0^1]");

    const Expression f = bin(Op::Sub, bin(Op::Mul, var(0), var(1)), var(2));  // m*a - L
    const DimensionError err2 = error_of(f, &s);
    EXPECT_EQ(err2.node, 4u);
    EXPECT_EQ(std::string(err2.what()), "cannot subtract L from M L T^-2");
    // A fitted constant is dimensionless, so c + L does not pass either.
    EXPECT_THROW(dimension_of(bin(Op::Add, Expression({Node::param(0)}), var(2)), vars()), DimensionError);
}

TEST(DimensionCheck, TranscendentalFunctionsNeedDimensionlessArguments) {
    const UnitSystem s = mlt_system();
    const Expression e = bin(Op::Add, var(4), un(Op::Exp, var(2)));  // theta + exp(L)
    const DimensionError err = error_of(e, &s);
    EXPECT_EQ(err.node, 2u);
    EXPECT_EQ(std::string(err.what()), "argument of exp must be dimensionless, found L");
    for (Op op : {Op::Log, Op::Sin, Op::Cos, Op::Tan, Op::Asin, Op::Acos, Op::Atan, Op::Tanh}) {
        EXPECT_THROW(dimension_of(un(op, var(1)), vars()), DimensionError) << op_name(op);
        EXPECT_TRUE(dimension_of(un(op, bin(Op::Div, var(2), var(5))), vars()).dimensionless()) << op_name(op);
    }
    EXPECT_EQ(std::string(error_of(un(Op::Log, var(1)), &s).what()),
              "argument of log must be dimensionless, found L T^-2");
}

TEST(DimensionCheck, PowerWithDimensionalExponentFails) {
    const UnitSystem s = mlt_system();
    const DimensionError err = error_of(bin(Op::Pow, var(4), var(2)), &s);  // theta ^ L
    EXPECT_EQ(err.node, 2u);
    EXPECT_EQ(std::string(err.what()), "exponent of ^ must be dimensionless, found L");
    // A dimensionless base may take any dimensionless exponent, variable or fitted.
    EXPECT_TRUE(dimension_of(bin(Op::Pow, var(4), bin(Op::Div, var(2), var(5))), vars()).dimensionless());
    EXPECT_TRUE(dimension_of(bin(Op::Pow, bin(Op::Div, var(2), var(5)), num(0.123)), vars()).dimensionless());
}

TEST(DimensionCheck, PowerOfADimensionalBase) {
    const UnitSystem s = mlt_system();
    // L^0.5 halves the exponents; so does L^(1/2) written as a division of constants.
    EXPECT_EQ(dimension_of(bin(Op::Pow, var(2), num(0.5)), vars()), mlt(0, Rational(1, 2), 0));
    EXPECT_EQ(dimension_of(bin(Op::Pow, var(1), bin(Op::Div, num(1), num(2))), vars()), mlt(0, Rational(1, 2), -1));
    // -(3) as an unfolded negation node, and a printed 1/3.
    const Expression cube_inverse({Node::var(2), Node::constant(3), Node::op_node(Op::Neg), Node::op_node(Op::Pow)});
    EXPECT_EQ(dimension_of(cube_inverse, vars()), mlt(0, -3, 0));
    EXPECT_EQ(dimension_of(bin(Op::Pow, var(1), num(0.3333333333333333)), vars()),
              mlt(0, Rational(1, 3), Rational(-2, 3)));
    EXPECT_EQ(dimension_of(bin(Op::Pow, var(2), num(1.0 / 12)), vars()), mlt(0, Rational(1, 12), 0));
    EXPECT_EQ(dimension_of(bin(Op::Pow, var(2), num(0)), vars()), Dimension{});
    // (L^2)^(3/2) = L^3
    EXPECT_EQ(dimension_of(bin(Op::Pow, bin(Op::Mul, var(2), var(5)), num(1.5)), vars()), mlt(0, 3, 0));

    // Exponents that are not a rational with a small denominator are rejected.
    const DimensionError err = error_of(bin(Op::Pow, var(2), num(0.37)), &s);
    EXPECT_EQ(err.node, 2u);
    EXPECT_NE(std::string(err.what()).find("cannot raise L to the power 0.37"), std::string::npos) << err.what();
    EXPECT_THROW(dimension_of(bin(Op::Pow, var(2), num(1.0 / 13)), vars()), DimensionError);
    EXPECT_THROW(dimension_of(bin(Op::Pow, var(2), num(1e-12)), vars()), DimensionError);
    EXPECT_THROW(dimension_of(bin(Op::Pow, var(2), num(2.0000001)), vars()), DimensionError);
    EXPECT_THROW(dimension_of(bin(Op::Pow, var(2), Expression({Node{Op::Pi, 0, 0.0}})), vars()), DimensionError);
    EXPECT_THROW(dimension_of(bin(Op::Pow, var(2), un(Op::Sqrt, num(2))), vars()), DimensionError);
    // Not constant: a fitted parameter or a dimensionless variable.
    const DimensionError err2 = error_of(bin(Op::Pow, var(2), Expression({Node::param(0, 0.5)})), &s);
    EXPECT_EQ(std::string(err2.what()), "cannot raise L to a non-constant power");
    EXPECT_THROW(dimension_of(bin(Op::Pow, var(2), var(4)), vars()), DimensionError);
    // 0.3 is 3/10, a denominator within the limit, so it passes as L^(3/10).
    EXPECT_EQ(dimension_of(bin(Op::Pow, var(2), num(0.3)), vars()), mlt(0, Rational(3, 10), 0));
}

TEST(DimensionCheck, GaussianCoulombLaw) {
    UnitSystem s = mlt_system();
    const Dimension charge = mlt(Rational(1, 2), Rational(3, 2), -1);
    const std::vector<Dimension> v = {charge, charge, mlt(0, 1, 0)};
    const Expression f = bin(Op::Div, bin(Op::Mul, var(0), var(1)), bin(Op::Pow, var(2), num(2)));
    EXPECT_EQ(dimension_of(f, v, &s), mlt(1, 1, -2));
    // q1 + r is reported in the system's notation, halves included.
    try {
        dimension_of(bin(Op::Add, var(0), var(2)), v, &s);
        FAIL() << "no DimensionError";
    } catch (const DimensionError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot add L to M^1/2 L^3/2 T^-1");
    }
}

TEST(DimensionCheck, ReportsTheFirstOffendingNode) {
    // exp(L) + (m + L): the exp (node 1) is reached before the addition at node 4.
    const Expression e = bin(Op::Add, un(Op::Exp, var(2)), bin(Op::Add, var(0), var(2)));
    EXPECT_EQ(error_of(e).node, 1u);
}

TEST(DimensionCheck, MissingVariableDimensionIsAnArgumentError) {
    const std::vector<Dimension> one = {mlt(0, 1, 0)};
    EXPECT_THROW(dimension_of(bin(Op::Mul, var(0), var(1)), one), std::invalid_argument);
}
