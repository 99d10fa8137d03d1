#include "angle_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "group_terms.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/gram_subsets.hpp"

namespace kepler::pipeline {

namespace {

// Exponents in halves: |e| summed over the other groups at most kMaxHalves / 2.
constexpr int kMaxHalves = 4;

// A group that can stand for an angle: an input, or a product of inputs (and of the powers of
// two that undo the search's scaling), not a ratio (cos(I1/I2) is nobody's law).
bool is_angle(const Expression& group) {
    const auto nodes = group.nodes();
    return std::all_of(nodes.begin(), nodes.end(),
                       [](const Node& n) { return n.op == Op::Var || n.op == Op::Mul || n.op == Op::Const; });
}

// Exponents of the other groups, in halves (1 is g^(1/2)); degree() (group_terms.hpp) sums
// their absolute values, in halves too.
using Halves = Powers;

// Every exponent vector over `groups` groups with |e| summed at most kMaxHalves, by degree.
std::vector<Halves> half_monomials(std::size_t groups) {
    std::vector<Halves> out;
    Halves e(groups, -kMaxHalves);
    while (true) {
        if (degree(e) <= kMaxHalves) out.push_back(e);
        std::size_t i = 0;
        while (i < groups && e[i] == kMaxHalves) e[i++] = -kMaxHalves;
        if (i == groups) break;
        ++e[i];
    }
    std::stable_sort(out.begin(), out.end(), [](const Halves& p, const Halves& q) { return degree(p) < degree(q); });
    return out;
}

// prod g_i^(e_i/2) on every row (a half power of a group with a negative value is NaN there).
Eigen::ArrayXd half_values(const std::vector<Eigen::ArrayXd>& g, const Halves& e, Eigen::Index rows) {
    Eigen::ArrayXd v = Eigen::ArrayXd::Ones(rows);
    for (std::size_t i = 0; i < g.size(); ++i)
        if (e[i] != 0) v *= e[i] % 2 == 0 ? g[i].pow(e[i] / 2) : g[i].pow(0.5 * e[i]);
    return v;
}

// g^(h/2): g, sqrt(g), g^2, g^1.5.
Expression half_power(const Expression& g, int halves) {
    if (halves == 2) return g;
    if (halves == 1) return Expression::unary(Op::Sqrt, g);
    return Expression::binary(Op::Pow, g, Expression::constant(0.5 * halves));
}

// coefficient * prod g_i^(e_i/2), the negative powers as a division.
Expression half_term(double coefficient, const std::vector<Expression>& groups, const Halves& e) {
    Expression out = Expression::constant(coefficient);
    for (std::size_t i = 0; i < e.size(); ++i)
        if (e[i] > 0) out = Expression::binary(Op::Mul, out, half_power(groups[i], e[i]));
    for (std::size_t i = 0; i < e.size(); ++i)
        if (e[i] < 0) out = Expression::binary(Op::Div, out, half_power(groups[i], -e[i]));
    return out;
}

// The columns: m*M for every monomial M of the other groups, then m*M*cos(theta), then
// m*M*sin(theta); a term is a monomial and its factor (0: none, 1: cos, 2: sin).
struct Columns {
    std::vector<Halves> monomials;
    Eigen::MatrixXd values;
    Eigen::Index of(std::size_t monomial, int factor) const {
        return static_cast<Eigen::Index>(factor * monomials.size() + monomial);
    }
};

// The angle of a fit: one group, or the difference of two (a phase difference theta1 - theta2,
// which the law of cosines and interference of two sources hold), with its values on the
// subsample and the groups it uses.
struct Angle {
    Expression formula;
    Eigen::ArrayXd values;
    std::vector<std::size_t> groups;
};

std::vector<Angle> angles(const DimensionalPlan& plan, const Subsample& s) {
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < plan.groups.size(); ++i)
        if (is_angle(plan.groups[i])) candidates.push_back(i);
    std::vector<Angle> out;
    for (std::size_t i : candidates) out.push_back({plan.groups[i], s.g[i], {i}});
    for (std::size_t a = 0; a < candidates.size(); ++a)
        for (std::size_t b = a + 1; b < candidates.size(); ++b) {
            const std::size_t i = candidates[a], j = candidates[b];
            out.push_back({Expression::binary(Op::Sub, plan.groups[i], plan.groups[j]), s.g[i] - s.g[j], {i, j}});
        }
    return out;
}

// Whether group i is one of the angle's.
bool uses(const Angle& angle, std::size_t i) {
    return std::find(angle.groups.begin(), angle.groups.end(), i) != angle.groups.end();
}

// The two shapes: y itself is the sum, or y is the monomial times the square root of the sum
// (the law of cosines, sqrt(x1^2 + x2^2 - 2*x1*x2*cos(theta1 - theta2)), is x1 times the root of
// 1 + g^2 - 2*g*cos(theta1 - theta2) in g = x2/x1); the root's sum is fitted to y^2 with the
// columns scaled by m^2, not to (y/m)^2, which would divide the noise by m.
enum class Shape { Plain, Root };

Columns columns(const Subsample& s, const Angle& angle, Shape shape) {
    std::vector<Eigen::ArrayXd> others;
    for (std::size_t i = 0; i < s.g.size(); ++i)
        if (!uses(angle, i)) others.push_back(s.g[i]);
    Columns c{half_monomials(others.size()), {}};
    // Half powers only of groups positive on every row.
    std::erase_if(c.monomials, [&](const Halves& e) {
        for (std::size_t i = 0; i < e.size(); ++i)
            if (e[i] % 2 != 0 && !(others[i] > 0.0).all()) return true;
        return false;
    });
    const Eigen::Index rows = s.y.size(), n = static_cast<Eigen::Index>(c.monomials.size());
    c.values.resize(rows, 3 * n);
    const Eigen::ArrayXd cosine = angle.values.cos(), sine = angle.values.sin();
    const Eigen::ArrayXd scale = shape == Shape::Plain ? s.m : s.m.square();
    for (std::size_t k = 0; k < c.monomials.size(); ++k) {
        const Eigen::ArrayXd v = scale * half_values(others, c.monomials[k], rows);
        c.values.col(c.of(k, 0)) = v.matrix();
        c.values.col(c.of(k, 1)) = (v * cosine).matrix();
        c.values.col(c.of(k, 2)) = (v * sine).matrix();
    }
    return c;
}

// A choice of columns (at most 3), its size and degree, and its residual.
struct Choice {
    std::vector<Eigen::Index> columns;
    int degree = 0;
    double rss = std::numeric_limits<double>::infinity();
};

// The choices with one angle term and up to two plain ones, and with a cosine and a sine term
// of one monomial and up to one plain term; by size, then degree.
std::vector<Choice> choices(const Columns& c) {
    const std::size_t n = c.monomials.size();
    auto total = [&](std::initializer_list<std::size_t> ks) {
        int d = 0;
        for (std::size_t k : ks) d += degree(c.monomials[k]);
        return d;
    };
    std::vector<Choice> out;
    for (int factor = 1; factor <= 2; ++factor)
        for (std::size_t a = 0; a < n; ++a) {
            const Eigen::Index angle = c.of(a, factor);
            out.push_back({{angle}, total({a})});
            for (std::size_t i = 0; i < n; ++i) {
                out.push_back({{c.of(i, 0), angle}, total({a, i})});
                for (std::size_t j = i + 1; j < n; ++j)
                    out.push_back({{c.of(i, 0), c.of(j, 0), angle}, total({a, i, j})});
            }
        }
    for (std::size_t a = 0; a < n; ++a) {
        out.push_back({{c.of(a, 1), c.of(a, 2)}, 2 * total({a})});
        for (std::size_t i = 0; i < n; ++i)
            out.push_back({{c.of(i, 0), c.of(a, 1), c.of(a, 2)}, 2 * total({a}) + total({i})});
    }
    std::stable_sort(out.begin(), out.end(), [](const Choice& x, const Choice& y) {
        return x.columns.size() != y.columns.size() ? x.columns.size() < y.columns.size() : x.degree < y.degree;
    });
    return out;
}

// The formula of a choice with the coefficients of its linear fit on the subsample.
Expression formula(const DimensionalPlan& plan, const Angle& angle, Shape shape, const Columns& c, const Choice& choice,
                   const Eigen::VectorXd& coefficients) {
    std::vector<Expression> others;
    for (std::size_t i = 0; i < plan.groups.size(); ++i)
        if (!uses(angle, i)) others.push_back(plan.groups[i]);
    const auto n = static_cast<Eigen::Index>(c.monomials.size());
    std::optional<Expression> sum;
    for (std::size_t k = 0; k < choice.columns.size(); ++k) {
        const Eigen::Index column = choice.columns[k];
        const auto factor = static_cast<int>(column / n);
        Expression t = half_term(coefficients(static_cast<Eigen::Index>(k)), others,
                                 c.monomials[static_cast<std::size_t>(column % n)]);
        if (factor > 0)
            t = Expression::binary(Op::Mul, t, Expression::unary(factor == 1 ? Op::Cos : Op::Sin, angle.formula));
        sum = sum ? Expression::binary(Op::Add, *sum, t) : t;
    }
    if (shape == Shape::Root) sum = Expression::unary(Op::Sqrt, *sum);
    return Expression::binary(Op::Mul, *plan.monomial, *sum);
}

// For each size, the best choice by residual, simplest first (a later one must beat it by the
// margin); the search ends at the first exact choice.
std::array<std::optional<Choice>, 3> best_choices(const Columns& c, const GramSubsets& subsets, double yy) {
    std::array<std::optional<Choice>, 3> best;
    for (Choice& choice : choices(c)) {
        std::optional<Choice>& kept = best[choice.columns.size() - 1];
        choice.rss = subsets.rss(choice.columns, 1e-12);
        if (!kept || choice.rss < kept->rss * (1.0 - kSimplerMargin)) kept = choice;
        if (choice.rss <= 1e-20 * yy) break;
    }
    return best;
}

}  // namespace

