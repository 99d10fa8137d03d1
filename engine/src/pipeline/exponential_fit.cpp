#include "exponential_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "group_terms.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/exact_fit.hpp"

namespace kepler::pipeline {

namespace {

// The choice of a, e and b is made on an even subsample of this many rows (each trial is a
// scalar least squares); the refit runs on every row.
constexpr Eigen::Index kMaxRows = 300;
// The grid over log10|b|: physical arguments hbar*omega/(k_B*T) carry factors like 1/(2*pi) or
// 1/2, well inside; steps of 1/4 decade leave golden-section search a bracket it does not miss
// (the residual is smooth and has one minimum in b over such a step), and 20 steps narrow it
// to 1e-5 of a decade, closer than the refit needs.
constexpr double kLogBLow = -3.0, kLogBHigh = 3.0, kGridStep = 0.25;
constexpr int kGoldenSteps = 20;

// The factor F(b*z) of each fit, y = k * p * F: 1/D(b*z) with D = exp(b*z) + s, or
// exp(b*z) + exp(-b*z) for a level pair; or a level pair's polarisation tanh(b*z), the
// difference of the two populations over their sum (a paramagnet's n*mu*tanh(mu*B/(k_B*T))).
struct Statistics {
    double s;           // the constant added to exp(b*z) in the denominator
    bool two_level;     // exp(-b*z) added instead: a spin 1/2 in a field, n_0/(2*cosh(b*z))
    bool polarisation;  // tanh(b*z) rather than 1/D
    const char* kind;   // the explanation's name of the fit
};
constexpr Statistics kStatistics[] = {
    {0.0, false, false, "Boltzmann factor of the groups"},
    {-1.0, false, false, "Bose-Einstein factor of the groups"},
    {1.0, false, false, "Fermi-Dirac factor of the groups"},
    {0.0, true, false, "two-level factor of the groups"},
    {0.0, true, true, "two-level polarisation of the groups"},
};

// F(b*z) on the rows; empty where a denominator changes sign on them (a pole inside the data).
Eigen::ArrayXd factor(const Statistics& statistics, const Eigen::ArrayXd& bz) {
    if (statistics.polarisation) return bz.tanh();
    const Eigen::ArrayXd d = statistics.two_level ? (bz.exp() + (-bz).exp()).eval() : (bz.exp() + statistics.s).eval();
    if (!keeps_one_sign(d)) return {};
    return d.inverse();
}

// The residual sum of squares of y on k * p * F(b*z), k by least squares (into `k`); +inf where
// a denominator changes sign on the rows or the column is not finite or zero.
double residual(const Eigen::ArrayXd& y, double yy, const Eigen::ArrayXd& p, const Eigen::ArrayXd& z,
                const Statistics& statistics, double b, double* k = nullptr) {
    const Eigen::ArrayXd f = factor(statistics, b * z);
    if (f.size() == 0) return std::numeric_limits<double>::infinity();
    const Eigen::ArrayXd h = p * f;
    const double hh = h.square().sum();
    if (!h.allFinite() || !(hh > 0.0) || !std::isfinite(hh)) return std::numeric_limits<double>::infinity();
    const double yh = (y * h).sum();
    if (k) *k = yh / hh;
    return std::max(0.0, yy - yh * yh / hh);
}

// One trial's outcome: y ~ k * p * F(b*z).
struct Trial {
    double rss = std::numeric_limits<double>::infinity();
    double b = 0.0, k = 0.0;
};

// The best b for fixed p, z and statistics: the grid over both signs, then golden-section search on
// log10|b| between the best grid point's neighbours.
Trial best_b(const Eigen::ArrayXd& y, double yy, const Eigen::ArrayXd& p, const Eigen::ArrayXd& z,
             const Statistics& s) {
    Trial best;
    double best_log = 0.0;
    for (const double sign : {1.0, -1.0})
        for (double t = kLogBLow; t <= kLogBHigh + 1e-9; t += kGridStep) {
            const double rss = residual(y, yy, p, z, s, sign * std::pow(10.0, t));
            if (rss < best.rss) best.rss = rss, best.b = sign * std::pow(10.0, t), best_log = t;
        }
    if (!std::isfinite(best.rss)) return best;
    const double sign = best.b > 0.0 ? 1.0 : -1.0;
    auto at = [&](double t) { return residual(y, yy, p, z, s, sign * std::pow(10.0, t)); };
    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
    double lo = best_log - kGridStep, hi = best_log + kGridStep;
    double x1 = hi - ratio * (hi - lo), x2 = lo + ratio * (hi - lo), f1 = at(x1), f2 = at(x2);
    for (int i = 0; i < kGoldenSteps; ++i) {
        if (f1 <= f2) {
            hi = x2, x2 = x1, f2 = f1;
            x1 = hi - ratio * (hi - lo), f1 = at(x1);
        } else {
            lo = x1, x1 = x2, f1 = f2;
            x2 = lo + ratio * (hi - lo), f2 = at(x2);
        }
    }
    const double t = f1 <= f2 ? x1 : x2;
    Trial refined;
    refined.b = sign * std::pow(10.0, t);
    refined.rss = residual(y, yy, p, z, s, refined.b, &refined.k);
    if (refined.rss <= best.rss) return refined;
    best.rss = residual(y, yy, p, z, s, best.b, &best.k);
    return best;
}

// An argument z: a monomial of the groups, times the square of the difference of two groups
// that are plain inputs when `difference` is set: a Gaussian about a mean, exp(-((theta -
// theta1)/sigma)^2/2), has no other z.
struct Argument {
    Powers e;
    std::optional<std::pair<std::size_t, std::size_t>> difference;
};

// Whether a group is one input (a dimensionless input: an angle, a count, a spread).
bool is_input(const Expression& group) {
    const auto nodes = group.nodes();
    return nodes.size() == 1 && nodes[0].op == Op::Var;
}

// The arguments z tried: every monomial but 1, and the squares of the products and ratios of
// two groups, whose degree 4 group_monomials leaves out: a Gaussian in a ratio of two
// dimensionless inputs, exp(-(theta/sigma)^2/2), has no other z. Then, for each two groups
// that are inputs, the square of their difference over the other groups' squares of degree at
// most 1 (((theta - theta1)/sigma)^2).
std::vector<Argument> exponent_arguments(const DimensionalPlan& plan, const std::vector<Powers>& monomials) {
    std::vector<Argument> out;
    for (const Powers& e : monomials)
        if (degree(e) > 0) out.push_back({e, std::nullopt});
    for (const Powers& e : monomials) {
        if (degree(e) != 2 || std::count(e.begin(), e.end(), 0) + 2 != static_cast<std::ptrdiff_t>(e.size())) continue;
        Powers square = e;
        for (int& p : square) p *= 2;
        out.push_back({std::move(square), std::nullopt});
    }
    const std::size_t n = plan.groups.size();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            if (!is_input(plan.groups[i]) || !is_input(plan.groups[j])) continue;
            for (const Powers& e : monomials) {
                if (degree(e) > 1 || e[i] != 0 || e[j] != 0) continue;
                Powers square = e;
                for (int& p : square) p *= 2;
                out.push_back({std::move(square), std::make_pair(i, j)});
            }
        }
    return out;
}

// z on the rows.
Eigen::ArrayXd argument_values(const Subsample& s, const Argument& z) {
    Eigen::ArrayXd v = monomial_values(s.g, z.e, s.y.size());
    if (z.difference) v *= (s.g[z.difference->first] - s.g[z.difference->second]).square();
    return v;
}

// b * z as a formula.
Expression argument_formula(const DimensionalPlan& plan, double b, const Argument& z) {
    Expression out = term(b, plan.groups, z.e);
    if (!z.difference) return out;
    const Expression d =
        Expression::binary(Op::Sub, plan.groups[z.difference->first], plan.groups[z.difference->second]);
    return Expression::binary(Op::Mul, out, Expression::binary(Op::Pow, d, Expression::constant(2.0)));
}

// k * monomial * g^a * exp(-b*z) for Boltzmann's, k * monomial * g^a * tanh(b*z) for a
// polarisation, k * monomial * g^a / D(b*z) otherwise.
Expression statistics_formula(const DimensionalPlan& plan, const Powers& a, const Argument& z,
                              const Statistics& statistics, const Trial& t) {
    const Expression prefactor = Expression::binary(Op::Mul, *plan.monomial, term(t.k, plan.groups, a));
    if (statistics.polarisation)
        return Expression::binary(Op::Mul, prefactor, Expression::unary(Op::Tanh, argument_formula(plan, t.b, z)));
    if (statistics.s == 0.0 && !statistics.two_level)
        return Expression::binary(Op::Mul, prefactor, Expression::unary(Op::Exp, argument_formula(plan, -t.b, z)));
    const Expression exponential = Expression::unary(Op::Exp, argument_formula(plan, t.b, z));
    const Expression added = statistics.two_level ? Expression::unary(Op::Exp, argument_formula(plan, -t.b, z))
                                                  : Expression::constant(statistics.s);
    return Expression::binary(Op::Div, prefactor, Expression::binary(Op::Add, exponential, added));
}

}  // namespace

