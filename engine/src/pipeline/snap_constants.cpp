#include "kepler/pipeline/snap_constants.hpp"
#include "kepler/fitting/exact_fit.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/fitting/constant_uncertainty.hpp"
#include "kepler/fitting/snap_evidence.hpp"
#include "kepler/pipeline/tidy_constants.hpp"

namespace kepler {

namespace {

// Forms further than this (relative) from the constant are not tried: 0.2 % is ~10 standard
// errors of a scale fitted on 1,000 rows at 1 % noise, so no form this far passes the rule
// unless the formula hardly fits at all (and then many forms would, see kSameValue).
constexpr double kNearness = 2e-3;
// A physical form (written with its constant priced like pi) may cost this many bits more
// than a real: 1/(4*pi*eps0) costs ~23 bits.
constexpr double kPhysicalAllowance = 8.0;
// Forms whose values agree to this (relative) are one value written two ways.
constexpr double kSameValue = 1e-9;
// The cheapest form that passes is taken only if every passing form of another value costs
// at least this many bits more (odds of 256 to 1 with equal fits).
constexpr double kAmbiguityBits = 8.0;
// k = p/q with |p| at most this: a k with a huge numerator would match any value to 1e-12.
constexpr double kMaxNumerator = 1000.0;
// A physical form's k = p/q keeps |p| at most this: physics writes R/2, 3*kb/2, hbar/(4*pi),
// not 318*alpha/7, and with hundreds of constants, powers of pi and large numerators some form
// lies within a noisy constant's error bar by chance (a fitted resistance 0.3315 ohm "was"
// 318*alpha/7 before this bound).
constexpr long long kMaxPhysicalNumerator = 12;
// The powers b of a physical constant tried, in halves: C^(+-1/2), C^(+-1), C^(+-3/2), C^(+-2).
constexpr int kHalfPowers[] = {2, -2, 1, -1, 4, -4, 3, -3};
// A physical form's multiplier may be a decimal of this many significant digits (0.05*R).
constexpr int kDecimalDigits = 3;
// ... of ordinary size: an amount, a count or a ratio a rig holds fixed (0.05, 250), not a
// number that undoes the constant's magnitude (5.74e-24/k_B).
constexpr double kDecimalLow = 1e-3;
constexpr double kDecimalHigh = 1e3;

struct Fraction {
    long long p = 0;
    long long q = 1;
    double value() const { return static_cast<double>(p) / static_cast<double>(q); }
};

// For q = 1..max_denominator the nearest nonzero p/q to v with |p| <= kMaxNumerator, in lowest
// terms, each once.
std::vector<Fraction> rationals_near(double v, int max_denominator) {
    std::vector<Fraction> out;
    if (!std::isfinite(v) || std::abs(v) > kMaxNumerator) return out;
    for (long long q = 1; q <= max_denominator; ++q) {
        const double pd = std::round(v * static_cast<double>(q));
        if (pd == 0.0 || std::abs(pd) > kMaxNumerator) continue;
        const auto p = static_cast<long long>(pd);
        const long long g = std::gcd(p < 0 ? -p : p, q);
        const Fraction r{p / g, q / g};
        if (std::none_of(out.begin(), out.end(), [&](const Fraction& o) { return o.p == r.p && o.q == r.q; }))
            out.push_back(r);
    }
    return out;
}

Expression pi_power(int exponent) {
    Expression pi(std::vector<Node>{Node{Op::Pi, 0, 0.0}});
    if (exponent == 1) return pi;
    return Expression::binary(Op::Pow, pi, Expression::constant(static_cast<double>(exponent)));
}

// A physical form's multiplier: a simple rational p/q, or a short decimal (0.05) written as
// one number so that the law prints 0.05*R rather than R/20.
struct Multiplier {
    Fraction fraction;
    double decimal = 0.0;  // nonzero: the multiplier is this number
    double value() const { return decimal != 0.0 ? decimal : fraction.value(); }
};

// base^b for b = n/2 (b > 0): base, sqrt(base), base^2, base^(3/2).
Expression power_of(const Expression& base, Rational b) {
    if (b == Rational(1)) return base;
    if (b == Rational(1, 2)) return Expression::unary(Op::Sqrt, base);
    Expression exponent = b.is_integer()
                              ? Expression::constant(static_cast<double>(b.num()))
                              : Expression::binary(Op::Div, Expression::constant(static_cast<double>(b.num())),
                                                   Expression::constant(static_cast<double>(b.den())));
    return Expression::binary(Op::Pow, base, exponent);
}

// k * pi^a * C^b (a != 0 or C given) as a subtree that simplify() prints in a product as a
// physicist would: 2*pi, 1/(4*pi), 4*pi^2/3, 2*pi/sqrt(g_n). `symbol` stands for C: the
// variable that names it, or pi to price the form (a named constant costs like pi).
Expression closed_form(const Multiplier& k, int a, const Expression* symbol, Rational b) {
    Expression numerator;
    Expression denominator;
    auto times = [](Expression& acc, const Expression& f) {
        acc = acc.empty() ? f : Expression::binary(Op::Mul, acc, f);
    };
    if (k.decimal != 0.0) {
        times(numerator, Expression::constant(k.decimal));
    } else {
        if (k.fraction.p != 1) times(numerator, Expression::constant(static_cast<double>(k.fraction.p)));
        if (k.fraction.q != 1) times(denominator, Expression::constant(static_cast<double>(k.fraction.q)));
    }
    if (a > 0) times(numerator, pi_power(a));
    if (a < 0) times(denominator, pi_power(-a));
    if (symbol && b.num() > 0) times(numerator, power_of(*symbol, b));
    if (symbol && b.num() < 0) times(denominator, power_of(*symbol, -b));
    if (numerator.empty()) numerator = Expression::constant(1.0);
    if (denominator.empty()) return numerator;
    return Expression::binary(Op::Div, numerator, denominator);
}

// symbol^b as text, b > 0: "c", "sqrt(g_n)", "c^2", "G^(3/2)".
std::string power_text(const std::string& symbol, Rational b) {
    if (b == Rational(1)) return symbol;
    if (b == Rational(1, 2)) return "sqrt(" + symbol + ")";
    if (b.is_integer()) return symbol + "^" + std::to_string(b.num());
    return symbol + "^(" + std::to_string(b.num()) + "/" + std::to_string(b.den()) + ")";
}

// The text of k * pi^a * C^b, e.g. "1/(4*pi*eps0)", "2*pi/sqrt(g_n)", "0.05*R".
std::string form_text(const Multiplier& k, int a, const std::string& symbol, Rational b) {
    std::vector<std::string> up, down;
    const bool negative = k.value() < 0.0;
    if (k.decimal != 0.0) {
        up.push_back(format_number(std::abs(k.decimal)));
    } else {
        if (k.fraction.p != 1 && k.fraction.p != -1) up.push_back(std::to_string(std::abs(k.fraction.p)));
        if (k.fraction.q != 1) down.push_back(std::to_string(k.fraction.q));
    }
    const std::string pi = std::abs(a) == 2 ? "pi^2" : "pi";
    if (a > 0) up.push_back(pi);
    if (a < 0) down.push_back(pi);
    if (!symbol.empty() && b.num() > 0) up.push_back(power_text(symbol, b));
    if (!symbol.empty() && b.num() < 0) down.push_back(power_text(symbol, -b));
    auto join = [](const std::vector<std::string>& parts) {
        std::string s;
        for (const auto& part : parts) {
            if (!s.empty()) s += "*";
            s += part;
        }
        return s;
    };
    std::string text = negative ? "-" : "";
    text += up.empty() ? std::string("1") : join(up);
    if (down.size() == 1) {
        text += "/";
        text += down[0];
    } else if (down.size() > 1) {
        text += "/(";
        text += join(down);
        text += ")";
    }
    return text;
}

struct Option {
    Expression replacement;  // the closed form as a number (physical) or a pi subtree
    Expression named;        // the closed form with the constant as its variable
    double value = 0.0;
    double bits = 0.0;
    std::string form;
    SnappedConstant structure;  // physical forms: k, pi_power, constant, power
};

// `base` with the node at `i` replaced by `sub`.
Expression spliced(const Expression& base, std::size_t i, const Expression& sub) {
    const auto at = base.nodes().begin() + static_cast<std::ptrdiff_t>(i);
    std::vector<Node> nodes(base.nodes().begin(), at);
    nodes.insert(nodes.end(), sub.nodes().begin(), sub.nodes().end());
    nodes.insert(nodes.end(), at + 1, base.nodes().end());
    return Expression(std::move(nodes));
}

// The multipliers tried for a physical form with value c / unit: simple rationals (|p| <= 12)
// and, where `decimals`, the value rounded to 3 significant digits (0.05, 0.125, 250).
std::vector<Multiplier> multipliers_near(double v, int max_denominator, bool decimals) {
    std::vector<Multiplier> out;
    for (const Fraction& k : rationals_near(v, max_denominator))
        if (std::abs(k.p) <= kMaxPhysicalNumerator) out.push_back({k, 0.0});
    if (!decimals || !std::isfinite(v) || v == 0.0) return out;
    const double d = round_significant(v, kDecimalDigits);
    const bool known = std::any_of(out.begin(), out.end(), [&](const Multiplier& m) {
        return std::abs(m.value() - d) <= kSameValue * std::abs(d);
    });
    const double magnitude = std::abs(d);
    if (!known && magnitude >= kDecimalLow && magnitude <= kDecimalHigh) out.push_back({Fraction{}, d});
    return out;
}

// Every pi form near c: k*pi^a with k = p/q.
void pi_options(double c, int max_denominator, const ComplexityModel& model, std::vector<Option>& out) {
    for (int a : {1, 2, -1, -2}) {
        const double unit = std::pow(std::numbers::pi, a);
        for (const Fraction& f : rationals_near(c / unit, max_denominator)) {
            const double v = f.value() * unit;
            if (std::abs(v - c) > kNearness * std::abs(c)) continue;
            const Multiplier k{f, 0.0};
            Expression form = closed_form(k, a, nullptr, Rational(1));
            const double bits = model.bits(form);
            out.push_back({form, form, v, bits, form_text(k, a, "", Rational(1)), {}});
        }
    }
}

// Every physical form near c: k*pi^a*C^b for each constant C of the options.
void physical_options(double c, const SnapConstantsOptions& options, const ComplexityModel& model,
                      std::vector<Option>& out) {
    const Expression pi_symbol = pi_power(1);
    for (std::size_t j = 0; j < options.physical_constants.size(); ++j) {
        const PhysicalConstant& constant = options.physical_constants[j];
        const double s = constant.value.scale;
        if (!(s > 0.0) || !std::isfinite(s)) continue;
        const bool dimensionless = constant.value.dimension.dimensionless();
        const Expression variable =
            Expression::variable(static_cast<std::uint16_t>(options.first_constant_variable + j));
        for (int half : kHalfPowers) {
            const Rational b(half, 2);
            if (dimensionless && b != Rational(1) && b != Rational(-1)) continue;
            const double cb = std::pow(s, static_cast<double>(half) / 2.0);
            for (int a = -2; a <= 2; ++a) {
                const double unit = std::pow(std::numbers::pi, a) * cb;
                if (!std::isfinite(unit) || unit == 0.0) continue;
                const bool decimals = a == 0 && std::abs(half) == 2 && !dimensionless;
                for (const Multiplier& k : multipliers_near(c / unit, options.max_denominator, decimals)) {
                    const double v = k.value() * unit;
                    if (!std::isfinite(v) || std::abs(v - c) > kNearness * std::abs(c)) continue;
                    const double bits = model.bits(closed_form(k, a, &pi_symbol, b));
                    SnappedConstant structure{c, v, form_text(k, a, constant.symbol, b), true, k.value(), a, j, b};
                    out.push_back({Expression::constant(v), closed_form(k, a, &variable, b), v, bits, structure.form,
                                   std::move(structure)});
                }
            }
        }
    }
}

}  // namespace

SnapResult snap_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                          const Eigen::Ref<const Eigen::VectorXd>& y, const ComplexityModel& model,
                          const SnapConstantsOptions& options) {
    SnapResult result{e, e, {}};
    if (e.empty() || y.size() == 0) return result;
    Evaluator evaluate;
    Eigen::VectorXd prediction(y.size());
    auto rmse = [&](const Expression& candidate) {
        evaluate.evaluate(candidate, X, prediction);
        // At any magnitude (fitting/magnitude.hpp): no underflow for a table near 1e-300.
        const double r = root_mean_square(prediction - y);
        return std::isfinite(r) ? r : INFINITY;
    };
    const double rms_y = root_mean_square(y);
    const double rmse_e = rmse(e);
    if (!std::isfinite(rmse_e) || !std::isfinite(rms_y)) return result;
    // The acceptance rule, the snapping rule of snap_by_evidence (fitting/snap_evidence.hpp):
    // one constant fixed, the others not refitted (which only makes the rule stricter).
    const SnapEvidence evidence(rmse_e, y.size(), static_cast<Eigen::Index>(free_constant_nodes(e).size()), rms_y,
                                options.noise_sd);

    // Right to left, so that replacing a node by a subtree leaves the positions still to be
    // visited unchanged (in both the numeric and the named expression).
    for (std::size_t i = e.size(); i-- > 0;) {
        const Node node = result.expression.nodes()[i];
        if (node.op != Op::Const) continue;
        // An exponent stays a plain number, never a pi or physical form: x^(21/pi) is no law's
        // form, and with a dimensioned base it leaves units behind (h^(21/pi) for a fitted 6.68,
        // Feynman III.19.51 at 10 % noise, seed 3). In postfix the node just before a binary
        // operator is its right operand; node i is still e's node i.
        if (i + 1 < e.size() && e.nodes()[i + 1].op == Op::Pow) continue;
        const double c = node.value;
        if (c == 0.0 || !std::isfinite(c)) continue;
        // constant_bits prices a number this close to 0 (1.1e-17, which is 1/c^2) like the
        // integer 0; no simple rational is that small.
        const bool tiny = std::abs(c) <= 1e-9;
        const double real_bits = tiny ? ComplexityModel::kRealConstantBits : model.constant_bits(c);
        if (real_bits < ComplexityModel::kRealConstantBits) continue;  // already simple

        std::vector<Option> choices;
        pi_options(c, options.max_denominator, model, choices);
        physical_options(c, options, model, choices);
        // A pi form must be simpler than the real it replaces. A physical form is one real
        // number either way; its bits only bound how elaborate a form may be tried (k = p/q
        // with a huge p matches any value to 1e-12).
        std::erase_if(choices, [&](const Option& o) {
            return !(o.bits < real_bits + (o.structure.physical ? kPhysicalAllowance : 0.0));
        });
        // Fewest bits first; then the nearest value; then pi forms before physical constants.
        std::stable_sort(choices.begin(), choices.end(), [&](const Option& x, const Option& z) {
            if (x.bits != z.bits) return x.bits < z.bits;
            const double dx = std::abs(x.value - c), dz = std::abs(z.value - c);
            if (dx != dz) return dx < dz;
            return !x.structure.physical && z.structure.physical;
        });
        // The cheapest form that fits as well is taken, unless another one that passes has a
        // different value and costs less than kAmbiguityBits more: then the data cannot tell
        // which it is. Forms of the same value (hbar and h/(2*pi)) do not count; nor do forms
        // the caller's check refuses.
        const Option* chosen = nullptr;
        Expression chosen_expression, chosen_named;
        bool ambiguous = false;
        for (const Option& o : choices) {
            if (chosen && o.bits >= chosen->bits + kAmbiguityBits) break;
            if (chosen && std::abs(o.value - chosen->value) <= kSameValue * std::abs(chosen->value)) continue;
            Expression named = spliced(result.named, i, o.named);
            if (o.structure.physical && options.admissible && !options.admissible(named)) continue;
            Expression candidate = spliced(result.expression, i, o.replacement);
            if (!evidence.accepts(rmse(candidate), 1)) continue;
            if (chosen) {
                ambiguous = true;
                break;
            }
            chosen = &o;
            chosen_expression = std::move(candidate);
            chosen_named = std::move(named);
        }
        if (chosen && !ambiguous) {
            result.expression = std::move(chosen_expression);
            result.named = std::move(chosen_named);
            SnappedConstant snapped = chosen->structure;
            snapped.original = c;
            snapped.value = chosen->value;
            snapped.form = chosen->form;
            result.snapped.insert(result.snapped.begin(), std::move(snapped));
        }
    }
    return result;
}

}  // namespace kepler
