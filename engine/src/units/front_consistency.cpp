#include "kepler/units/front_consistency.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <utility>
#include <vector>

#include "kepler/units/dimension_check.hpp"

namespace kepler {

namespace {

constexpr double kTolerance = 1e-9;

using Exponents = std::array<double, kMaxBaseDimensions>;

// The dimension of a subexpression as an affine form in the numbers' unknown dimensions:
// sum_j coefficient[j] * u_j + fixed, and, if it has only Const and Pi nodes, its value.
struct Form {
    std::vector<double> coefficient;
    Exponents fixed{};
    std::optional<double> value;
};

Form scaled(Form f, double k) {
    for (double& c : f.coefficient) c *= k;
    for (double& e : f.fixed) e *= k;
    return f;
}

Form combined(const Form& a, const Form& b, double sign) {
    Form out = a;
    for (std::size_t j = 0; j < out.coefficient.size(); ++j) out.coefficient[j] += sign * b.coefficient[j];
    for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) out.fixed[i] += sign * b.fixed[i];
    out.value.reset();
    return out;
}

// The nearest rational with denominator <= kMaxExponentDenominator, if one is within tolerance.
std::optional<Rational> as_rational(double v) {
    if (!std::isfinite(v)) return std::nullopt;
    for (std::int32_t d = 1; d <= kMaxExponentDenominator; ++d) {
        const double n = std::round(v * d);
        if (std::fabs(n) > 1e9) return std::nullopt;
        if (std::fabs(v * d - n) <= kTolerance * std::max(1.0, std::fabs(v * d)))
            return Rational(static_cast<std::int64_t>(n), d);
    }
    return std::nullopt;
}

std::string exponents_text(const Exponents& e, const UnitSystem* system) {
    Dimension d;
    std::string raw;
    for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) {
        if (std::fabs(e[i]) <= kTolerance) continue;
        const std::optional<Rational> r = as_rational(e[i]);
        if (!r) {
            raw.append(" e").append(std::to_string(i)).append("^").append(std::to_string(e[i]));
            continue;
        }
        d.set_exponent(i, *r);
    }
    if (!raw.empty()) {
        raw.front() = '[';
        raw.push_back(']');
        return raw;
    }
    return system != nullptr ? system->format(d) : d.to_string();
}

// The equations met so far in row-echelon form; each new one is reduced against them.
class Equations {
public:
    // Adds `form` = 0. False (and nothing added) if the earlier equations make it
    // unsatisfiable; then `left` is the dimension it is left with.
    bool add(Form form, Exponents& left) {
        for (const Row& r : rows_) {
            const double k = form.coefficient[r.pivot];
            if (k == 0.0) continue;
            for (std::size_t j = 0; j < form.coefficient.size(); ++j) form.coefficient[j] -= k * r.coefficient[j];
            for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) form.fixed[i] -= k * r.fixed[i];
        }
        std::size_t pivot = 0;
        double largest = 0.0;
        for (std::size_t j = 0; j < form.coefficient.size(); ++j) {
            if (std::fabs(form.coefficient[j]) > largest) {
                largest = std::fabs(form.coefficient[j]);
                pivot = j;
            }
        }
        if (largest <= kTolerance) {
            left = form.fixed;
            return std::all_of(left.begin(), left.end(), [](double e) { return std::fabs(e) <= kTolerance; });
        }
        const double p = form.coefficient[pivot];
        Form row = scaled(std::move(form), 1.0 / p);
        row.coefficient[pivot] = 1.0;
        rows_.push_back({std::move(row.coefficient), row.fixed, pivot});
        return true;
    }

    // The unknowns the equations fix (Gauss-Jordan over the rows, last first: a row has zeros
    // in the pivots of the rows before it, so each elimination keeps the later ones' zeros),
    // each with its exponents; nothing for an unknown left free.
    std::vector<std::optional<Exponents>> solved(std::size_t unknowns) const {
        std::vector<Row> rows = rows_;
        for (std::size_t r = rows.size(); r-- > 0;)
            for (std::size_t q = 0; q < rows.size(); ++q) {
                const double k = rows[q].coefficient[rows[r].pivot];
                if (q == r || k == 0.0) continue;
                for (std::size_t j = 0; j < unknowns; ++j) rows[q].coefficient[j] -= k * rows[r].coefficient[j];
                for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) rows[q].fixed[i] -= k * rows[r].fixed[i];
            }
        std::vector<std::optional<Exponents>> out(unknowns);
        for (const Row& row : rows) {
            bool alone = true;
            for (std::size_t j = 0; j < unknowns && alone; ++j)
                alone = j == row.pivot || std::fabs(row.coefficient[j]) <= kTolerance;
            if (!alone) continue;
            Exponents e{};
            for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) e[i] = -row.fixed[i];
            out[row.pivot] = e;
        }
        return out;
    }

