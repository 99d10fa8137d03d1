#include "normal_form.hpp"
#include "kepler/core/hashing.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

namespace kepler::detail {

double round_significant_digits(double v, int digits) {
    if (!std::isfinite(v) || v == 0.0) return v;
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::scientific, digits - 1);
    if (ec != std::errc()) return v;
    double r = v;
    std::from_chars(buffer, end, r);
    return r;
}

double snap_decimal(double v) {
    if (!std::isfinite(v) || v == 0.0) return v;
    const double tolerance = 4.0 * std::numeric_limits<double>::epsilon() * std::abs(v);
    for (int digits = 1; digits <= 12; ++digits) {
        double r = round_significant_digits(v, digits);
        if (std::abs(r - v) <= tolerance) return r;
    }
    return v;
}

namespace {

// ---- exact rational exponents ----

constexpr std::int64_t kMaxDen = 100;
constexpr std::int64_t kMaxNum = std::int64_t{1} << 20;

struct Rat {
    std::int64_t p = 0, q = 1;  // lowest terms, q > 0
    double value() const { return static_cast<double>(p) / static_cast<double>(q); }
    bool is_integer() const { return q == 1; }
    friend bool operator==(Rat, Rat) = default;
};

constexpr Rat kOne{1, 1};
constexpr Rat kHalf{1, 2};
// Textbook form: a coefficient is taken out of a sum only when every other one is an integer
// multiple of it up to this (3*x + 6*y = 3*(x + 2*y)).
constexpr double kMaxCommonMultiple = 1000.0;

// p/q (q <= 12, |p| <= 1000) as a double when v is within 1e-12 (relative) of it, else nothing.
std::optional<double> simple_fraction(double v) {
    if (!std::isfinite(v)) return std::nullopt;
    for (int q = 1; q <= 12; ++q) {
        const double p = std::nearbyint(v * q);
        if (std::abs(p) <= 1000.0 && std::abs(v * q - p) <= 1e-12 * std::abs(v * q)) return p / q;
    }
    return std::nullopt;
}

// Lowest terms; nothing when the result leaves the bounds (|p| <= 2^20, q <= 100), so that
// arithmetic never overflows and every exponent reads back from its double (rat_from_double).
std::optional<Rat> make_rat(std::int64_t p, std::int64_t q) {
    if (q < 0) {
        p = -p;
        q = -q;
    }
    std::int64_t g = std::gcd(p < 0 ? -p : p, q);
    if (g > 1) {
        p /= g;
        q /= g;
    }
    if (q > kMaxDen || p > kMaxNum || p < -kMaxNum) return std::nullopt;
    return Rat{p, q};
}

std::optional<Rat> operator+(Rat a, Rat b) { return make_rat(a.p * b.q + b.p * a.q, a.q * b.q); }
std::optional<Rat> operator*(Rat a, Rat b) { return make_rat(a.p * b.p, a.q * b.q); }

// p/q with the smallest q <= 100 whose quotient is exactly `v` (in double arithmetic), or,
// with `rounded`, whose quotient rounded to 12 significant digits is `v`.
std::optional<Rat> rat_from_double(double v, bool rounded) {
    if (!std::isfinite(v) || std::abs(v) > static_cast<double>(kMaxNum)) return std::nullopt;
    for (std::int64_t q = 1; q <= kMaxDen; ++q) {
        double n = std::nearbyint(v * static_cast<double>(q));
        if (std::abs(n) > static_cast<double>(kMaxNum)) return std::nullopt;
        double quotient = n / static_cast<double>(q);
        if (rounded) quotient = round_significant_digits(quotient, 12);
        if (quotient == v) return make_rat(static_cast<std::int64_t>(n), q);
    }
    return std::nullopt;
}

int compare_rat(Rat a, Rat b) {
    std::int64_t l = a.p * b.q, r = b.p * a.q;
    return l < r ? -1 : (l > r ? 1 : 0);
}

// ---- numeric coefficients ----

// num/den, kept apart so that the quotient is computed once (8.314/0.001, not via 1/0.001)
// and so that x/2 can be printed as a division. `weight` counts the non-unit numbers that went
// in (saturating at 2): from 2 on, the value is the result of arithmetic and is snapped.
struct Coef {
    double num = 1.0, den = 1.0;
    int weight = 0;
};

Coef number_coef(double v, bool computed) { return {v, 1.0, computed ? 2 : (std::abs(v) == 1.0 ? 0 : 1)}; }
Coef times(Coef a, Coef b) { return {a.num * b.num, a.den * b.den, std::min(2, a.weight + b.weight)}; }
Coef inverse(Coef a) { return {a.den, a.num, a.weight}; }
Coef power(Coef a, std::int64_t k) {
    if (k < 0) {
        a = inverse(a);
        k = -k;
    }
    double kd = static_cast<double>(k);
    return {std::pow(a.num, kd), std::pow(a.den, kd), (a.weight > 0 && k >= 2) ? 2 : a.weight};
}
double coef_value(Coef c) {
    double v = c.num / c.den;
    return c.weight >= 2 ? snap_decimal(v) : v;
}
bool is_unit(Coef c) { return c.num == 1.0 && c.den == 1.0; }

double fold_unary(Op op, double v) {
    switch (op) {
        case Op::Neg:
            return -v;
        case Op::Sqrt:
            return std::sqrt(v);
        case Op::Square:
            return v * v;
        case Op::Exp:
            return std::exp(v);
        case Op::Log:
            return std::log(v);
        case Op::Sin:
            return std::sin(v);
        case Op::Cos:
            return std::cos(v);
        case Op::Tan:
            return std::tan(v);
        case Op::Asin:
            return std::asin(v);
        case Op::Acos:
            return std::acos(v);
        case Op::Atan:
            return std::atan(v);
        case Op::Tanh:
            return std::tanh(v);
        case Op::Abs:
            return std::abs(v);
        default:
            throw std::logic_error("normal_form: not a unary operator");
    }
}

// ---- hashing ----

std::uint64_t mix(std::uint64_t h) { return avalanche(h); }
std::uint64_t combine(std::uint64_t h, std::uint64_t v) {
    return mix(h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2)));
}
std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }

// ---- the normal form ----

enum class Kind : std::uint8_t { Num, Leaf, Func, Power, Prod, Sum };

struct NF;
struct Factor {
    const NF* base;
    Rat exp;
};

struct NF {
    Kind kind = Kind::Num;
    Node leaf{};                   // Leaf: the Var, Param or Pi node
    Op op = Op::Const;             // Func: the function
    double value = 0.0;            // Num: the number; Prod: coefficient; Sum: constant
    Coef coef;                     // Num/Prod: coefficient parts; Sum: constant (den 1)
    const NF* a = nullptr;         // Func: argument; Power: base
    const NF* b = nullptr;         // Power: exponent
    std::vector<Factor> factors;   // Prod: never empty; bases are never numbers
    std::vector<const NF*> terms;  // Sum: never empty; terms are never numbers or sums
    std::uint64_t hash = 0;        // structural, insensitive to the order of factors and terms
    std::uint64_t mono = 0;        // the hash of the product part (coefficient left out)
};

std::uint64_t factor_hash(const Factor& f) {
    return combine(f.base->hash,
                   static_cast<std::uint64_t>(f.exp.p) * 1000003ull + static_cast<std::uint64_t>(f.exp.q));
}
std::uint64_t factors_hash(std::span<const Factor> fs) {
    std::uint64_t sum = 0;
    for (const Factor& f : fs) sum += factor_hash(f);  // order-insensitive
    return mix(sum ^ 0x5851f42d4c957f2dull);
}

// The factors of a product, or the node itself as its only factor.
std::span<const Factor> factors_of(const NF* n, Factor& scratch) {
    if (n->kind == Kind::Prod) return n->factors;
    scratch = Factor{n, kOne};
    return {&scratch, 1};
}
Coef coef_of(const NF* n) {
    if (n->kind == Kind::Prod || n->kind == Kind::Num) return n->coef;
    return Coef{};
}
double term_coef(const NF* n) { return n->kind == Kind::Prod ? n->value : 1.0; }

