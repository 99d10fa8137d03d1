#include "kepler/core/sympy_size.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "kepler/core/printer.hpp"

namespace kepler {

namespace {

// A SymPy number: an exact rational p/q (q > 0; an Integer when q == 1) or a Float.
struct Num {
    bool is_float = false;
    std::int64_t p = 0, q = 1;
    double f = 0.0;

    double value() const { return is_float ? f : static_cast<double>(p) / static_cast<double>(q); }
    bool is_integer() const { return !is_float && q == 1; }
    bool is(std::int64_t v) const { return !is_float && q == 1 && p == v; }
    bool is_zero() const { return is_float ? f == 0.0 : p == 0; }
};

Num floating(double v) { return {true, 0, 1, v}; }

Num rational(__int128 p, __int128 q) {
    if (q < 0) p = -p, q = -q;
    const __int128 limit = INT64_MAX;
    if (q == 0) return floating(std::nan(""));
    __int128 a = p < 0 ? -p : p, b = q;
    while (b != 0) a = std::exchange(b, a % b);  // gcd
    if (a > 1) p /= a, q /= a;
    if (p > limit || p < -limit || q > limit) return floating(static_cast<double>(p) / static_cast<double>(q));
    return {false, static_cast<std::int64_t>(p), static_cast<std::int64_t>(q), 0.0};
}

Num integer(std::int64_t v) { return {false, v, 1, 0.0}; }

Num operator+(const Num& a, const Num& b) {
    if (a.is_float || b.is_float) return floating(a.value() + b.value());
    return rational(static_cast<__int128>(a.p) * b.q + static_cast<__int128>(b.p) * a.q,
                    static_cast<__int128>(a.q) * b.q);
}

Num operator*(const Num& a, const Num& b) {
    if (a.is_float || b.is_float) return floating(a.value() * b.value());
    return rational(static_cast<__int128>(a.p) * b.p, static_cast<__int128>(a.q) * b.q);
}

// A number as SymPy reads Kepler's text for it: an Integer when the text has no '.' or 'e'.
Num from_constant(double v) {
    const std::string text = format_number(v);
    if (std::isfinite(v) && text.find_first_of(".e") == std::string::npos) return integer(static_cast<std::int64_t>(v));
    return floating(v);
}

std::string key_of(const Num& n) {
    std::string key(1, n.is_float ? 'f' : 'r');
    if (n.is_float) {
        key += format_number(n.f);
    } else {
        key += std::to_string(n.p);
        key += '/';
        key += std::to_string(n.q);
    }
    return key;
}

// A node of SymPy's tree. Mul keeps its number (if any) as args[0]; Pow is {base, exponent}.
struct S {
    enum class K { Number, Symbol, Pi, Add, Mul, Pow, Func } k = K::Number;
    Num num;
    std::uint16_t var = 0;
    Op func = Op::Exp;
    std::vector<S> args;
    std::string key;  // structural identity (sorted operands for Add and Mul)
};

S number(const Num& n) { return {S::K::Number, n, 0, Op::Exp, {}, key_of(n)}; }

S node(S::K k, std::vector<S> args, Op func = Op::Exp) {
    S s{k, {}, 0, func, std::move(args), {}};
    std::vector<std::string> keys;
    for (const S& a : s.args) keys.push_back(a.key);
    if (k == S::K::Add || k == S::K::Mul) std::sort(keys.begin(), keys.end());
    s.key = k == S::K::Add ? 'A' : k == S::K::Mul ? 'M' : k == S::K::Pow ? 'P' : 'F';
    if (k == S::K::Func) s.key += std::to_string(static_cast<int>(func));
    s.key += '(';
    for (const auto& key : keys) {
        s.key += key;
        s.key += ',';
    }
    s.key += ')';
    return s;
}

bool is_number(const S& s) { return s.k == S::K::Number; }

S mul_of(std::vector<S> factors);
S add_of(std::vector<S> terms);
S pow_of(const S& base, const S& exponent);

// An integer root n^(p/q) when it is exact (a perfect power), else nothing.
std::optional<Num> exact_root(std::int64_t n, std::int64_t p, std::int64_t q) {
    if (n <= 0) return std::nullopt;
    const auto r =
        static_cast<std::int64_t>(std::llround(std::pow(static_cast<double>(n), 1.0 / static_cast<double>(q))));
    __int128 check = 1;
    for (std::int64_t i = 0; i < q && check <= n; ++i) check *= r;
    if (check != n) return std::nullopt;
    Num out = integer(1);
    const Num factor = p >= 0 ? integer(r) : rational(1, r);
    for (std::int64_t i = 0; i < (p >= 0 ? p : -p); ++i) out = out * factor;
    return out;
}

// number ** number as SymPy evaluates it.
S number_power(const Num& b, const Num& e) {
    if (b.is_float || e.is_float) {
        if (b.value() < 0.0 && std::trunc(e.value()) != e.value()) return node(S::K::Pow, {number(b), number(e)});
        return number(floating(std::pow(b.value(), e.value())));
    }
    if (e.is_integer()) {
        if (b.is_zero() && e.p < 0) return node(S::K::Pow, {number(b), number(e)});
        Num out = integer(1);
        const Num factor = e.p >= 0 ? b : rational(b.q, b.p);
        for (std::int64_t i = 0; i < (e.p >= 0 ? e.p : -e.p) && !out.is_float; ++i) out = out * factor;
        return number(out);
    }
    if (b.q != 1) return mul_of({number_power(integer(b.p), e), number_power(integer(b.q), e * integer(-1))});
    if (b.p < 0) return node(S::K::Pow, {number(b), number(e)});
    if (auto root = exact_root(b.p, e.p, e.q)) return number(*root);
    // n**(p/q) = n**floor(p/q) * n**(p/q - floor(p/q)): 2**(-1/2) is sqrt(2)/2.
    const std::int64_t whole = e.p >= 0 ? e.p / e.q : -((-e.p + e.q - 1) / e.q);
    if (whole == 0) return node(S::K::Pow, {number(b), number(e)});
    return mul_of({number_power(b, integer(whole)), node(S::K::Pow, {number(b), number(e + integer(-whole))})});
}

S pow_of(const S& base, const S& exponent) {
    // (x**a)**e is x**(a*e) for any e when -1 < a < 1 (sqrt(x)**y is x**(y/2)).
    if (base.k == S::K::Pow && is_number(base.args[1]) && !base.args[1].num.is_zero() &&
        std::abs(base.args[1].num.value()) < 1.0)
        return pow_of(base.args[0], mul_of({base.args[1], exponent}));
    if (is_number(exponent)) {
        const Num& e = exponent.num;
        if (e.is(0)) return number(integer(1));
        if (e.is(1)) return base;
        if (is_number(base)) return base.num.is(1) ? base : number_power(base.num, e);
        if (base.k == S::K::Pow && e.is_integer()) return pow_of(base.args[0], mul_of({base.args[1], exponent}));
        if (base.k == S::K::Func && base.func == Op::Exp && e.is_integer())
            return node(S::K::Func, {mul_of({base.args[0], exponent})}, Op::Exp);
        if (base.k == S::K::Mul) {
            if (e.is_integer()) {
                std::vector<S> parts;
                for (const S& a : base.args) parts.push_back(pow_of(a, exponent));
                return mul_of(std::move(parts));
            }
            // A rational or float power splits off the product's numbers and pi.
            std::vector<S> split, rest;
            for (const S& a : base.args) {
                if (is_number(a) && a.num.is(-1)) {
                    rest.push_back(a);  // sqrt(-x) stays
                } else if (is_number(a) && a.num.value() < 0.0) {
                    split.push_back(pow_of(number(a.num * integer(-1)), exponent));
                    rest.push_back(number(integer(-1)));
                } else if (is_number(a) || a.k == S::K::Pi || (a.k == S::K::Pow && a.args[0].k == S::K::Pi)) {
                    split.push_back(pow_of(a, exponent));
                } else {
                    rest.push_back(a);
                }
            }
            if (!split.empty()) {
                split.push_back(pow_of(mul_of(std::move(rest)), exponent));
                return mul_of(std::move(split));
            }
        }
    }
    return node(S::K::Pow, {base, exponent});
}

// (number, rest) with term = number * rest (SymPy's as_coeff_Mul).
std::pair<Num, S> split_coefficient(const S& term) {
    if (term.k == S::K::Mul && is_number(term.args[0])) {
        std::vector<S> rest(term.args.begin() + 1, term.args.end());
        return {term.args[0].num, rest.size() == 1 ? rest[0] : node(S::K::Mul, std::move(rest))};
    }
    return {integer(1), term};
}

S add_of(std::vector<S> terms) {
    std::vector<S> flat;
    for (S& t : terms) {
        if (t.k == S::K::Add)
            flat.insert(flat.end(), t.args.begin(), t.args.end());
        else
            flat.push_back(std::move(t));
    }
    Num constant = integer(0);
    std::vector<std::pair<Num, S>> like;  // coefficient, rest; first-seen order
    std::map<std::string, std::size_t> index;
    for (const S& t : flat) {
        if (is_number(t)) {
            constant = constant + t.num;
            continue;
        }
        auto [c, rest] = split_coefficient(t);
        auto [it, fresh] = index.emplace(rest.key, like.size());
        if (fresh)
            like.emplace_back(c, rest);
        else
            like[it->second].first = like[it->second].first + c;
    }
    std::vector<S> out;
    if (!constant.is_zero()) out.push_back(number(constant));
    for (auto& [c, rest] : like)
        if (!c.is_zero()) out.push_back(c.is(1) ? rest : mul_of({number(c), rest}));
    if (out.empty()) return number(constant.is_float ? integer(0) : constant);
    if (out.size() == 1) return out[0];
    return node(S::K::Add, std::move(out));
}

S mul_of(std::vector<S> factors) {
    std::vector<S> flat;
    for (S& f : factors) {
        if (f.k == S::K::Mul)
            flat.insert(flat.end(), f.args.begin(), f.args.end());
        else
            flat.push_back(std::move(f));
    }
    // Powers of one base combine when their exponents differ only by a number (x*x**2 is
    // x**3, x*sqrt(x) is x**(3/2), x**y*x**(2*y) is x**(3*y)), not otherwise (y*y**x stays).
    struct Power {
        S base;
        Num exponent_coefficient;
        S exponent_rest;  // unused when the exponent is a number
        bool numeric;
    };
    Num coefficient = integer(1);
    std::vector<Power> powers;
    std::map<std::string, std::size_t> index;
    for (const S& f : flat) {
        if (is_number(f)) {
            coefficient = coefficient * f.num;
            continue;
        }
        const S& base = f.k == S::K::Pow ? f.args[0] : f;
        const S exponent = f.k == S::K::Pow ? f.args[1] : number(integer(1));
        Power power{base, integer(1), exponent, false};
        if (is_number(exponent)) {
            power.exponent_coefficient = exponent.num;
            power.numeric = true;
        } else {
            auto [c, rest] = split_coefficient(exponent);
            power.exponent_coefficient = c;
            power.exponent_rest = rest;
        }
        std::string key = base.key;
        key += '|';
        key += power.numeric ? std::string("1") : power.exponent_rest.key;
        auto [it, fresh] = index.emplace(key, powers.size());
        if (fresh)
            powers.push_back(std::move(power));
        else
            powers[it->second].exponent_coefficient =
                powers[it->second].exponent_coefficient + power.exponent_coefficient;
    }
    std::vector<S> out;
    for (const Power& power : powers) {
        const S exponent = power.numeric ? number(power.exponent_coefficient)
                                         : mul_of({number(power.exponent_coefficient), power.exponent_rest});
        S combined = is_number(exponent) && exponent.num.is(1) ? power.base : pow_of(power.base, exponent);
        if (is_number(combined)) {
            coefficient = coefficient * combined.num;
        } else if (combined.k == S::K::Mul) {  // 2**(3/2) -> 2*sqrt(2)
            for (const S& a : combined.args) {
                if (is_number(a))
                    coefficient = coefficient * a.num;
                else
                    out.push_back(a);
            }
        } else {
            out.push_back(std::move(combined));
        }
    }
    if (coefficient.is_zero()) return number(integer(0));
    if (out.empty()) return number(coefficient);
    if (coefficient.is(1)) return out.size() == 1 ? out[0] : node(S::K::Mul, std::move(out));
    if (out.size() == 1 && out[0].k == S::K::Add) {  // 2*(x + y) -> 2*x + 2*y
        std::vector<S> terms;
        for (const S& t : out[0].args) terms.push_back(mul_of({number(coefficient), t}));
        return add_of(std::move(terms));
    }
    out.insert(out.begin(), number(coefficient));
    return node(S::K::Mul, std::move(out));
}

S negate(const S& s) { return mul_of({number(integer(-1)), s}); }

// SymPy's could_extract_minus_sign: a negative number or coefficient; a sum with more such
// terms than others (SymPy breaks a tie by its sort order, which is not modelled: no sign).
bool has_minus_sign(const S& s) {
    if (is_number(s)) return s.num.value() < 0.0;
    if (s.k == S::K::Add) {
        std::size_t negative = 0;
        for (const S& a : s.args) negative += has_minus_sign(a);
        return 2 * negative > s.args.size();
    }
    return s.k == S::K::Mul && is_number(s.args[0]) && s.args[0].num.value() < 0.0;
}

std::optional<double> evaluate_function(Op f, double x) {
    double v = 0.0;
    switch (f) {
        case Op::Exp:
            v = std::exp(x);
            break;
        case Op::Log:
            v = std::log(x);
            break;
        case Op::Sin:
            v = std::sin(x);
            break;
        case Op::Cos:
            v = std::cos(x);
            break;
        case Op::Tan:
            v = std::tan(x);
            break;
        case Op::Asin:
            v = std::asin(x);
            break;
        case Op::Acos:
            v = std::acos(x);
            break;
        case Op::Atan:
            v = std::atan(x);
            break;
        case Op::Tanh:
            v = std::tanh(x);
            break;
        case Op::Abs:
            v = std::abs(x);
            break;
        default:
            return std::nullopt;
    }
    if (!std::isfinite(v)) return std::nullopt;
    return v;
}

S function_of(Op f, const S& a) {
    if (is_number(a)) {
        if (a.num.is_float)
            if (auto v = evaluate_function(f, a.num.f)) return number(floating(*v));
        if (f == Op::Abs) return number(a.num.value() < 0.0 ? a.num * integer(-1) : a.num);
        if (a.num.is(0) && f != Op::Log && f != Op::Acos) return number(integer(f == Op::Exp || f == Op::Cos ? 1 : 0));
        if (a.num.is(1) && f == Op::Log) return number(integer(0));
    }
    if (f == Op::Exp && a.k == S::K::Func && a.func == Op::Log) return a.args[0];
    if (f == Op::Exp && a.k == S::K::Mul && a.args.size() == 2 && is_number(a.args[0]) && a.args[1].k == S::K::Func &&
        a.args[1].func == Op::Log)
        return pow_of(a.args[1].args[0], a.args[0]);  // exp(2*log(x)) -> x**2
    if (has_minus_sign(a)) {
        switch (f) {
            case Op::Sin:
            case Op::Tan:
            case Op::Asin:
            case Op::Atan:
            case Op::Tanh:
                return negate(node(S::K::Func, {negate(a)}, f));
            case Op::Cos:
            case Op::Abs:
                return function_of(f, negate(a));
            default:
                break;
        }
    }
    if (f == Op::Abs && a.k == S::K::Mul && is_number(a.args[0])) {  // Abs(2*x) -> 2*Abs(x)
        std::vector<S> rest(a.args.begin() + 1, a.args.end());
        return mul_of({number(a.args[0].num), node(S::K::Func, {mul_of(std::move(rest))}, Op::Abs)});
    }
    return node(S::K::Func, {a}, f);
}

S build(const Expression& e) {
    std::vector<S> stack;
    for (const Node& n : e.nodes()) {
        const int a = arity(n.op);
        if (static_cast<int>(stack.size()) < a) throw std::invalid_argument("sympy_size: malformed expression");
        S right, left;
        if (a == 2) {
            right = std::move(stack.back());
            stack.pop_back();
        }
        if (a >= 1) {
            left = std::move(stack.back());
            stack.pop_back();
        }
        switch (n.op) {
            case Op::Var: {
                S s{S::K::Symbol, {}, n.index, Op::Exp, {}, "v"};
                s.key += std::to_string(n.index);
                stack.push_back(std::move(s));
                break;
            }
            case Op::Const:
            case Op::Param:
                stack.push_back(number(from_constant(n.value)));
                break;
            case Op::Pi:
                stack.push_back({S::K::Pi, {}, 0, Op::Exp, {}, "pi"});
                break;
            case Op::Neg:
                stack.push_back(negate(left));
                break;
            case Op::Sqrt:
                stack.push_back(pow_of(left, number(rational(1, 2))));
                break;
            case Op::Square:
                stack.push_back(pow_of(left, number(integer(2))));
                break;
            case Op::Add:
                stack.push_back(add_of({left, right}));
                break;
            case Op::Sub:
                stack.push_back(add_of({left, negate(right)}));
                break;
            case Op::Mul:
                stack.push_back(mul_of({left, right}));
                break;
            case Op::Div:
                stack.push_back(mul_of({left, pow_of(right, number(integer(-1)))}));
                break;
            case Op::Pow:
                stack.push_back(pow_of(left, right));
                break;
            default:
                stack.push_back(function_of(n.op, left));
                break;
        }
    }
    if (stack.size() != 1) throw std::invalid_argument("sympy_size: malformed expression");
    return std::move(stack.back());
}

std::size_t count(const S& s) {
    std::size_t n = 1;
    for (const S& a : s.args) n += count(a);
    return n;
}

}  // namespace

std::size_t sympy_size(const Expression& e) {
    if (e.empty() || !e.well_formed()) throw std::invalid_argument("sympy_size: malformed expression");
    return count(build(e));
}

}  // namespace kepler