std::vector<QuickFit> angle_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    std::vector<QuickFit> out;
    Evaluator evaluate;
    const std::optional<Subsample> sample = subsample(plan, X, y, evaluate);
    if (!sample) return out;
    const double target_rms = root_mean_square(y);
    // The root only where the monomial is positive and so is y (but where the noise changes its sign).
    const bool root = (sample->m > 0.0).all() && positive_but_noise(sample->y.array(), sample->y.array());
    const std::vector<Angle> candidates = angles(plan, *sample);
    for (const Shape shape : {Shape::Plain, Shape::Root}) {
        if (shape == Shape::Root && !root) continue;
        const Eigen::VectorXd target = shape == Shape::Plain ? sample->y : sample->y.array().square().matrix();
        for (const Angle& angle : candidates) {
            double previous = std::numeric_limits<double>::infinity();
            const Columns c = columns(*sample, angle, shape);
            if (!c.values.allFinite() || (c.values.colwise().norm().array() == 0.0).any()) continue;
            const GramSubsets subsets(c.values, target);
            for (const std::optional<Choice>& choice : best_choices(c, subsets, target.squaredNorm())) {
                if (!choice || !std::isfinite(choice->rss)) continue;
                const Eigen::VectorXd k = subsets.coefficients(choice->columns, 1e-12);
                if (k.size() == 0 || !k.allFinite()) continue;
                const Expression f = refit(formula(plan, angle, shape, c, *choice, k), X, y);
                std::string kind = shape == Shape::Plain ? "powers of the groups and the cosine or sine of an angle, "
                                                         : "square root of powers of the groups and the cosine or "
                                                           "sine of an angle, ";
                kind += terms_label(static_cast<int>(choice->columns.size()), 0);
                if (admit(f, std::move(kind), X, y, target_rms, previous, out, evaluate)) return out;
            }
        }
    }
    return out;
}

}  // namespace kepler::pipeline