private:
    struct Row {
        std::vector<double> coefficient;
        Exponents fixed;
        std::size_t pivot;
    };
    std::vector<Row> rows_;
};

class Inference {
public:
    Inference(std::size_t unknowns, std::span<const Dimension> variables, const UnitSystem* system)
        : unknowns_(unknowns), variables_(variables), system_(system) {}

    Form leaf(const Node& n) {
        Form f{std::vector<double>(unknowns_, 0.0), {}, std::nullopt};
        switch (n.op) {
            case Op::Var:
                if (n.index >= variables_.size())
                    throw std::invalid_argument(
                        std::string("dimensional_inconsistency: no dimension given for variable ")
                            .append(std::to_string(n.index)));
                for (std::size_t i = 0; i < kMaxBaseDimensions; ++i)
                    f.fixed[i] = variables_[n.index].exponent(i).to_double();
                break;
            case Op::Pi:
                f.value = std::numbers::pi;
                break;
            default:  // Const, Param: a number of unknown dimension
                f.coefficient[next_++] = 1.0;
                if (n.op == Op::Const) f.value = n.value;
                break;
        }
        return f;
    }

    // Requires `form` = 0 at node `node`; records the first failure under `what`.
    void require_zero(const Form& form, std::size_t node, const std::string& what) {
        if (failure_) return;
        Exponents left{};
        if (equations_.add(form, left)) return;
        std::string message = what;
        message.append(", found ").append(exponents_text(left, system_));
        failure_ = Inconsistency{node, std::move(message)};
    }

    Form dimensionless() const { return Form{std::vector<double>(unknowns_, 0.0), {}, std::nullopt}; }

    const std::optional<Inconsistency>& failure() const { return failure_; }
    std::vector<std::optional<Exponents>> solved() const { return equations_.solved(unknowns_); }

private:
    std::size_t unknowns_;
    std::size_t next_ = 0;
    std::span<const Dimension> variables_;
    const UnitSystem* system_;
    Equations equations_;
    std::optional<Inconsistency> failure_;
};

std::optional<double> folded(Op op, const std::optional<double>& a, const std::optional<double>& b) {
    if (!a || !b) return std::nullopt;
    switch (op) {
        case Op::Add:
            return *a + *b;
        case Op::Sub:
            return *a - *b;
        case Op::Mul:
            return *a * *b;
        case Op::Div:
            return *a / *b;
        default:
            return std::pow(*a, *b);
    }
}

std::optional<double> folded(Op op, const std::optional<double>& a) {
    if (!a) return std::nullopt;
    switch (op) {
        case Op::Neg:
            return -*a;
        case Op::Abs:
            return std::fabs(*a);
        case Op::Sqrt:
            return std::sqrt(*a);
        case Op::Square:
            return *a * *a;
        default:
            return std::nullopt;  // a function's value is not needed: its result is dimensionless
    }
}

Form unary(Inference& inf, Op op, Form a, std::size_t node) {
    const std::optional<double> value = folded(op, a.value);
    switch (op) {
        case Op::Neg:
        case Op::Abs:
            break;
        case Op::Sqrt:
            a = scaled(std::move(a), 0.5);
            break;
        case Op::Square:
            a = scaled(std::move(a), 2.0);
            break;
        default:
            inf.require_zero(a, node, std::string("argument of ").append(op_name(op)).append(" must be dimensionless"));
            a = inf.dimensionless();
            break;
    }
    a.value = value;
    return a;
}

