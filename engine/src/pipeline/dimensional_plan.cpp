#include "kepler/pipeline/dimensional_plan.hpp"

#include <stdexcept>

#include "kepler/units/dimension_check.hpp"

namespace kepler {

namespace {

// x^e as a formula: x for e = 1, sqrt(x) for 1/2, else x^e with e a constant (p/q as a quotient).
Expression power(std::uint16_t k, Rational e) {
    Expression x = Expression::variable(k);
    if (e == Rational(1)) return x;
    if (e == Rational(1, 2)) return Expression::unary(Op::Sqrt, x);
    Expression exponent = e.is_integer()
                              ? Expression::constant(e.num())
                              : Expression::binary(Op::Div, Expression::constant(e.num()), Expression::constant(e.den()));
    return Expression::binary(Op::Pow, x, exponent);
}

// The product of the given powers, or nothing if there are none.
std::optional<Expression> product(std::span<const Rational> exponents, bool positive) {
    std::optional<Expression> out;
    for (std::size_t k = 0; k < exponents.size(); ++k) {
        Rational e = exponents[k];
        if (e.is_zero() || (e.num() > 0) != positive) continue;
        Expression factor = power(static_cast<std::uint16_t>(k), positive ? e : -e);
        out = out ? Expression::binary(Op::Mul, *out, factor) : factor;
    }
    return out;
}

}  // namespace

Expression monomial_expression(std::span<const Rational> exponents) {
    std::optional<Expression> num = product(exponents, true);
    std::optional<Expression> den = product(exponents, false);
    if (!num && !den) return Expression::constant(1.0);
    if (!den) return *num;
    return Expression::binary(Op::Div, num ? *num : Expression::constant(1.0), *den);
}

const PhysicalConstant* constant_used(const DimensionalPlan& plan, const Expression& formula) {
    try {
        const Dimension needed = plan.constraints.target / dimension_of(formula, plan.constraints.variables);
        if (needed.dimensionless()) return nullptr;
        for (const PhysicalConstant* c : plan.constants)
            if (is_constant_power(c->value.dimension, needed)) return c;
    } catch (const std::exception&) {
    }
    return nullptr;
}

DimensionalPlan plan_dimensions(std::span<const Dimension> inputs, const Dimension& target, const UnitSystem& system) {
    DimensionalPlan plan;
    plan.pi = buckingham_pi(inputs, target);
    plan.constraints.variables.assign(inputs.begin(), inputs.end());
    plan.constraints.target = target;
    for (const auto& g : plan.pi.groups) plan.groups.push_back(monomial_expression(g));
    if (plan.pi.target_exponents) {
        plan.monomial = monomial_expression(*plan.pi.target_exponents);
        plan.constraints.scale = DimensionalConstraints::Scale::Dimensionless;
        return plan;
    }
    // Every constant that completes the target's dimension on its own is a candidate: the
    // smallest exponents do not tell k_B from R for a gas law in moles, the data do.
    std::vector<Dimension> extended(inputs.begin(), inputs.end());
    extended.emplace_back();
    for (const PhysicalConstant& c : system.constants) {
        if (c.value.dimension.dimensionless()) continue;
        extended.back() = c.value.dimension;
        if (buckingham_pi(extended, target).target_exponents) {
            plan.constants.push_back(&c);
            plan.constraints.constant_dimensions.push_back(c.value.dimension);
        }
    }
    if (!plan.constants.empty()) {
        plan.constraints.scale = DimensionalConstraints::Scale::PowerOfConstant;
        return plan;
    }
    plan.unknown_constant = true;
    plan.constraints.scale = DimensionalConstraints::Scale::Free;
    return plan;
}

}  // namespace kepler