bool same(const NF* a, const NF* b);

bool same_factors(std::span<const Factor> x, std::span<const Factor> y) {
    if (x.size() != y.size()) return false;
    std::vector<char> used(y.size(), 0);
    for (const Factor& f : x) {
        bool found = false;
        for (std::size_t j = 0; j < y.size() && !found; ++j) {
            if (!used[j] && y[j].exp == f.exp && same(y[j].base, f.base)) used[j] = 1, found = true;
        }
        if (!found) return false;
    }
    return true;
}

bool same(const NF* a, const NF* b) {
    if (a == b) return true;
    if (a->hash != b->hash || a->kind != b->kind) return false;
    switch (a->kind) {
        case Kind::Num:
            return bits(a->value) == bits(b->value);
        case Kind::Leaf:
            return a->leaf == b->leaf;
        case Kind::Func:
            return a->op == b->op && same(a->a, b->a);
        case Kind::Power:
            return same(a->a, b->a) && same(a->b, b->b);
        case Kind::Prod:
            return bits(a->value) == bits(b->value) && same_factors(a->factors, b->factors);
        case Kind::Sum: {
            if (bits(a->value) != bits(b->value) || a->terms.size() != b->terms.size()) return false;
            std::vector<char> used(b->terms.size(), 0);
            for (const NF* t : a->terms) {
                bool found = false;
                for (std::size_t j = 0; j < b->terms.size() && !found; ++j)
                    if (!used[j] && same(b->terms[j], t)) used[j] = 1, found = true;
                if (!found) return false;
            }
            return true;
        }
    }
    return false;
}

// Equal product parts (coefficients ignored); neither is a number or a sum.
bool same_monomial(const NF* a, const NF* b) {
    if (a->mono != b->mono) return false;
    Factor sa{}, sb{};
    return same_factors(factors_of(a, sa), factors_of(b, sb));
}

class Builder {
public:
    explicit Builder(const NormalFormOptions& options) : options_(options) {}

    const NF* build(const Expression& e) {
        if (!e.well_formed()) throw std::invalid_argument("normal_form: malformed expression");
        std::vector<const NF*> stack;
        for (const Node& n : e.nodes()) {
            switch (arity(n.op)) {
                case 0:
                    stack.push_back(n.op == Op::Const ? read_number(n.value) : leaf(n));
                    break;
                case 1:
                    stack.back() = unary(n.op, stack.back());
                    break;
                default: {
                    const NF* right = stack.back();
                    stack.pop_back();
                    stack.back() = binary(n.op, stack.back(), right);
                    break;
                }
            }
        }
        return spread(stack.back());
    }

    // ---- common factors out of sums (options_.factor_sums) ----

    // `n` with the common factor of every sum taken out wherever that is shorter, bottom-up.
    const NF* factor_sums(const NF* n) {
        switch (n->kind) {
            case Kind::Num:
            case Kind::Leaf:
                return n;
            case Kind::Func:
                return unary(n->op, factor_sums(n->a));
            case Kind::Power:
                return raise(factor_sums(n->a), factor_sums(n->b));
            case Kind::Prod:
                return shorter(shorter(shorter(rooted_factors_out(n), factored_product), one_fraction),
                               scaled_quotient);
            case Kind::Sum: {
                const NF* sum = number(n->coef);
                for (const NF* t : n->terms) sum = make_sum({sum, factor_sums(t)});
                return shorter(shorter(shorter(shorter(sum, factored_product), one_fraction), square_of_binomial),
                               over_one_denominator);
            }
        }
        return n;
    }

    // Product `n` with its factors in textbook form, and, where shorter, the common factor of a
    // sum under a fractional power taken out of the root (valid for positive quantities, as
    // simplify's merging is): m*v^2/sqrt(v^4/c^4 - v^6/c^6) = m*v^2/sqrt(v^4/c^4*(1 - v^2/c^2))
    // = m*c^2/sqrt(1 - v^2/c^2).
    const NF* rooted_factors_out(const NF* n) {
        std::vector<Factor> plain, pulled;
        Coef pulled_coef = n->coef;
        bool any = false;
        for (const Factor& f : n->factors) {
            const NF* base = factor_sums(f.base);
            plain.push_back({base, f.exp});
            const NF* split = nullptr;
            if (!f.exp.is_integer()) {
                split = base;
                if (base->kind == Kind::Sum) {
                    split = factored_product(*this, base);
                    if (split == nullptr) split = one_fraction(*this, base);
                }
            }
            std::optional<std::vector<Factor>> parts;
            if (split != nullptr && split->kind == Kind::Prod && split->value > 0.0 && std::isfinite(split->value))
                parts = distributed(split, f.exp);
            if (!parts) {
                pulled.push_back({base, f.exp});
                continue;
            }
            if (split->value != 1.0)
                pulled_coef = times(pulled_coef, number_coef(std::pow(split->value, f.exp.value()), true));
            pulled.insert(pulled.end(), parts->begin(), parts->end());
            any = true;
        }
        const NF* out = make_prod(n->coef, plain);
        if (!any) return out;
        const NF* rooted = make_prod(pulled_coef, pulled);
        return emitted_size(rooted) < emitted_size(out) ? rooted : out;
    }

    // `n`, or what `rewrite` makes of it when that emits fewer nodes; on equal size, the one
    // with fewer real constants (numbers that are not simple fractions): a*b/(1/(x*y) - 1/3),
    // not 8e-06*a*b/(8e-06/(x*y) - 2.666666666667e-06).
    template <typename Rewrite>
    const NF* shorter(const NF* n, Rewrite rewrite) {
        const NF* r = rewrite(*this, n);
        if (r == nullptr) return n;
        const std::size_t size_r = emitted_size(r), size_n = emitted_size(n);
        if (size_r != size_n) return size_r < size_n ? r : n;
        return real_constants(r) < real_constants(n) ? r : n;
    }

    std::size_t real_constants(const NF* n) {
        Expression saved = std::move(out_);
        out_ = Expression();
        emit_node(n);
        const std::size_t reals =
            static_cast<std::size_t>(std::count_if(out_.nodes().begin(), out_.nodes().end(), [](const Node& x) {
                return x.op == Op::Const && !simple_fraction(x.value);
            }));
        out_ = std::move(saved);
        return reals;
    }

    std::size_t emitted_size(const NF* n) {
        Expression saved = std::move(out_);
        out_ = Expression();
        emit_node(n);
        const std::size_t size = out_.size();
        out_ = std::move(saved);
        return size;
    }

    // A term of an expanded product: its coefficient and factors.
    struct Monomial {
        double coef = 1.0;
        std::vector<Factor> factors;
    };

    static Monomial monomial_of(const NF* t) {
        if (t->kind == Kind::Num) return {t->value, {}};
        Factor scratch{};
        auto fs = factors_of(t, scratch);
        return {term_coef(t), std::vector<Factor>(fs.begin(), fs.end())};
    }

    // The exponent of `base` in `m` (0 if absent).
    static Rat exponent_in(const Monomial& m, const NF* base) {
        for (const Factor& f : m.factors)
            if (same(f.base, base)) return f.exp;
        return Rat{0, 1};
    }

    // c * F * (t_1 + ... + t_k + d) (a sum alone: c = 1, F empty) written as G * (t_1*c*F/G +
    // ... + d*c*F/G) with G the largest common factor of the expanded terms: each base in all of
    // them with exponents of one sign, at the exponent nearest zero, and the smallest coefficient
    // when every other one is an integer multiple of it. Null when there is no single sum factor.
    static const NF* factored_product(Builder& b, const NF* n) {
        const NF* sum = nullptr;
        std::vector<Factor> rest;
        double c = 1.0;
        if (n->kind == Kind::Sum) {
            sum = n;
        } else {
            c = n->value;
            for (const Factor& f : n->factors) {
                if (f.base->kind == Kind::Sum && f.exp == kOne && sum == nullptr)
                    sum = f.base;
                else
                    rest.push_back(f);
            }
        }
        if (sum == nullptr || !std::isfinite(c)) return nullptr;
        std::vector<const NF*> parts(sum->terms);
        if (sum->value != 0.0) parts.push_back(b.number(sum->value, false));
        std::vector<Monomial> expanded;
        for (const NF* t : parts) {
            Monomial m = monomial_of(t);
            expanded.push_back(monomial_of(b.make_prod(number_coef(c * m.coef, true), m.factors, rest)));
        }
        return b.factor_out(expanded);
    }

