#include "kepler/judge/symbolic_solution.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <vector>

#include "kepler/core/canonical.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/median.hpp"
#include "kepler/core/simplify.hpp"

namespace kepler {

namespace {

constexpr double kDecimals = 1000.0;     // 3 decimals
constexpr double kZeroBelow = 1e-4;      // |c| < 1e-4 becomes 0
constexpr double kFloorFraction = 1e-6;  // as the judge's relative-error floor

// A single number (canonical() folds a constant expression to one Const).
bool is_number(const Expression& e, double& value) {
    if (e.size() != 1 || e.nodes()[0].op != Op::Const) return false;
    value = e.nodes()[0].value;
    return std::isfinite(value);
}

// sin(u)^2 -> (1 - cos(2*u))/2 and cos(u)^2 -> (1 + cos(2*u))/2 wherever they occur (as a
// power 2 or square(); run on simplify()'s form, where sin(u)*sin(u) has become sin(u)^2).
// canonical() knows no function identities, but SymPy's simplify(), which SRBench runs on
// truth - model, proves these: without them sin(n*theta/2)^2/sin(theta/2)^2 and
// (1 - cos(n*theta))/(1 - cos(theta)) would be left to the numeric test, whose 1e-9 the
// cancellation in 1 - cos near cos = 1 can exceed.
Expression half_angle_form(const Expression& e) {
    std::vector<Expression> stack;
    const auto squared_trig = [](const Expression& base) -> std::optional<Expression> {
        const Op top = base.nodes().back().op;
        if (top != Op::Sin && top != Op::Cos) return std::nullopt;
        const Expression u(std::vector<Node>(base.nodes().begin(), base.nodes().end() - 1));
        const Expression cos2u = Expression::unary(Op::Cos, Expression::binary(Op::Mul, Expression::constant(2.0), u));
        return Expression::binary(
            Op::Div, Expression::binary(top == Op::Sin ? Op::Sub : Op::Add, Expression::constant(1.0), cos2u),
            Expression::constant(2.0));
    };
    // cos(u) - 1 as -(1 - cos(u)): canonical() does not see that a sum and its negation cancel
    // in a quotient, so (cos(n*theta) - 1)/(cos(theta) - 1) would not meet the truth's form.
    const auto cosine_less_one = [](Op op, const Expression& a, const Expression& b) -> std::optional<Expression> {
        auto number = [](const Expression& x, double v) { return x.size() == 1 && x.nodes()[0].op == Op::Const && x.nodes()[0].value == v; };
        auto cosine = [](const Expression& x) { return x.nodes().back().op == Op::Cos; };
        const Expression* c = nullptr;
        if (op == Op::Sub && cosine(a) && number(b, 1.0)) c = &a;
        if (op == Op::Add && cosine(a) && number(b, -1.0)) c = &a;
        if (op == Op::Add && number(a, -1.0) && cosine(b)) c = &b;
        if (!c) return std::nullopt;
        return Expression::unary(Op::Neg, Expression::binary(Op::Sub, Expression::constant(1.0), *c));
    };
    for (const Node& n : e.nodes()) {
        if (arity(n.op) == 0) {
            stack.push_back(Expression(std::vector<Node>{n}));
        } else if (arity(n.op) == 1) {
            std::optional<Expression> r = n.op == Op::Square ? squared_trig(stack.back()) : std::nullopt;
            stack.back() = r ? std::move(*r) : Expression::unary(n.op, stack.back());
        } else {
            Expression right = std::move(stack.back());
            stack.pop_back();
            std::optional<Expression> r;
            if (n.op == Op::Pow && right.size() == 1 && right.nodes()[0].op == Op::Const &&
                right.nodes()[0].value == 2.0)
                r = squared_trig(stack.back());
            else
                r = cosine_less_one(n.op, stack.back(), right);
            stack.back() = r ? std::move(*r) : Expression::binary(n.op, stack.back(), right);
        }
    }
    return stack.empty() ? e : std::move(stack.back());
}

// truth - model, or failing that truth / model, canonically a (nonzero) number: 1 or 2; 0 if
// neither.
int canonically_constant(const Expression& truth, const Expression& model) {
    double value = 0.0;
    if (is_number(canonical(Expression::binary(Op::Sub, truth, model), true), value)) return 1;
    if (is_number(canonical(Expression::binary(Op::Div, truth, model), true), value) && value != 0.0) return 2;
    return 0;
}

// The difference is constant at every point where `use` holds (see the header for the scale).
bool difference_constant(const Eigen::VectorXd& t, const Eigen::VectorXd& r, const std::vector<bool>& use, double floor,
                         double tolerance) {
    std::vector<double> diff;
    for (Eigen::Index i = 0; i < t.size(); ++i)
        if (use[static_cast<std::size_t>(i)]) diff.push_back(t(i) - r(i));
    const double c = upper_median(diff);
    if (!std::isfinite(c)) return false;
    for (Eigen::Index i = 0; i < t.size(); ++i)
        if (use[static_cast<std::size_t>(i)] &&
            !(std::abs(t(i) - r(i) - c) <= tolerance * (std::abs(t(i)) + std::abs(r(i)) + floor)))
            return false;
    return true;
}

// The ratio r / t is a nonzero constant at every point where `use` holds.
bool ratio_constant(const Eigen::VectorXd& t, const Eigen::VectorXd& r, const std::vector<bool>& use, double floor,
                    double tolerance) {
    std::vector<double> ratio;
    for (Eigen::Index i = 0; i < t.size(); ++i)
        if (use[static_cast<std::size_t>(i)] && std::abs(t(i)) > floor) ratio.push_back(r(i) / t(i));
    const double k = upper_median(ratio);
    if (!std::isfinite(k) || k == 0.0) return false;
    for (Eigen::Index i = 0; i < t.size(); ++i)
        if (use[static_cast<std::size_t>(i)] &&
            !(std::abs(r(i) - k * t(i)) <= tolerance * (std::abs(r(i)) + std::abs(k * t(i)) + std::abs(k) * floor)))
            return false;
    return true;
}

// k*pi^a for k a simple fraction (|p| <= 1000, q <= 12) and |a| <= 2, to 1e-9 relative.
bool simple_times_pi_power(double v) {
    for (int a = -2; a <= 2; ++a) {
        const double k = v / std::pow(std::numbers::pi, a);
        for (int q = 1; q <= 12; ++q) {
            const double p = std::nearbyint(k * q);
            if (p != 0.0 && std::abs(p) <= 1000.0 && std::abs(k * q - p) <= 1e-9 * std::abs(k * q)) return true;
        }
    }
    return false;
}

// v = k * pi^a * C^b, or k * pi^a * C^b * D^d, for named constants C and D (the forms of the
// header; two of them for a law that writes their product as one constant of the system,
// mu0 = 1/(eps0*c^2)), to 1e-9 relative.
bool is_named_form(double v, const std::vector<double>& named_constants) {
    constexpr double kHalves[] = {0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1.5, -1.5};
    for (std::size_t i = 0; i < named_constants.size(); ++i) {
        const double c = named_constants[i];
        if (!(c > 0.0) || !std::isfinite(c)) continue;
        for (double b : kHalves) {
            if (b == 0.0) continue;
            for (std::size_t j = i; j < named_constants.size(); ++j) {
                const double d = named_constants[j];
                if (!(d > 0.0) || !std::isfinite(d)) continue;
                for (double e : kHalves)
                    if ((j > i || e == 0.0) && simple_times_pi_power(v / (std::pow(c, b) * std::pow(d, e))))
                        return true;
            }
        }
    }
    return false;
}

}  // namespace

Expression round_floats_like_srbench(const Expression& model, const std::vector<double>& named_constants) {
    Expression frozen = model.with_parameters_frozen();
    for (Node& n : frozen.mutable_nodes()) {
        if (n.op != Op::Const || !std::isfinite(n.value) || n.value == std::trunc(n.value)) continue;
        if (is_named_form(n.value, named_constants)) continue;
        n.value = std::abs(n.value) < kZeroBelow ? 0.0 : std::round(n.value * kDecimals) / kDecimals;
    }
    return frozen;
}

SymbolicSolution symbolic_solution(const Expression& found, const Expression& truth,
                                   const Eigen::Ref<const Eigen::MatrixXd>& points,
                                   const Eigen::Ref<const Eigen::VectorXd>& truth_values,
                                   const std::vector<double>& named_constants) {
    if (points.rows() != truth_values.size() || points.rows() == 0)
        throw std::invalid_argument("symbolic_solution: no points, or points and truth values differ in number");
    SymbolicSolution s;
    s.rounded = round_floats_like_srbench(found, named_constants);
    const Expression t_frozen = truth.with_parameters_frozen();
    int constant = canonically_constant(t_frozen, s.rounded);
    if (constant == 0)
        constant = canonically_constant(half_angle_form(simplify(t_frozen)), half_angle_form(simplify(s.rounded)));
    const bool canonical_difference = constant == 1;
    const bool canonical_ratio = constant == 2;
    s.decided_canonically = canonical_difference || canonical_ratio;

    Evaluator evaluator;
    Eigen::VectorXd r(points.rows());
    evaluator.evaluate(s.rounded, points, r);
    const Eigen::VectorXd t = truth_values;
    std::vector<double> abs_t(static_cast<std::size_t>(t.size()));
    for (Eigen::Index i = 0; i < t.size(); ++i) abs_t[static_cast<std::size_t>(i)] = std::abs(t(i));
    const double floor = kFloorFraction * upper_median(abs_t);
    std::vector<bool> finite(static_cast<std::size_t>(t.size()));
    std::size_t finite_count = 0;
    for (Eigen::Index i = 0; i < t.size(); ++i)
        finite_count += (finite[static_cast<std::size_t>(i)] = std::isfinite(r(i)));

    if (s.decided_canonically) {
        // Confirmed where the rounded model is defined (canonical() may have merged
        // sqrt(x)^2 into x, as SymPy would, which is wrong where x < 0).
        s.solution = finite_count > 0 &&
                     (canonical_difference ? difference_constant(t, r, finite, floor, kCanonicalConfirmTolerance)
                                           : ratio_constant(t, r, finite, floor, kCanonicalConfirmTolerance));
        s.reason = s.solution ? (canonical_difference ? "canonical form: truth - model is a constant"
                                                      : "canonical form: truth / model is a nonzero constant")
                              : "canonical form says constant, but the values on the fresh points disagree";
        return s;
    }
    if (finite_count < static_cast<std::size_t>(t.size())) {
        s.reason = "the rounded model is not finite at some fresh points where the truth is";
        return s;
    }
    if (difference_constant(t, r, finite, floor, kSymbolicSolutionTolerance)) {
        s.solution = true;
        s.reason = "truth - model is constant on the fresh points";
    } else if (ratio_constant(t, r, finite, floor, kSymbolicSolutionTolerance)) {
        s.solution = true;
        s.reason = "truth / model is a nonzero constant on the fresh points";
    } else {
        s.reason = "neither truth - model nor truth / model is constant after rounding to 3 decimals";
    }
    return s;
}

}  // namespace kepler
