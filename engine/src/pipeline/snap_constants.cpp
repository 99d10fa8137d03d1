#include "kepler/pipeline/snap_constants.hpp"
#include "kepler/fitting/exact_fit.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "kepler/core/evaluator.hpp"

namespace kepler {

namespace {

// Forms further than this (relative) from the constant are not tried: a tidied constant is
// within ~sqrt(2 * tolerance) * rmse / rms(y) of the best value, so no form this far fits as
// well unless the formula hardly fits at all (and then many forms would, see kSameValue).
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

// (p/q) * pi^a (a != 0) as a subtree that simplify() prints in a product as a physicist
// would: 2*pi, 1/(4*pi), 4*pi^2/3. `symbol` stands for a second factor C^b (b = +-1) when
// given (used only to price physical forms: a named constant costs like pi).
Expression closed_form(const Fraction& k, int a, const Expression* symbol, int b) {
    Expression numerator;
    Expression denominator;
    auto times = [](Expression& acc, const Expression& f) {
        acc = acc.empty() ? f : Expression::binary(Op::Mul, acc, f);
    };
    if (k.p != 1) times(numerator, Expression::constant(static_cast<double>(k.p)));
    if (k.q != 1) times(denominator, Expression::constant(static_cast<double>(k.q)));
    if (a > 0) times(numerator, pi_power(a));
    if (a < 0) times(denominator, pi_power(-a));
    if (symbol && b > 0) times(numerator, *symbol);
    if (symbol && b < 0) times(denominator, *symbol);
    if (numerator.empty()) numerator = Expression::constant(1.0);
    if (denominator.empty()) return numerator;
    return Expression::binary(Op::Div, numerator, denominator);
}

// The text of k * pi^a * C^b, e.g. "1/(4*pi*eps0)".
std::string form_text(const Fraction& k, int a, const std::string& symbol, int b) {
    std::vector<std::string> up, down;
    if (k.p != 1 && k.p != -1) up.push_back(std::to_string(k.p < 0 ? -k.p : k.p));
    if (k.q != 1) down.push_back(std::to_string(k.q));
    const std::string pi = std::abs(a) == 2 ? "pi^2" : "pi";
    if (a > 0) up.push_back(pi);
    if (a < 0) down.push_back(pi);
    if (!symbol.empty() && b > 0) up.push_back(symbol);
    if (!symbol.empty() && b < 0) down.push_back(symbol);
    auto join = [](const std::vector<std::string>& parts) {
        std::string s;
        for (const auto& part : parts) {
            if (!s.empty()) s += "*";
            s += part;
        }
        return s;
    };
    std::string text = k.p < 0 ? "-" : "";
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
    Expression replacement;
    double value = 0.0;
    double bits = 0.0;
    std::string form;
    bool physical = false;
};

}  // namespace

SnapResult snap_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                          const Eigen::Ref<const Eigen::VectorXd>& y, const ComplexityModel& model,
                          const SnapConstantsOptions& options) {
    SnapResult result{e, {}};
    if (e.empty() || y.size() == 0) return result;
    Evaluator evaluate;
    Eigen::VectorXd prediction(y.size());
    auto rmse = [&](const Expression& candidate) {
        evaluate.evaluate(candidate, X, prediction);
        // At any magnitude (fitting/magnitude.hpp): no underflow for a table near 1e-300.
        const double r = root_mean_square(prediction - y);
        return std::isfinite(r) ? r : INFINITY;
    };
    const double floor = 1e-12 * root_mean_square(y);
    const double allowed = rmse(e) * (1.0 + options.tolerance) + floor;
    if (!std::isfinite(allowed)) return result;
    const Expression pi_symbol = pi_power(1);

    // Right to left, so that replacing a node by a subtree leaves the positions still to be
    // visited unchanged.
    for (std::size_t i = e.size(); i-- > 0;) {
        const Node node = result.expression.nodes()[i];
        if (node.op != Op::Const) continue;
        const double c = node.value;
        if (c == 0.0 || !std::isfinite(c)) continue;
        const double real_bits = model.constant_bits(c);
        if (real_bits < ComplexityModel::kRealConstantBits) continue;  // already simple

        std::vector<Option> choices;
        auto near = [&](double v) { return std::abs(v - c) <= kNearness * std::abs(c); };
        for (int a : {1, 2, -1, -2}) {
            const double unit = std::pow(std::numbers::pi, a);
            for (const Fraction& k : rationals_near(c / unit, options.max_denominator)) {
                const double v = k.value() * unit;
                if (!near(v)) continue;
                Expression form = closed_form(k, a, nullptr, 0);
                const double bits = model.bits(form);
                choices.push_back({form, v, bits, form_text(k, a, "", 0), false});
            }
        }
        for (const PhysicalConstant& constant : options.physical_constants) {
            const double s = constant.value.scale;
            if (!(s > 0.0) || !std::isfinite(s)) continue;
            for (int b : {1, -1}) {
                for (int a = -2; a <= 2; ++a) {
                    const double unit = std::pow(std::numbers::pi, a) * (b > 0 ? s : 1.0 / s);
                    if (!std::isfinite(unit) || unit == 0.0) continue;
                    for (const Fraction& k : rationals_near(c / unit, options.max_denominator)) {
                        const double v = k.value() * unit;
                        if (!near(v) || !std::isfinite(v) || std::abs(k.p) > kMaxPhysicalNumerator) continue;
                        const double bits = model.bits(closed_form(k, a, &pi_symbol, b));
                        choices.push_back(
                            {Expression::constant(v), v, bits, form_text(k, a, constant.symbol, b), true});
                    }
                }
            }
        }
        // A pi form must be simpler than the real it replaces. A physical form is one real
        // number either way; its bits only bound how elaborate a form may be tried (k = p/q
        // with a huge p matches any value to 1e-12).
        std::erase_if(choices,
                      [&](const Option& o) { return !(o.bits < real_bits + (o.physical ? kPhysicalAllowance : 0.0)); });
        // Fewest bits first; then the nearest value; then pi forms before physical constants.
        std::stable_sort(choices.begin(), choices.end(), [&](const Option& x, const Option& z) {
            if (x.bits != z.bits) return x.bits < z.bits;
            const double dx = std::abs(x.value - c), dz = std::abs(z.value - c);
            if (dx != dz) return dx < dz;
            return !x.physical && z.physical;
        });
        // The cheapest form that fits as well is taken, unless another one that passes has a
        // different value and costs less than kAmbiguityBits more: then the data cannot tell
        // which it is. Forms of the same value (hbar and h/(2*pi)) do not count.
        const Option* chosen = nullptr;
        Expression chosen_expression;
        bool ambiguous = false;
        for (const Option& o : choices) {
            if (chosen && o.bits >= chosen->bits + kAmbiguityBits) break;
            if (chosen && std::abs(o.value - chosen->value) <= kSameValue * std::abs(chosen->value)) continue;
            std::vector<Node> nodes(result.expression.nodes().begin(),
                                    result.expression.nodes().begin() + static_cast<std::ptrdiff_t>(i));
            nodes.insert(nodes.end(), o.replacement.nodes().begin(), o.replacement.nodes().end());
            nodes.insert(nodes.end(), result.expression.nodes().begin() + static_cast<std::ptrdiff_t>(i) + 1,
                         result.expression.nodes().end());
            Expression candidate(std::move(nodes));
            if (!(rmse(candidate) <= allowed)) continue;
            if (chosen) {
                ambiguous = true;
                break;
            }
            chosen = &o;
            chosen_expression = std::move(candidate);
        }
        if (chosen && !ambiguous) {
            result.expression = std::move(chosen_expression);
            result.snapped.insert(result.snapped.begin(),
                                  SnappedConstant{c, chosen->value, chosen->form, chosen->physical});
        }
    }
    return result;
}

}  // namespace kepler
