#include "kepler/units/dimension_check.hpp"

#include <charconv>
#include <cmath>
#include <numbers>
#include <optional>
#include <string_view>
#include <vector>

namespace kepler {

namespace {

// One value-stack entry: its dimension and, if the subexpression contains only Const and Pi
// nodes, the number it folds to.
struct Entry {
    Dimension dimension;
    std::optional<double> value;
};

std::optional<double> fold_unary(Op op, double a) {
    switch (op) {
        case Op::Neg:
            return -a;
        case Op::Sqrt:
            return std::sqrt(a);
        case Op::Square:
            return a * a;
        case Op::Exp:
            return std::exp(a);
        case Op::Log:
            return std::log(a);
        case Op::Sin:
            return std::sin(a);
        case Op::Cos:
            return std::cos(a);
        case Op::Tan:
            return std::tan(a);
        case Op::Asin:
            return std::asin(a);
        case Op::Acos:
            return std::acos(a);
        case Op::Atan:
            return std::atan(a);
        case Op::Tanh:
            return std::tanh(a);
        case Op::Abs:
            return std::fabs(a);
        default:
            return std::nullopt;
    }
}

std::optional<double> fold_binary(Op op, double a, double b) {
    switch (op) {
        case Op::Add:
            return a + b;
        case Op::Sub:
            return a - b;
        case Op::Mul:
            return a * b;
        case Op::Div:
            return a / b;
        case Op::Pow:
            return std::pow(a, b);
        default:
            return std::nullopt;
    }
}

// The rational with the smallest denominator <= kMaxExponentDenominator equal to v (to a
// relative 1e-9, so that 0.3333333333333333 is 1/3), or nothing.
// Concatenation by appending (g++ 12 warns falsely, -Wrestrict, on "literal" + std::string).
template <class... Parts>
std::string cat(const Parts&... parts) {
    std::string s;
    (s.append(std::string_view(parts)), ...);
    return s;
}

// Shortest text that reads back to v.
std::string number_text(double v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::optional<Rational> small_rational(double v) {
    if (!std::isfinite(v)) return std::nullopt;
    for (std::int32_t d = 1; d <= kMaxExponentDenominator; ++d) {
        const double scaled = v * d;
        const double n = std::round(scaled);
        if (std::fabs(n) > 1e9) return std::nullopt;
        // Relative tolerance; a zero exponent must be exactly zero (x^1e-12 is not x^0).
        if (std::fabs(scaled - n) <= 1e-9 * std::fabs(scaled)) {
            return Rational(static_cast<std::int64_t>(n), d);
        }
    }
    return std::nullopt;
}

class Checker {
public:
    explicit Checker(const UnitSystem* system) : system_(system) {}

    std::string text(const Dimension& d) const { return system_ != nullptr ? system_->format(d) : d.to_string(); }

    [[noreturn]] void fail(std::size_t node, const std::string& message) const { throw DimensionError(node, message); }

    void require_dimensionless(std::size_t node, Op op, const Dimension& d) const {
        if (!d.dimensionless()) {
            fail(node, cat("argument of ", op_name(op), " must be dimensionless, found ", text(d)));
        }
    }

private:
    const UnitSystem* system_;
};

}  // namespace

Dimension dimension_of(const Expression& e, std::span<const Dimension> variables, const UnitSystem* system) {
    const Checker check(system);
    std::vector<Entry> stack;
    stack.reserve(e.stack_depth());
    const auto nodes = e.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const Node& n = nodes[i];
        const int k = arity(n.op);
        if (stack.size() < static_cast<std::size_t>(k)) {
            throw std::invalid_argument("dimension_of: malformed postfix expression");
        }
        if (k == 0) {
            switch (n.op) {
                case Op::Var:
                    if (n.index >= variables.size()) {
                        throw std::invalid_argument(
                            cat("dimension_of: no dimension given for variable ", std::to_string(n.index)));
                    }
                    stack.push_back({variables[n.index], std::nullopt});
                    break;
                case Op::Const:
                    stack.push_back({Dimension{}, n.value});
                    break;
                case Op::Pi:
                    stack.push_back({Dimension{}, std::numbers::pi});
                    break;
                default:
                    stack.push_back({Dimension{}, std::nullopt});
                    break;  // Param
            }
            continue;
        }
        if (k == 1) {
            Entry& a = stack.back();
            switch (n.op) {
                case Op::Neg:
                case Op::Abs:
                    break;
                case Op::Sqrt:
                    // Halving can only make denominators larger; overflow is reported, not wrapped.
                    try {
                        a.dimension = a.dimension.pow(Rational(1, 2));
                    } catch (const std::overflow_error&) {
                        check.fail(i, cat("exponent overflow in sqrt of ", check.text(a.dimension)));
                    }
                    break;
                case Op::Square:
                    try {
                        a.dimension = a.dimension.pow(Rational(2));
                    } catch (const std::overflow_error&) {
                        check.fail(i, cat("exponent overflow in square of ", check.text(a.dimension)));
                    }
                    break;
                default:
                    check.require_dimensionless(i, n.op, a.dimension);
                    break;
            }
            a.value = a.value ? fold_unary(n.op, *a.value) : std::nullopt;
            continue;
        }
        Entry b = stack.back();
        stack.pop_back();
        Entry& a = stack.back();
        switch (n.op) {
            case Op::Add:
                if (!(a.dimension == b.dimension)) {
                    check.fail(i, cat("cannot add ", check.text(b.dimension), " to ", check.text(a.dimension)));
                }
                break;
            case Op::Sub:
                if (!(a.dimension == b.dimension)) {
                    check.fail(i, cat("cannot subtract ", check.text(b.dimension), " from ", check.text(a.dimension)));
                }
                break;
            case Op::Mul:
            case Op::Div:
                try {
                    a.dimension = n.op == Op::Mul ? a.dimension * b.dimension : a.dimension / b.dimension;
                } catch (const std::overflow_error&) {
                    check.fail(i, cat("exponent overflow in ", check.text(a.dimension), n.op == Op::Mul ? " * " : " / ",
                                      check.text(b.dimension)));
                }
                break;
            case Op::Pow: {
                if (!b.dimension.dimensionless()) {
                    check.fail(i, cat("exponent of ^ must be dimensionless, found ", check.text(b.dimension)));
                }
                if (a.dimension.dimensionless()) break;
                if (!b.value) {
                    check.fail(i, cat("cannot raise ", check.text(a.dimension), " to a non-constant power"));
                }
                const std::optional<Rational> p = small_rational(*b.value);
                if (!p) {
                    check.fail(i, cat("cannot raise ", check.text(a.dimension), " to the power ", number_text(*b.value),
                                      ": a dimensional base needs a rational exponent with denominator <= ",
                                      std::to_string(kMaxExponentDenominator)));
                }
                try {
                    a.dimension = a.dimension.pow(*p);
                } catch (const std::overflow_error&) {
                    check.fail(i, cat("exponent overflow in ", check.text(a.dimension), "^", p->to_string()));
                }
                break;
            }
            default:
                throw std::invalid_argument("dimension_of: unknown operator");
        }
        a.value = (a.value && b.value) ? fold_binary(n.op, *a.value, *b.value) : std::nullopt;
    }
    if (stack.size() != 1) throw std::invalid_argument("dimension_of: malformed postfix expression");
    return stack.back().dimension;
}

}  // namespace kepler