std::vector<QuickFit> exponential_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X,
                                       const Eigen::VectorXd& y) {
    std::vector<QuickFit> out;
    Evaluator evaluate;
    const std::optional<Subsample> sample = subsample(plan, X, y, evaluate, kMaxRows);
    if (!sample) return out;
    const Eigen::ArrayXd ys = sample->y.array();
    const double yy = ys.square().sum();
    const Eigen::Index rows = ys.size();

    // Prefactors and arguments simplest first, so a larger one must earn its place.
    std::vector<Powers> monomials = group_monomials(sample->g.size());
    sort_by_degree(monomials);
    const std::vector<Argument> arguments = exponent_arguments(plan, monomials);
    const int max_prefactor_degree = sample->g.size() >= 3 ? 1 : kMaxDegree;
    const double target_rms = root_mean_square(y), sample_rms = root_mean_square(sample->y);
    for (const Statistics& statistics : kStatistics) {
        Trial best;
        Powers best_a;
        Argument best_z;
        for (const Powers& a : monomials) {
            if (degree(a) > max_prefactor_degree) continue;
            const Eigen::ArrayXd p = sample->m * monomial_values(sample->g, a, rows);
            for (const Argument& z : arguments) {
                const Trial t = best_b(ys, yy, p, argument_values(*sample, z), statistics);
                if (t.rss < best.rss * (1.0 - kSimplerMargin) &&
                    !is_exact_fit(std::sqrt(best.rss / static_cast<double>(rows)), sample_rms))
                    best = t, best_a = a, best_z = z;
            }
        }
        if (!std::isfinite(best.rss)) continue;
        double previous = std::numeric_limits<double>::infinity();  // each statistics stands alone
        admit(refit(statistics_formula(plan, best_a, best_z, statistics, best), X, y), statistics.kind, X, y,
              target_rms, previous, out, evaluate);
    }
    return out;
}

}  // namespace kepler::pipeline
