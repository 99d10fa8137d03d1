#include "kepler/pipeline/simple_values.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace kepler {

namespace {

// |p| at most this: with a huge numerator p/q matches any value.
constexpr double kMaxNumerator = 1000.0;

// The irrational part of a simple value: pi^a (a = +-1, +-2), or sqrt(2*pi)^a (a = +-1, the
// Gaussian's normalisation, with p = q = 1 only), or none.
struct Irrational {
    int a = 0;
    bool root_two_pi = false;
    double value() const {
        return root_two_pi ? std::pow(2.0 * std::numbers::pi, 0.5 * a) : std::pow(std::numbers::pi, a);
    }
};

// p/q * pi^a (or sqrt(2*pi)^a) as a subtree: the number p (left out when 1), times the
// irrational part when a > 0, over q times it when a < 0.
Expression written(long long p, long long q, Irrational kind) {
    const int a = kind.a;
    const Expression pi(std::vector<Node>{Node{Op::Pi, 0, 0.0}});
    const Expression pi_power =
        kind.root_two_pi   ? Expression::unary(Op::Sqrt, Expression::binary(Op::Mul, Expression::constant(2.0), pi))
        : std::abs(a) == 1 ? pi
                           : Expression::binary(Op::Pow, pi, Expression::constant(static_cast<double>(std::abs(a))));
    Expression top = Expression::constant(static_cast<double>(p));
    if (a > 0) top = p == 1 ? pi_power : Expression::binary(Op::Mul, top, pi_power);
    Expression bottom;
    if (q != 1) bottom = Expression::constant(static_cast<double>(q));
    if (a < 0) bottom = bottom.empty() ? pi_power : Expression::binary(Op::Mul, bottom, pi_power);
    return bottom.empty() ? top : Expression::binary(Op::Div, top, bottom);
}

// q = 2^i 5^j: p/q is a terminating decimal.
bool decimal_denominator(long long q) {
    while (q % 2 == 0) q /= 2;
    while (q % 5 == 0) q /= 5;
    return q == 1;
}

}  // namespace

std::vector<SimpleValue> simple_values_between(double lo, double hi, const ComplexityModel& model, int max_denominator,
                                               int per_kind) {
    std::vector<SimpleValue> out;
    if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) return out;
    const double middle = 0.5 * (lo + hi);
    for (Irrational kind : {Irrational{0}, Irrational{1}, Irrational{-1}, Irrational{2}, Irrational{-2},
                            Irrational{1, true}, Irrational{-1, true}}) {
        const int a = kind.a;
        const double unit = kind.value();
        for (long long q = 1; q <= max_denominator; ++q) {
            if (a == 0 && q > 4 && decimal_denominator(q)) continue;  // 13/10 is 1.3: tidy's business
            const double scale = static_cast<double>(q) / unit;
            const double first = std::ceil(lo * scale), last = std::floor(hi * scale);
            if (last < first || std::max(std::abs(first), std::abs(last)) > kMaxNumerator) continue;
            // The per_kind numerators nearest the middle.
            const double centre = std::round(middle * scale);
            std::vector<long long> ps;
            const auto wanted = static_cast<std::size_t>(per_kind);
            auto take = [&](double p) {
                if (p >= first && p <= last && ps.size() < wanted) ps.push_back(static_cast<long long>(p));
            };
            take(centre);
            for (double d = 1; ps.size() < wanted && d <= last - first + 1; ++d) {
                take(centre - d);
                take(centre + d);
            }
            for (long long p : ps) {
                if (std::gcd(p < 0 ? -p : p, q) != 1 && !(p == 0 && q == 1)) continue;
                if (p == 0 && a != 0) continue;
                // sqrt(2*pi) only as the Gaussian writes it: more multiples of it would only
                // give noisy data a second closed form near each pi form (2/(5*sqrt(2*pi)) near
                // 1/(2*pi)).
                if (kind.root_two_pi && (p != 1 || q != 1)) continue;
                Expression form = written(p, q, kind);
                const double bits = model.bits(form);
                out.push_back({static_cast<double>(p) / scale, std::move(form), bits, p, q, a, kind.root_two_pi});
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [&](const SimpleValue& x, const SimpleValue& z) {
        if (x.bits != z.bits) return x.bits < z.bits;
        return std::abs(x.value - middle) < std::abs(z.value - middle);
    });
    return out;
}

}  // namespace kepler