    const NF* factor_out(const std::vector<Monomial>& terms) {
        std::vector<Factor> common;
        for (const Factor& f : terms.front().factors) {
            Rat e = f.exp;
            for (const Monomial& m : terms) {
                const Rat x = exponent_in(m, f.base);
                if (x.p == 0 || (x.p > 0) != (e.p > 0)) {
                    e = Rat{0, 1};
                    break;
                }
                if (compare_rat(Rat{x.p < 0 ? -x.p : x.p, x.q}, Rat{e.p < 0 ? -e.p : e.p, e.q}) < 0) e = x;
            }
            if (e.p != 0) common.push_back({f.base, e});
        }
        double k = terms.front().coef;
        for (const Monomial& m : terms)
            if (std::abs(m.coef) < std::abs(k)) k = m.coef;
        for (const Monomial& m : terms) {
            const double ratio = m.coef / k;
            // A small integer: beyond 2^53 every double is one (0.063 = 9e16 * 7e-19 would "divide").
            if (!std::isfinite(ratio) || std::abs(ratio) > kMaxCommonMultiple ||
                std::abs(ratio - std::nearbyint(ratio)) > 1e-12 * std::abs(ratio))
                k = 1.0;
        }
        if (k < 0.0 && std::any_of(terms.begin(), terms.end(), [](const Monomial& m) { return m.coef > 0.0; })) k = -k;
        if (common.empty() && k == 1.0) return nullptr;
        std::vector<Factor> inverse;
        for (const Factor& f : common) inverse.push_back({f.base, Rat{-f.exp.p, f.exp.q}});
        const NF* inner = number(0.0, false);
        for (const Monomial& m : terms) {
            const double scaled = snap_decimal(m.coef / k);
            inner = make_sum({inner, make_prod(number_coef(scaled, false), inverse, m.factors)});
        }
        common.push_back({inner, kOne});
        Coef outside = number_coef(k, false);
        if (auto r = rat_from_double(k, false); r && !r->is_integer())
            outside = Coef{static_cast<double>(r->p), static_cast<double>(r->q), 2};
        return make_prod(outside, {}, std::move(common));
    }

    // ---- a quotient divided through by the scale its denominator's terms share ----

    // c*F/S where S is a sum whose coefficients are all simple fractions of one of them, k:
    // (c/k)*F/(S/k). A table measured in other units leaves such a scale in every term of a
    // found formula (II.11.27 with its base units rescaled by 10^k):
    //   8e-06*a*b/(8e-06/(x*y) - 2.666666666667e-06) -> a*b/(1/(x*y) - 1/3)
    //   0.37*a/(2.5e-05*x + 5e-05)                    -> 14800*a/(x + 2)
    //   -pr*V/(1 - gamma)                             -> pr*V/(gamma - 1)
    // Each coefficient of S is tried as k; the shortest result, or null. A coefficient within
    // 1e-12 of a simple fraction is written as the fraction (the rest is rounding).
    static const NF* scaled_quotient(Builder& b, const NF* n) {
        if (n->kind != Kind::Prod || !std::isfinite(n->value)) return nullptr;
        const auto at = std::find_if(n->factors.begin(), n->factors.end(), [](const Factor& f) {
            return f.base->kind == Kind::Sum && f.exp == Rat{-1, 1};
        });
        if (at == n->factors.end()) return nullptr;
        const std::vector<Monomial> terms = terms_of(at->base);
        const NF* best = nullptr;
        for (const Monomial& pivot : terms) {
            const double k = pivot.coef;
            // k = -1 only turns the signs: -a/(1 - x) is a/(x - 1), one node fewer.
            if (!std::isfinite(k) || k == 0.0 || k == 1.0 || (k == -1.0 && !(n->value < 0.0))) continue;
            const NF* scaled = b.number(0.0, false);
            bool simple = true;
            for (const Monomial& m : terms) {
                const std::optional<double> r = simple_fraction(m.coef / k);
                if (!r) {
                    simple = false;
                    break;
                }
                scaled = b.make_sum({scaled, b.term_of({*r, m.factors})});
            }
            if (!simple) continue;
            std::vector<Factor> factors = n->factors;
            factors[static_cast<std::size_t>(at - n->factors.begin())] = {scaled, Rat{-1, 1}};
            const double c = n->value / k;
            const NF* candidate = b.make_prod(number_coef(simple_fraction(c).value_or(c), true), factors);
            if (best == nullptr || b.emitted_size(candidate) < b.emitted_size(best)) best = candidate;
        }
        return best;
    }

    // ---- one fraction: expand, put over a common denominator, cancel ----

    // A rational function of monomials (numerator and denominator as lists of terms; a
    // denominator of one monomial is folded into the numerator's exponents). Sums raised to
    // the power 1 or 2 (or -1, -2) are expanded; everything else (functions, roots of sums,
    // higher powers) is an opaque factor of a monomial.
    struct Fraction {
        std::vector<Monomial> num;
        std::vector<Monomial> den;  // empty: 1
    };
    // Beyond this many terms a fraction is not a textbook form anyone would prefer, and the
    // expansion stops (so the cost stays bounded: products of sums multiply their terms).
    static constexpr std::size_t kMaxFractionTerms = 12;

    // `n` written as one fraction N/D, with the largest monomial that divides every term of N
    // and D cancelled (which also clears negative powers inside the terms), and each of N and
    // D with its common factor taken out where shorter:
    //   r1*((r2/r1 - 1)/(m1/m2 + 1) + 1)          -> (m1*r1 + m2*r2)/(m1 + m2)
    //   I2*(I1/I2 + 2*cos(delta)*sqrt(I1/I2) + 1) -> I1 + I2 + 2*cos(delta)*sqrt(I1)*sqrt(I2)
    // Exact algebra (for positive quantities, as simplify's merging of exponents). Null when
    // the expansion grows past kMaxFractionTerms or nothing changes.
    static const NF* one_fraction(Builder& b, const NF* n) {
        std::optional<Fraction> f = b.fraction_of(n);
        if (!f || f->num.empty()) return nullptr;
        if (f->den.empty()) f->den = {{1.0, {}}};
        if (f->den.size() > 1) clear_fractions(*f);
        std::vector<Factor> content = common_monomial(*f);
        std::vector<Factor> inverse;
        for (const Factor& c : content) inverse.push_back({c.base, Rat{-c.exp.p, c.exp.q}});
        const auto sum_of = [&](const std::vector<Monomial>& terms) {
            const NF* sum = b.number(0.0, false);
            for (const Monomial& m : terms) sum = b.make_sum({sum, b.with_roots_grouped(b.term_of(m, inverse))});
            return b.shorter(b.shorter(sum, factored_product), square_of_binomial);
        };
        return b.make_prod(Coef{}, {{sum_of(f->num), kOne}, {sum_of(f->den), Rat{-1, 1}}});
    }