Form binary(Inference& inf, Op op, const Form& a, const Form& b, std::size_t node) {
    const std::optional<double> value = folded(op, a.value, b.value);
    Form out;
    switch (op) {
        case Op::Add:
        case Op::Sub:
            inf.require_zero(combined(a, b, -1.0), node,
                             std::string("terms of ").append(op_name(op)).append(" must share a dimension"));
            out = a;
            break;
        case Op::Mul:
            out = combined(a, b, 1.0);
            break;
        case Op::Div:
            out = combined(a, b, -1.0);
            break;
        default: {  // Pow
            inf.require_zero(b, node, "exponent of ^ must be dimensionless");
            const std::optional<Rational> p = b.value ? as_rational(*b.value) : std::nullopt;
            if (p) {
                out = scaled(a, p->to_double());
            } else {
                inf.require_zero(a, node, "base of a power that is not a small rational must be dimensionless");
                out = inf.dimensionless();
            }
            break;
        }
    }
    out.value = value;
    return out;
}

// Walks e, adding every rule's equation to `inf`.
void infer(Inference& inf, const Expression& e, const std::optional<Dimension>& target, const UnitSystem* system) {
    const auto nodes = e.nodes();
    std::vector<Form> stack;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const Node& n = nodes[i];
        const auto k = static_cast<std::size_t>(arity(n.op));
        if (stack.size() < k) throw std::invalid_argument("dimensional_inconsistency: malformed postfix expression");
        if (k == 0) {
            stack.push_back(inf.leaf(n));
        } else if (k == 1) {
            stack.back() = unary(inf, n.op, std::move(stack.back()), i);
        } else {
            Form b = std::move(stack.back());
            stack.pop_back();
            stack.back() = binary(inf, n.op, stack.back(), b, i);
        }
    }
    if (stack.size() != 1) throw std::invalid_argument("dimensional_inconsistency: malformed postfix expression");
    if (target && !inf.failure()) {
        Form want = inf.dimensionless();
        for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) want.fixed[i] = target->exponent(i).to_double();
        const std::string text = system != nullptr ? system->format(*target) : target->to_string();
        inf.require_zero(combined(stack.back(), want, -1.0), nodes.size() - 1,
                         std::string("the formula cannot have the target's dimension ").append(text));
    }
}

std::size_t number_count(const Expression& e) {
    const auto nodes = e.nodes();
    return static_cast<std::size_t>(std::count_if(
        nodes.begin(), nodes.end(), [](const Node& n) { return n.op == Op::Const || n.op == Op::Param; }));
}

}  // namespace

std::optional<Inconsistency> dimensional_inconsistency(const Expression& e, std::span<const Dimension> variables,
                                                       const std::optional<Dimension>& target,
                                                       const UnitSystem* system) {
    Inference inf(number_count(e), variables, system);
    infer(inf, e, target, system);
    return inf.failure();
}

std::vector<std::optional<Dimension>> number_dimensions(const Expression& e, std::span<const Dimension> variables,
                                                        const std::optional<Dimension>& target) {
    const std::size_t n = number_count(e);
    Inference inf(n, variables, nullptr);
    infer(inf, e, target, nullptr);
    std::vector<std::optional<Dimension>> out(n);
    if (inf.failure()) return out;
    const std::vector<std::optional<Exponents>> solved = inf.solved();
    for (std::size_t j = 0; j < n; ++j) {
        if (!solved[j]) continue;
        Dimension d;
        bool exact = true;
        for (std::size_t i = 0; i < kMaxBaseDimensions && exact; ++i) {
            if (std::fabs((*solved[j])[i]) <= kTolerance) continue;
            const std::optional<Rational> r = as_rational((*solved[j])[i]);
            if (r) d.set_exponent(i, *r);
            exact = r.has_value();
        }
        if (exact) out[j] = d;
    }
    return out;
}

}  // namespace kepler
