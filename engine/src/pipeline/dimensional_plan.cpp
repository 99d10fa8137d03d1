#include "kepler/pipeline/dimensional_plan.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kepler/core/evaluator.hpp"
#include "kepler/units/completing_constants.hpp"
#include "kepler/units/dimension_check.hpp"

namespace kepler {

namespace {

// x^e as a formula: x for e = 1, sqrt(x) for 1/2, else x^e with e a constant (p/q as a quotient).
Expression power(std::uint16_t k, Rational e) {
    Expression x = Expression::variable(k);
    if (e == Rational(1)) return x;
    if (e == Rational(1, 2)) return Expression::unary(Op::Sqrt, x);
    Expression exponent =
        e.is_integer() ? Expression::constant(e.num())
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

const PhysicalConstant* constant_used(const DimensionalPlan& plan, const Expression& formula, std::string* failure) {
    try {
        const Dimension needed = plan.constraints.target / dimension_of(formula, plan.constraints.variables);
        if (needed.dimensionless()) return nullptr;
        for (const PhysicalConstant* c : plan.constants)
            if (is_constant_power(c->value.dimension, needed)) return c;
    } catch (const std::exception& e) {
        // The formula has no dimension to read (an input under a function, a real power of a
        // dimension): no constant can be named; the caller records why.
        if (failure != nullptr) *failure = e.what();
    }
    return nullptr;
}

namespace {

// log|v|, or nothing if v is zero, not finite or changes sign.
std::optional<Eigen::VectorXd> log_of_one_sign(const Eigen::VectorXd& v) {
    if (v.size() == 0 || !v.allFinite()) return std::nullopt;
    const bool positive = v(0) > 0.0;
    for (Eigen::Index i = 0; i < v.size(); ++i)
        if (v(i) == 0.0 || (v(i) > 0.0) != positive) return std::nullopt;
    return v.array().abs().log().matrix();
}

// Larger powers of a group are rarely a law's own and usually a steep non-power function's
// local slope (exp(-x^2/2) over 1 <= x <= 3 looks like x^-4).
constexpr double kMaxPowerMoved = 2.0;

double centred_variance(const Eigen::VectorXd& v) { return (v.array() - v.mean()).square().mean(); }

// 2^(extra - sum_j powers_j*e_j): the factor that undoes the rows' powers of two in prod x_j^e_j.
double undoing_factor(std::span<const int> powers, std::span<const Rational> exponents, int extra) {
    double p = extra;
    for (std::size_t j = 0; j < exponents.size() && j < powers.size(); ++j) p -= powers[j] * exponents[j].to_double();
    return std::exp2(p);
}

Expression times(double factor, Expression e) {
    if (factor == 1.0) return e;
    return Expression::binary(Op::Mul, Expression::constant(factor), e);
}

// The monomial of `exponents`, times the factor undoing the rows' powers of two (if any).
Expression scaled_monomial(const DimensionalPlan& plan, std::span<const Rational> exponents) {
    Expression m = monomial_expression(exponents);
    if (plan.binary_powers.empty()) return m;
    return times(undoing_factor(plan.binary_powers, exponents, plan.binary_powers.back()), m);
}

}  // namespace

void balance_monomial(DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    if (!plan.monomial || plan.groups.empty() || !plan.pi.target_exponents || X.rows() < 8) return;
    Evaluator evaluate;
    const auto log_rest = log_of_one_sign(y.cwiseQuotient(evaluate(*plan.monomial, X)));
    if (!log_rest) return;
    const auto k = static_cast<Eigen::Index>(plan.groups.size());
    Eigen::MatrixXd A(X.rows(), k + 1);
    A.col(k).setOnes();
    for (Eigen::Index g = 0; g < k; ++g) {
        const auto lg = log_of_one_sign(evaluate(plan.groups[static_cast<std::size_t>(g)], X));
        if (!lg) return;
        A.col(g) = *lg;
    }
    const Eigen::VectorXd slopes = A.colPivHouseholderQr().solve(*log_rest);
    std::vector<Rational> exponents = *plan.pi.target_exponents;
    Eigen::VectorXd shifted = *log_rest;
    bool changed = false;
    // Rational arithmetic throws on overflow; the exponents here are small, but if not, keep the plan.
    try {
        for (Eigen::Index g = 0; g < k; ++g) {
            const double r = std::round(slopes(g));
            if (r == 0.0 || !std::isfinite(r) || std::abs(r) > kMaxPowerMoved) continue;
            changed = true;
            const auto& group = plan.pi.groups[static_cast<std::size_t>(g)];
            for (std::size_t j = 0; j < exponents.size(); ++j)
                exponents[j] = exponents[j] + Rational(static_cast<std::int32_t>(r)) * group[j];
            shifted -= r * A.col(g);
        }
    } catch (const std::overflow_error&) {
        return;
    }
    if (!changed || !(centred_variance(shifted) < centred_variance(*log_rest))) return;
    plan.pi.target_exponents = exponents;
    plan.monomial = scaled_monomial(plan, exponents);
}

void undo_binary_scaling(DimensionalPlan& plan, std::vector<int> binary_powers) {
    if (std::all_of(binary_powers.begin(), binary_powers.end(), [](int k) { return k == 0; })) return;
    plan.binary_powers = std::move(binary_powers);
    for (std::size_t g = 0; g < plan.groups.size(); ++g)
        plan.groups[g] = times(undoing_factor(plan.binary_powers, plan.pi.groups[g], 0), plan.groups[g]);
    if (plan.pi.target_exponents) plan.monomial = scaled_monomial(plan, *plan.pi.target_exponents);
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
    for (const CompletingConstant& c : completing_constants(inputs, target, system)) {
        plan.constants.push_back(c.constant);
        plan.constraints.constant_dimensions.push_back(c.constant->value.dimension);
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