    // N and D both multiplied by the least common multiple of their coefficients' denominators
    // when every coefficient is a simple fraction p/q (q <= 12) and the multiple is small:
    //   (2/3*z + 1)/(1 - z/3) -> (2*z + 3)/(3 - z)
    // A fraction with a coefficient that is not simple is left as it is.
    static void clear_fractions(Fraction& f) {
        std::int64_t multiple = 1;
        for (const auto* list : {&f.num, &f.den})
            for (const Monomial& m : *list) {
                const std::optional<double> r = simple_fraction(m.coef);
                if (!r) return;
                const std::optional<Rat> q = rat_from_double(*r, false);
                if (!q) return;
                multiple = std::lcm(multiple, q->q);
                if (static_cast<double>(multiple) > kMaxCommonMultiple) return;
            }
        if (multiple == 1) return;
        const auto k = static_cast<double>(multiple);
        for (auto* list : {&f.num, &f.den})
            for (Monomial& m : *list) m.coef = std::nearbyint(*simple_fraction(m.coef) * k);
    }

    // A sum of three terms that is the square of a sum of two, written as that square:
    //   omega^4 - 2*omega^2*omega_0^2 + omega_0^4 -> (omega^2 - omega_0^2)^2
    // u^2 and v^2 are two terms with positive coefficients whose square roots are simple
    // fractions (exponents halved), and the third is +-2*u*v. Exact algebra (for positive
    // quantities, as simplify's merging of exponents); the expanded form also loses digits near
    // u = v, where the square does not. A sum whose two squares are both negative is minus such
    // a square (2*u*v - u^2 - v^2 -> -(u - v)^2: a quotient with that denominator has its sign
    // taken out only after the sums are factored). Null when the sum is not such a square.
    static const NF* square_of_binomial(Builder& b, const NF* n) {
        if (n->kind != Kind::Sum) return nullptr;
        std::vector<Monomial> terms = terms_of(n);
        if (terms.size() != 3) return nullptr;
        const auto negative = [](const Monomial& m) { return m.coef < 0.0; };
        const bool negated = std::count_if(terms.begin(), terms.end(), negative) >= 2;
        if (negated)
            for (Monomial& m : terms) m.coef = -m.coef;
        for (std::size_t middle = 0; middle < 3; ++middle) {
            const Monomial& a = terms[middle == 0 ? 1 : 0];  // the two squares in the sum's order
            const Monomial& c = terms[middle == 2 ? 1 : 2];
            const std::optional<Monomial> u = root_of(a), v = root_of(c);
            if (!u || !v) continue;
            const NF* cross = b.term_of({2.0 * u->coef * v->coef, u->factors}, v->factors);
            const NF* mid = b.term_of(terms[middle]);
            const double ratio = terms[middle].coef / (2.0 * u->coef * v->coef);
            if (!same_monomial(cross, mid) || std::abs(std::abs(ratio) - 1.0) > 1e-12) continue;
            const NF* base = b.make_sum({b.term_of(*u), b.term_of({ratio > 0.0 ? v->coef : -v->coef, v->factors})});
            return b.make_prod(negated ? Coef{-1.0, 1.0, 0} : Coef{}, {{base, Rat{2, 1}}});
        }
        return nullptr;
    }

    // A sum of terms a_i/D_i over one sum D, each D_i being D or -D, written as one fraction
    // (sum of +-a_i)/D, its numerator's common factor taken out where shorter:
    //   Int_0/(1 - cos(theta)) + Int_0*cos(n*theta)/(cos(theta) - 1)
    //     -> Int_0*(1 - cos(n*theta))/(1 - cos(theta))
    // (I.30.3 as the evolution writes it; one_fraction does not expand over sums of functions).
    // Exact algebra. Null when a term has no such denominator, or the sum has a constant.
    static const NF* over_one_denominator(Builder& b, const NF* n) {
        if (n->kind != Kind::Sum || n->value != 0.0 || n->terms.size() < 2) return nullptr;
        const NF* denominator = nullptr;
        const NF* negated = nullptr;
        std::vector<Monomial> numerator;
        for (const NF* t : n->terms) {
            Monomial m = monomial_of(t);
            const auto d = std::find_if(m.factors.begin(), m.factors.end(), [](const Factor& f) {
                return f.base->kind == Kind::Sum && f.exp == Rat{-1, 1};
            });
            if (d == m.factors.end()) return nullptr;
            if (denominator == nullptr) {
                denominator = d->base;
                std::vector<Monomial> minus = terms_of(denominator);
                for (Monomial& x : minus) x.coef = -x.coef;
                negated = b.number(0.0, false);
                for (const Monomial& x : minus) negated = b.make_sum({negated, b.term_of(x)});
            }
            double sign = 1.0;
            if (!same(d->base, denominator)) {
                if (!same(d->base, negated)) return nullptr;
                sign = -1.0;
            }
            m.factors.erase(d);
            m.coef *= sign;
            numerator.push_back(std::move(m));
        }
        const NF* top = b.number(0.0, false);
        for (const Monomial& m : numerator) top = b.make_sum({top, b.term_of(m)});
        // Factored also on a tie: Int_0*(1 - cos(u)), not Int_0 - Int_0*cos(u).
        if (const NF* factored = factored_product(b, top); factored && b.emitted_size(factored) <= b.emitted_size(top))
            top = factored;
        return b.make_prod(Coef{}, {{top, kOne}, {denominator, Rat{-1, 1}}});
    }

    // The square root of a monomial with a positive coefficient whose root is a simple fraction,
    // every exponent halved; nothing otherwise.
    static std::optional<Monomial> root_of(const Monomial& m) {
        if (!(m.coef > 0.0)) return std::nullopt;
        const std::optional<double> k = simple_fraction(std::sqrt(m.coef));
        if (!k || std::abs(*k * *k - m.coef) > 1e-12 * m.coef) return std::nullopt;
        Monomial out{*k, {}};
        for (const Factor& f : m.factors) {
            const std::optional<Rat> half = make_rat(f.exp.p, 2 * f.exp.q);
            if (!half) return std::nullopt;
            out.factors.push_back({f.base, *half});
        }
        return out;
    }

    // Per base, the smallest exponent it has in any term of N and D (absent: 0), where not 0.
    static std::vector<Factor> common_monomial(const Fraction& f) {
        std::vector<Factor> common;
        const auto visit = [&](const std::vector<Monomial>& terms) {
            for (const Monomial& m : terms)
                for (const Factor& x : m.factors) {
                    bool known = false;
                    for (const Factor& c : common) known = known || same(c.base, x.base);
                    if (known) continue;
                    std::optional<Rat> e;
                    for (const auto* list : {&f.num, &f.den})
                        for (const Monomial& t : *list) {
                            const Rat y = exponent_in(t, x.base);
                            if (!e || compare_rat(y, *e) < 0) e = y;
                        }
                    if (e->p != 0) common.push_back({x.base, *e});
                }
        };
        visit(f.num);
        visit(f.den);
        return common;
    }

    // A term of a fraction as a normalized node, times the factors `also`.
    const NF* term_of(const Monomial& m, const std::vector<Factor>& also = {}) {
        distributing_ = true;  // a term is a product, never spread over a sum it contains
        const NF* t = make_prod(written_coef(m.coef, true), also, m.factors);
        distributing_ = false;
        return t;
    }

    // A product's leaves under one fractional power grouped under one root, as they were
    // before the expansion spread them: sqrt(I1)*sqrt(I2) -> sqrt(I1*I2).
    const NF* with_roots_grouped(const NF* t) {
        if (t->kind != Kind::Prod) return t;
        std::vector<Factor> kept;
        std::vector<std::pair<Rat, std::vector<Factor>>> roots;
        for (const Factor& f : t->factors) {
            if (f.exp.is_integer() || f.base->kind != Kind::Leaf) {
                kept.push_back(f);
                continue;
            }
            auto it = std::find_if(roots.begin(), roots.end(), [&](const auto& r) { return r.first == f.exp; });
            if (it == roots.end()) it = roots.insert(roots.end(), {f.exp, {}});
            it->second.push_back({f.base, kOne});
        }
        for (auto& [exp, bases] : roots) {
            if (bases.size() == 1) {
                kept.push_back({bases[0].base, exp});
                continue;
            }
            kept.push_back({make_prod(Coef{}, bases), exp});  // a fractional power is never spread
        }
        distributing_ = true;
        const NF* n = make_prod(t->coef, kept);
        distributing_ = false;
        return n;
    }

    // The terms of a normalized sum (its constant included), or of a single term.
    static std::vector<Monomial> terms_of(const NF* s) {
        std::vector<Monomial> out;
        if (s->kind == Kind::Num) {
            if (s->value != 0.0) out.push_back({s->value, {}});
            return out;
        }
        if (s->kind != Kind::Sum) return {monomial_of(s)};
        for (const NF* t : s->terms) out.push_back(monomial_of(t));
        if (s->value != 0.0) out.push_back({s->value, {}});
        return out;
    }

    // Like terms merged; nullopt past kMaxFractionTerms.
    std::optional<std::vector<Monomial>> collected(const std::vector<Monomial>& terms) {
        const NF* sum = number(0.0, false);
        for (const Monomial& m : terms) sum = make_sum({sum, term_of(m)});
        std::vector<Monomial> out = terms_of(sum);
        if (out.size() > kMaxFractionTerms) return std::nullopt;
        return out;
    }

    std::optional<std::vector<Monomial>> product(const std::vector<Monomial>& a, const std::vector<Monomial>& b) {
        if (a.size() * b.size() > kMaxFractionTerms * kMaxFractionTerms) return std::nullopt;
        std::vector<Monomial> out;
        for (const Monomial& x : a)
            for (const Monomial& y : b) out.push_back(monomial_of(term_of({x.coef * y.coef, x.factors}, y.factors)));
        return collected(out);
    }

    // f with a one-term denominator folded into the numerator.
    std::optional<Fraction> settled(Fraction f) {
        if (f.den.size() != 1) return f;
        std::vector<Factor> inverse;
        for (const Factor& x : f.den[0].factors) inverse.push_back({x.base, Rat{-x.exp.p, x.exp.q}});
        std::vector<Monomial> num;
        for (const Monomial& m : f.num)
            num.push_back(monomial_of(term_of({m.coef / f.den[0].coef, m.factors}, inverse)));
        auto merged = collected(num);
        if (!merged) return std::nullopt;
        return Fraction{std::move(*merged), {}};
    }

    std::optional<Fraction> fraction_times(const Fraction& x, const Fraction& y) {
        auto num = product(x.num, y.num);
        if (!num) return std::nullopt;
        if (x.den.empty() && y.den.empty()) return Fraction{std::move(*num), {}};
        auto den = x.den.empty() ? std::optional(y.den) : y.den.empty() ? std::optional(x.den) : product(x.den, y.den);
        if (!den) return std::nullopt;
        return settled({std::move(*num), std::move(*den)});
    }

    std::optional<Fraction> fraction_plus(const Fraction& x, const Fraction& y) {
        const std::vector<Monomial> one{{1.0, {}}};
        const std::vector<Monomial>& dx = x.den.empty() ? one : x.den;
        const std::vector<Monomial>& dy = y.den.empty() ? one : y.den;
        if (x.den.empty() && y.den.empty()) {
            std::vector<Monomial> all = x.num;
            all.insert(all.end(), y.num.begin(), y.num.end());
            auto num = collected(all);
            if (!num) return std::nullopt;
            return Fraction{std::move(*num), {}};
        }
        auto a = product(x.num, dy), c = product(y.num, dx), den = product(dx, dy);
        if (!a || !c || !den) return std::nullopt;
        a->insert(a->end(), c->begin(), c->end());
        auto num = collected(*a);
        if (!num) return std::nullopt;
        return settled({std::move(*num), std::move(*den)});
    }

    std::optional<Fraction> fraction_of(const NF* n) {
        if (n->kind == Kind::Sum) {
            std::optional<Fraction> acc = Fraction{terms_of(number(n->value, false)), {}};
            for (const NF* t : n->terms) {
                std::optional<Fraction> g = fraction_of(t);
                if (!g || !(acc = fraction_plus(*acc, *g))) return std::nullopt;
            }
            return acc;
        }
        if (n->kind != Kind::Prod) return Fraction{{monomial_of(n)}, {}};
        std::optional<Fraction> acc = Fraction{{{n->value, {}}}, {}};
        for (const Factor& f : n->factors) {
            std::optional<Fraction> g = factor_fraction(f);
            if (!g || !(acc = fraction_times(*acc, *g))) return std::nullopt;
        }
        return acc;
    }

    // One factor base^exp as a fraction: a sum to the power +-1 or +-2 expanded, a fractional
    // power of a product with a positive coefficient spread over its factors (sqrt(I1/I2) =
    // I1^(1/2)*I2^(-1/2), for positive quantities), anything else one opaque factor.
    std::optional<Fraction> factor_fraction(const Factor& f) {
        const NF* base = f.base;
        if (base->kind == Kind::Sum && f.exp.is_integer() &&
            (f.exp.p == 1 || f.exp.p == 2 || f.exp.p == -1 || f.exp.p == -2)) {
            std::optional<Fraction> g = fraction_of(base);
            if (!g) return std::nullopt;
            std::optional<Fraction> r = g;
            if (f.exp.p == 2 || f.exp.p == -2) r = fraction_times(*g, *g);
            if (!r || f.exp.p > 0) return r;
            if (r->den.empty()) return settled({{{1.0, {}}}, r->num});
            return settled({r->den, r->num});
        }
        if (base->kind == Kind::Prod && !f.exp.is_integer() && base->value > 0.0 && std::isfinite(base->value)) {
            if (auto parts = distributed(base, f.exp))
                return Fraction{{{std::pow(base->value, f.exp.value()), std::move(*parts)}}, {}};
        }
        return Fraction{{{1.0, {f}}}, {}};
    }

    Expression emit(const NF* root) {
        out_ = Expression();
        emit_node(root);
        return std::move(out_);
    }

private:
    // ---- construction ----

    NF* make(Kind kind) {
        arena_.emplace_back();
        arena_.back().kind = kind;
        return &arena_.back();
    }

    void set_mono(NF* n) {
        Factor scratch{};
        n->mono = factors_hash(factors_of(n, scratch));
    }

    const NF* number(double v, bool computed) {
        NF* n = make(Kind::Num);
        if (computed) v = snap_decimal(v);
        n->value = v;
        n->coef = number_coef(v, computed);
        n->hash = combine(1, bits(n->value));
        return n;
    }
    // With round_constants, numbers are compared and written rounded to 12 significant digits
    // (the arithmetic itself is done on the exact values).
    double rounded(double v) const { return options_.round_constants ? round_significant_digits(v, 12) : v; }

    // A number that remembers how it was computed (4/3 keeps num 4 and den 3), so that
    // 4/3*pi*r^3 can still be printed as 4*pi*r^3/3.
    const NF* number(Coef c) {
        if (c.den < 0) {
            c.num = -c.num;
            c.den = -c.den;
        }
        NF* n = make(Kind::Num);
        n->value = coef_value(c);
        n->coef = c;
        n->hash = combine(1, bits(n->value));
        return n;
    }
    bool computed(const NF* n) const { return n->kind == Kind::Num && n->coef.weight >= 2; }

    // A number of the formula. In the textbook form, a simple fraction with no finite decimal
    // (its denominator not 2^a*5^b: thirds, sevenths, ...) that the double holds exactly as p/q
    // keeps p and q, so that it prints as x/3 and not as 0.3333333333333333*x (a snapped 1/3
    // would otherwise print as digits that SRBench's rounding reads as 0.333).
    const NF* read_number(double v) { return number(written_coef(v, false)); }
    Coef written_coef(double v, bool computed) const {
        if (options_.factor_sums && std::isfinite(v) && v != std::nearbyint(v)) {
            for (int q = 3; q <= 12; ++q) {
                int r = q;
                while (r % 2 == 0) r /= 2;
                while (r % 5 == 0) r /= 5;
                const double p = std::nearbyint(v * q);
                if (r != 1 && std::abs(p) <= kMaxCommonMultiple && p / q == v && std::gcd(static_cast<int>(p), q) == 1)
                    return Coef{p, static_cast<double>(q), 1};
            }
        }
        return number_coef(v, computed);
    }

    const NF* leaf(const Node& node) {
        NF* n = make(Kind::Leaf);
        n->leaf = node;
        n->hash = combine(combine(2, static_cast<std::uint64_t>(node.op)), node.index);
        set_mono(n);
        return n;
    }

    const NF* unary(Op op, const NF* a) {
        if (op == Op::Neg) return negate(a);
        // square(z) is z^2 in every respect (z^2 is what a physicist writes and reads).
        if (op == Op::Square) return pow_rat(a, Rat{2, 1});
        if (a->kind == Kind::Num) return number(fold_unary(op, a->value), true);
        if (op == Op::Sqrt) return pow_rat(a, kHalf);
        // exp(log(z)) = z wherever the formula was defined (z > 0 on every row it was fitted
        // on), and z stays defined beyond; log(exp(z)) = z always. The search builds such
        // chains through target transforms (log y ~ log(1 - u*t/x)), a physicist never writes them.
        if (a->kind == Kind::Func && ((op == Op::Exp && a->op == Op::Log) || (op == Op::Log && a->op == Op::Exp)))
            return a->a;
        // exp(k*log(z)) = z^k for a rational k, on the same terms (the evolution writes r^-5 so).
        if (op == Op::Exp)
            if (const std::optional<Factor> power = log_power(a)) return pow_rat(power->base, power->exp);
        if (op == Op::Exp && a->kind == Kind::Sum && options_.factor_sums)
            if (const NF* split = split_exponential(a)) return split;
        a = spread(a);
        NF* n = make(Kind::Func);
        n->op = op;
        n->a = a;
        n->hash = combine(combine(3, static_cast<std::uint64_t>(op)), a->hash);
        set_mono(n);
        return n;
    }

    // z^k when `t` is k*log(z) with k rational (denominator <= 12), log(z) included.
    std::optional<Factor> log_power(const NF* t) const {
        if (t->kind == Kind::Func && t->op == Op::Log) return Factor{t->a, kOne};
        if (t->kind != Kind::Prod || t->factors.size() != 1 || t->factors[0].exp != kOne ||
            t->factors[0].base->kind != Kind::Func || t->factors[0].base->op != Op::Log)
            return std::nullopt;
        const auto k = rat_from_double(t->value, options_.round_constants);
        if (!k || k->q > 12) return std::nullopt;
        return Factor{t->factors[0].base->a, *k};
    }

    // Textbook form: exp(c + k*log(z) + rest) = e^c * z^k * exp(rest) for a fitted c (one that
    // is not a simple fraction: exp(x - 1) stays) and rational k, so that the Gaussian's
    // exp(-log(sigma) - theta^2/(2*sigma^2) - 0.9189385332) reads
    // 0.3989422804*exp(-theta^2/(2*sigma^2))/sigma, whose coefficient the snapping step can
    // then name 1/sqrt(2*pi). Null when nothing comes out.
    const NF* split_exponential(const NF* sum) {
        Coef outside{};
        std::vector<Factor> factors;
        const NF* rest = number(0.0, false);
        for (const NF* t : sum->terms) {
            if (const std::optional<Factor> power = log_power(t))
                factors.push_back(*power);
            else
                rest = make_sum({rest, t});
        }
        const bool fitted_constant = sum->value != 0.0 && !rat_from_double(sum->value, false);
        if (fitted_constant) outside = number_coef(std::exp(sum->value), true);
        if (factors.empty() && !fitted_constant) return nullptr;
        if (!fitted_constant && sum->value != 0.0) rest = make_sum({rest, number(sum->coef)});
        factors.push_back({unary(Op::Exp, rest), kOne});
        return make_prod(outside, factors);
    }

    const NF* negate(const NF* a) {
        if (a->kind == Kind::Num) {
            Coef c = a->coef;
            c.num = -c.num;
            return number(c);
        }
        return multiply(number(-1.0, false), a, false);
    }

    const NF* binary(Op op, const NF* a, const NF* b) {
        switch (op) {
            case Op::Add:
                return make_sum({a, b});
            case Op::Sub:
                return make_sum({a, negate(b)});
            case Op::Mul:
                return multiply(a, b, false);
            case Op::Div:
                return multiply(a, b, true);
            case Op::Pow:
                return raise(a, b);
            default:
                throw std::logic_error("normal_form: not a binary operator");
        }
    }

    // a*b, or a/b when `divide`. The factors of `a` are already normalized: only those of `b`
    // are merged in, so a chain of n products costs O(n^2) hash comparisons, not O(n^3).
    const NF* multiply(const NF* a, const NF* b, bool divide) {
        Factor sa{}, sb{};
        std::vector<Factor> seed, more;
        if (a->kind != Kind::Num) {
            auto fa = factors_of(a, sa);
            seed.assign(fa.begin(), fa.end());
        }
        Coef cb = coef_of(b);
        if (b->kind != Kind::Num) {
            for (Factor f : factors_of(b, sb)) {
                if (divide) f.exp = Rat{-f.exp.p, f.exp.q};
                more.push_back(f);
            }
        }
        return make_prod(times(coef_of(a), divide ? inverse(cb) : cb), more, std::move(seed));
    }

    const NF* raise(const NF* a, const NF* b) {
        if (b->kind == Kind::Num) {
            if (auto r = rat_from_double(b->value, options_.round_constants)) return pow_rat(a, *r);
            if (a->kind == Kind::Num) return number(std::pow(a->value, b->value), true);
        }
        a = spread(a);
        b = spread(b);
        NF* n = make(Kind::Power);
        n->a = a;
        n->b = b;
        n->hash = combine(combine(4, a->hash), b->hash);
        set_mono(n);
        return n;
    }

    // The factors of product `p` raised to integer `k`, if every exponent stays in bounds.
    static std::optional<std::vector<Factor>> distributed(const NF* p, Rat k) {
        std::vector<Factor> fs;
        fs.reserve(p->factors.size());
        for (const Factor& f : p->factors) {
            auto e = f.exp * k;
            if (!e) return std::nullopt;
            fs.push_back({f.base, *e});
        }
        return fs;
    }

    const NF* pow_rat(const NF* a, Rat r) {
        if (r.p == 0) return number(1.0, false);
        if (r == kOne) return a;
        if (a->kind == Kind::Num) return number(std::pow(a->value, r.value()), true);
        if (r.is_integer()) {
            if (a->kind == Kind::Prod) {
                if (auto fs = distributed(a, r)) return make_prod(power(a->coef, r.p), *fs);
            }
            return make_prod(Coef{}, {{a, r}});
        }
        // Fractional: merge into a single power (valid for positive bases), never distribute
        // over the factors; a positive coefficient may be taken out.
        if (a->kind == Kind::Prod && a->value == 1.0 && a->factors.size() == 1) {
            if (auto e = a->factors[0].exp * r) return make_prod(Coef{}, {{a->factors[0].base, *e}});
        }
        if (a->kind == Kind::Prod && a->value > 0.0 && a->value != 1.0 && std::isfinite(a->value) &&
            take_coefficient_out(a->value, r)) {
            Coef outside{std::pow(a->coef.num, r.value()), std::pow(a->coef.den, r.value()), 2};
            const NF* rest = make_prod(Coef{}, {}, a->factors);
            return multiply(number(outside), pow_rat(rest, r), false);
        }
        return make_prod(Coef{}, {{spread(a), r}});
    }

    // (c*P)^r = c^r * P^r for c > 0: always in the canonical form (P a sum included, so that
    // the canonical form does not depend on whether simplify took c out); in simplify only when
    // c^r is a simple number (sqrt(4*x) -> 2*sqrt(x)) or c is not one (sqrt(4.0257*L) ->
    // 2.0064*sqrt(L)), so that sqrt(2*pi) stays sqrt(2*pi).
    bool take_coefficient_out(double c, Rat r) const {
        if (options_.canonical) return true;
        auto simple = [](double v) { return rat_from_double(v, false).has_value(); };
        return !simple(c) || simple(snap_decimal(std::pow(c, r.value())));
    }

    void absorb_factor(std::vector<Factor>& out, Coef& c, Factor f) {
        if (f.exp.p == 0) return;
        const NF* base = f.base;
        if (base->kind == Kind::Num) {  // not produced by the builder; kept for safety
            c = times(c, number_coef(std::pow(base->value, f.exp.value()), true));
            return;
        }
        if (base->kind == Kind::Prod && f.exp.is_integer()) {
            if (auto fs = distributed(base, f.exp)) {
                c = times(c, power(base->coef, f.exp.p));
                for (const Factor& g : *fs) absorb_factor(out, c, g);
                return;
            }
        }
        for (std::size_t i = 0; i < out.size(); ++i) {
            if (!same(out[i].base, base)) continue;
            auto e = out[i].exp + f.exp;
            if (!e) continue;
            out[i].exp = *e;
            if (base->kind == Kind::Prod && e->is_integer() && e->p != 0) {
                // A fractional power of a product became an integer one: distribute it.
                Factor merged = out[i];
                out.erase(out.begin() + static_cast<std::ptrdiff_t>(i));
                absorb_factor(out, c, merged);
            }
            return;
        }
        out.push_back(f);
    }

    // c * prod(in), merged into `out`, which must already be a normalized factor list.
    const NF* make_prod(Coef c, const std::vector<Factor>& in, std::vector<Factor> out = {}) {
        out.reserve(out.size() + in.size());
        for (const Factor& f : in) absorb_factor(out, c, f);
        std::erase_if(out, [](const Factor& f) { return f.exp.p == 0; });
        if (c.den < 0) {
            c.num = -c.num;
            c.den = -c.den;
        }
        double value = coef_value(c);
        if (value == 0.0) return number(0.0, false);
        if (out.empty()) return number(c);
        if (const NF* distributed = distribute_into_sum(c, out)) return distributed;
        if (value == 1.0 && out.size() == 1 && out[0].exp == kOne) return out[0].base;
        if (options_.canonical) {
            std::stable_sort(out.begin(), out.end(),
                             [this](const Factor& x, const Factor& y) { return compare_factor(x, y) < 0; });
        }
        NF* n = make(Kind::Prod);
        n->coef = c;
        n->value = value;
        n->factors = std::move(out);
        n->mono = factors_hash(n->factors);
        n->hash = combine(combine(5, bits(value)), n->mono);
        return n;
    }

    // How many of a sum's numbers (term coefficients and the constant) are not +-1 or 0 after
    // scaling by `k`.
    static int odd_numbers(const NF* sum, double k) {
        auto odd = [](double v) { return v != 0.0 && std::abs(v) != 1.0; };
        int n = odd(sum->value * k) ? 1 : 0;
        for (const NF* t : sum->terms) n += odd(term_coef(t) * k) ? 1 : 0;
        return n;
    }

    // c * (a*x + b*y + d) * rest as (c*a*x + c*b*y + c*d) * rest when that leaves fewer numbers
    // that are not +-1: 4194304*q*(2.384185791016e-07*x + 2.384185791016e-07) is q*(x + 1). Such
    // products come from undoing a power-of-two scale of the columns (the search's magnitudes),
    // which multiplies out exactly; 2*(x + y) stays as it is. Null when it does not apply.
    const NF* distribute_into_sum(Coef c, const std::vector<Factor>& out) {
        const double k = coef_value(c);
        if (distributing_ || std::abs(k) == 1.0 || !std::isfinite(k)) return nullptr;
        std::size_t at = out.size();
        for (std::size_t i = 0; i < out.size(); ++i)
            if (out[i].base->kind == Kind::Sum && out[i].exp == kOne) {
                if (at != out.size()) return nullptr;  // two sums: which one is ambiguous
                at = i;
            }
        if (at == out.size()) return nullptr;
        const NF* sum = out[at].base;
        if (odd_numbers(sum, k) >= odd_numbers(sum, 1.0) + 1) return nullptr;  // +1: c itself
        distributing_ = true;  // the scaled product below must not be distributed again
        const NF* scaled = make_sum({make_prod(c, {}, {out[at]})});
        distributing_ = false;
        std::vector<Factor> rest = out;
        rest[at] = Factor{scaled, kOne};
        return make_prod(Coef{}, {}, std::move(rest));
    }

    // Sum constant accumulation.
    static void add_constant(Coef& k, double v, bool computed_value) {
        if (v == 0.0) return;
        k.num += v;
        k.weight = std::min(2, k.weight + (computed_value ? 2 : 1));
    }

    void absorb_term(std::vector<const NF*>& out, Coef& k, const NF* t, Coef s) {
        switch (t->kind) {
            case Kind::Num:
                add_constant(k, t->value * s.num / s.den, computed(t) || !is_unit(s));
                return;
            case Kind::Sum:
                for (const NF* u : t->terms) absorb_term(out, k, u, s);
                add_constant(k, t->value * s.num / s.den, t->coef.weight >= 2 || !is_unit(s));
                return;
            case Kind::Prod:
                if (t->factors.size() == 1 && t->factors[0].exp == kOne && t->factors[0].base->kind == Kind::Sum) {
                    absorb_term(out, k, t->factors[0].base, times(s, t->coef));
                    return;
                }
                break;
            default:
                break;
        }
        Factor scratch{};
        const NF* term = t;
        if (!is_unit(s)) {
            auto fs = factors_of(t, scratch);
            term = make_prod(times(coef_of(t), s), {}, std::vector<Factor>(fs.begin(), fs.end()));
            if (term->kind == Kind::Num) {
                add_constant(k, term->value, true);
                return;
            }
        }
        for (const NF*& u : out) {
            if (u->kind == Kind::Num || !same_monomial(u, term)) continue;
            auto fs = factors_of(u, scratch);
            u = make_prod(Coef{term_coef(u) + term_coef(term), 1.0, 2}, {}, std::vector<Factor>(fs.begin(), fs.end()));
            return;
        }
        out.push_back(term);
    }

    const NF* make_sum(std::initializer_list<const NF*> in) {
        std::vector<const NF*> out;
        Coef k{0.0, 1.0, 0};
        auto it = in.begin();
        if (it != in.end() && (*it)->kind == Kind::Sum) {  // already normalized: merge the rest into it
            out = (*it)->terms;
            k = (*it)->coef;
            ++it;
        }
        for (; it != in.end(); ++it) absorb_term(out, k, *it, Coef{});
        std::erase_if(out, [](const NF* t) { return t->kind == Kind::Num; });  // merged to zero
        double constant = coef_value(k);
        if (constant == 0.0) constant = 0.0;  // no -0
        if (out.empty()) return number(constant, k.weight >= 2);
        if (constant == 0.0 && out.size() == 1) return out[0];
        if (options_.canonical) {
            std::stable_sort(out.begin(), out.end(),
                             [this](const NF* x, const NF* y) { return compare_term(x, y) < 0; });
        }
        NF* n = make(Kind::Sum);
        n->coef = k;
        n->value = constant;
        n->terms = std::move(out);
        std::uint64_t sum = 0;
        for (const NF* t : n->terms) sum += mix(t->hash);
        n->hash = combine(combine(6, bits(constant)), sum);
        return n;
    }

    // Canonical form only: a numeric multiple of one sum, where it is not a factor of a larger
    // product, becomes the sum with scaled terms.
    const NF* spread(const NF* n) {
        if (!options_.canonical || n->kind != Kind::Prod || n->factors.size() != 1 || n->factors[0].exp != kOne ||
            n->factors[0].base->kind != Kind::Sum)
            return n;
        return make_sum({n});
    }

    // ---- total order (canonical form) ----

    int compare_numbers(double x, double y) const {
        x = rounded(x);
        y = rounded(y);
        bool nx = std::isnan(x), ny = std::isnan(y);
        if (nx || ny) return nx == ny ? 0 : (nx ? 1 : -1);
        return x < y ? -1 : (x > y ? 1 : 0);
    }

    // pi first, then fitted parameters, then variables: 2*pi*r.
    static int leaf_rank(Op op) { return op == Op::Pi ? 0 : (op == Op::Param ? 1 : 2); }

    int compare_factor(const Factor& x, const Factor& y) const {
        if (int c = compare(x.base, y.base)) return c;
        return compare_rat(x.exp, y.exp);
    }

    int compare_factors(std::span<const Factor> x, std::span<const Factor> y) const {
        for (std::size_t i = 0; i < x.size() && i < y.size(); ++i)
            if (int c = compare_factor(x[i], y[i])) return c;
        return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }

    int compare_term(const NF* x, const NF* y) const {
        Factor sx{}, sy{};
        if (int c = compare_factors(factors_of(x, sx), factors_of(y, sy))) return c;
        return compare_numbers(term_coef(x), term_coef(y));
    }

    int compare(const NF* x, const NF* y) const {
        if (x == y) return 0;
        if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
        switch (x->kind) {
            case Kind::Num:
                return compare_numbers(x->value, y->value);
            case Kind::Leaf:
                if (x->leaf.op != y->leaf.op) return leaf_rank(x->leaf.op) < leaf_rank(y->leaf.op) ? -1 : 1;
                return x->leaf.index < y->leaf.index ? -1 : (x->leaf.index > y->leaf.index ? 1 : 0);
            case Kind::Func:
                if (x->op != y->op) return x->op < y->op ? -1 : 1;
                return compare(x->a, y->a);
            case Kind::Power:
                if (int c = compare(x->a, y->a)) return c;
                return compare(x->b, y->b);
            case Kind::Prod:
                if (int c = compare_factors(x->factors, y->factors)) return c;
                return compare_numbers(x->value, y->value);
            case Kind::Sum: {
                for (std::size_t i = 0; i < x->terms.size() && i < y->terms.size(); ++i)
                    if (int c = compare_term(x->terms[i], y->terms[i])) return c;
                if (x->terms.size() != y->terms.size()) return x->terms.size() < y->terms.size() ? -1 : 1;
                return compare_numbers(x->value, y->value);
            }
        }
        return 0;
    }

    // ---- writing back ----

    void push(const Node& n) { out_.push(n); }
    void push_op(Op op) { out_.push(Node::op_node(op)); }
    void push_number(double v) { out_.push(Node::constant(rounded(v))); }

    void emit_node(const NF* n) {
        switch (n->kind) {
            case Kind::Num:
                push_number(n->value);
                return;
            case Kind::Leaf:
                push(n->leaf);
                return;
            case Kind::Func:
                emit_node(n->a);
                push_op(n->op);
                return;
            case Kind::Power:
                emit_node(n->a);
                emit_node(n->b);
                push_op(Op::Pow);
                return;
            case Kind::Prod:
                emit_product(rounded(n->value), n->coef, n->factors);
                return;
            case Kind::Sum:
                emit_sum(n);
                return;
        }
    }

    // base^|exp|
    void emit_factor(const Factor& f) {
        Rat e{f.exp.p < 0 ? -f.exp.p : f.exp.p, f.exp.q};
        emit_node(f.base);
        if (e == kOne) return;
        if (e == kHalf) {
            push_op(Op::Sqrt);
            return;
        }
        push_number(static_cast<double>(e.p));
        if (!e.is_integer()) {
            push_number(static_cast<double>(e.q));
            push_op(Op::Div);
        }
        push_op(Op::Pow);
    }

    void emit_product(double value, Coef c, std::span<const Factor> fs) {
        std::vector<const Factor*> up, down;
        for (const Factor& f : fs) (f.exp.p > 0 ? up : down).push_back(&f);
        // A coefficient that came from dividing by numbers is printed as a division when it is
        // p/q with 2 <= q <= 100 (4*pi*r^3/3) or +-1/n with n < 10^5 (x/3600).
        double lead = value, divisor = 0.0;
        if (!options_.canonical && c.den != 1.0 && c.num != 0.0 && std::isfinite(c.num) && std::isfinite(c.den) &&
            std::isfinite(value) && value != std::nearbyint(value)) {
            for (int q = 2; q <= kMaxDen && divisor == 0.0; ++q) {
                double p = std::nearbyint(value * q);
                if (std::abs(p) <= 1e6 && p / q == value) lead = p, divisor = q;
            }
            double n = c.den / c.num;
            if (divisor == 0.0 && std::abs(n) >= 2.0 && std::abs(n) < 1e5 && n == std::nearbyint(n)) {
                lead = n > 0 ? 1.0 : -1.0;
                divisor = std::abs(n);
            }
        }
        if (up.empty()) {
            push_number(lead);
        } else if (lead == 1.0 || lead == -1.0) {
            emit_factor(*up[0]);
            if (lead == -1.0) push_op(Op::Neg);
            for (std::size_t i = 1; i < up.size(); ++i) {
                emit_factor(*up[i]);
                push_op(Op::Mul);
            }
        } else {
            push_number(lead);
            for (const Factor* f : up) {
                emit_factor(*f);
                push_op(Op::Mul);
            }
        }
        if (divisor == 0.0 && down.empty()) return;
        bool first = true;
        if (divisor != 0.0) {
            push_number(divisor);
            first = false;
        }
        for (const Factor* f : down) {
            emit_factor(*f);
            if (!first) push_op(Op::Mul);
            first = false;
        }
        push_op(Op::Div);
    }

    // A sum's number: p/q when its decimal does not end (q = 3, 6, 7, 9, 11, 12; a snapped
    // 1/3 prints as 1 - 1/3, not 0.3333333333333333), else the number.
    void push_sum_constant(double v) {
        if (!options_.canonical && std::isfinite(v) && v != std::nearbyint(v)) {
            for (int q : {3, 6, 7, 9, 11, 12}) {
                const double p = std::nearbyint(v * q);
                if (std::abs(p) <= 1000.0 && p / q == v && std::gcd(static_cast<long long>(std::abs(p)), q) == 1) {
                    push_number(p);
                    push_number(q);
                    push_op(Op::Div);
                    return;
                }
            }
        }
        push_number(v);
    }

    // A term of a sum, negated when `flip`.
    void emit_term(const NF* t, bool flip) {
        if (t == nullptr) return;
        if (t->kind == Kind::Prod) {
            Coef c = t->coef;
            if (flip) c.num = -c.num;
            emit_product(rounded(flip ? -t->value : t->value), c, t->factors);
            return;
        }
        emit_node(t);
        if (flip) push_op(Op::Neg);
    }

    void emit_sum(const NF* n) {
        struct Item {
            const NF* term;  // nullptr: the constant
            bool negative;
        };
        std::vector<Item> items;
        for (const NF* t : n->terms) items.push_back({t, term_coef(t) < 0.0});
        if (n->value != 0.0) items.push_back({nullptr, n->value < 0.0});
        if (!options_.canonical && items.front().negative) {
            auto positive = std::find_if(items.begin(), items.end(), [](const Item& i) { return !i.negative; });
            if (positive != items.end()) std::rotate(items.begin(), positive, positive + 1);
        }
        for (std::size_t i = 0; i < items.size(); ++i) {
            bool flip = i > 0 && items[i].negative;
            if (items[i].term == nullptr)
                push_sum_constant(flip ? -n->value : n->value);
            else
                emit_term(items[i].term, flip);
            if (i > 0) push_op(flip ? Op::Sub : Op::Add);
        }
    }

    NormalFormOptions options_;
    bool distributing_ = false;  // inside distribute_into_sum: no second distribution
    std::deque<NF> arena_;
    Expression out_;
};

}  // namespace

Expression normal_form(const Expression& e, const NormalFormOptions& options) {
    if (e.empty()) return Expression();
    Builder builder(options);
    const NF* root = builder.build(e);
    if (options.factor_sums && !options.canonical) root = builder.factor_sums(root);
    return builder.emit(root);
}

}  // namespace kepler::detail
