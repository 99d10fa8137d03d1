#include "binomial_root_fit.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "group_terms.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/gram_subsets.hpp"

namespace kepler::pipeline {

namespace {

// A larger choice of a, b and e replaces a simpler one only when it lowers the linearised
// residual by more than this share: at the noise, same-sized fits differ by chance.
constexpr double kSimplerMargin = 0.01;

Powers sum(const Powers& p, const Powers& q) {
    Powers out(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) out[i] = p[i] + q[i];
    return out;
}

// The linearised problem's columns: m^2*g^s for every s = a + b over pairs of monomials (a = b
// included), then -y^2*g^e for every monomial e != 0; scored against y^2.
struct SquaredProblem {
    std::map<Powers, Eigen::Index> square_column;  // s -> column
    std::vector<Powers> denominators;              // e of column square_column.size() + i
    Eigen::MatrixXd columns;
    std::optional<GramSubsets> subsets;
};

SquaredProblem squared_problem(const std::vector<Powers>& monomials, const Subsample& s) {
    SquaredProblem p;
    for (const Powers& a : monomials)
        for (const Powers& b : monomials) p.square_column.emplace(sum(a, b), 0);
    Eigen::Index next = 0;
    for (auto& entry : p.square_column) entry.second = next++;
    p.denominators.assign(monomials.begin() + 1, monomials.end());
    const Eigen::Index rows = s.y.size();
    p.columns.resize(rows, next + static_cast<Eigen::Index>(p.denominators.size()));
    // Rows weighed by 1/|y|: noise of one size on y is noise of size 2|y| on y^2.
    const Eigen::ArrayXd w = s.y.array().abs().inverse();
    const Eigen::ArrayXd m2 = s.m.square() * w, y2 = s.y.array().square() * w;
    for (const auto& [exponents, column] : p.square_column)
        p.columns.col(column) = (m2 * monomial_values(s.g, exponents, rows)).matrix();
    for (std::size_t i = 0; i < p.denominators.size(); ++i)
        p.columns.col(next + static_cast<Eigen::Index>(i)) =
            (-y2 * monomial_values(s.g, p.denominators[i], rows)).matrix();
    p.subsets.emplace(p.columns, y2.matrix());
    return p;
}

// One choice: P = k1*g^a + k2*g^b over sqrt(1 + d*g^e), and its four columns.
struct Choice {
    Powers a, b, e;
    std::array<Eigen::Index, 4> columns{};
    double rss = std::numeric_limits<double>::infinity();
};

// Choices refitted on y: at noise the linearised residual does not decide the powers (the
// Lorentz factor's 1 - u^2/c^2 against 1 - 2.7*u^4/c^4 differ by chance at 10 % noise), so the
// least one and the simplest of those within kSimplerMargin of it each get a refit, and the
// pick weighs their forms.
constexpr std::size_t kChoicesRefitted = 4;

// The choice with the least linearised residual, simplest first, then up to kChoicesRefitted in
// all of the simplest choices within kSimplerMargin of it; only the first exact one if any is.
// yy: the squared norm of the weighed target, y^2/|y|.
std::vector<Choice> best_choices(const std::vector<Powers>& monomials, const SquaredProblem& p, double yy) {
    std::vector<Choice> choices;
    const auto squares = static_cast<Eigen::Index>(p.square_column.size());
    for (std::size_t i = 0; i < monomials.size(); ++i)
        for (std::size_t j = i + 1; j < monomials.size(); ++j)
            for (std::size_t k = 0; k < p.denominators.size(); ++k) {
                const Powers &a = monomials[i], &b = monomials[j];
                choices.push_back(Choice{a,
                                         b,
                                         p.denominators[k],
                                         {p.square_column.at(sum(a, a)), p.square_column.at(sum(a, b)),
                                          p.square_column.at(sum(b, b)), squares + static_cast<Eigen::Index>(k)}});
            }
    std::stable_sort(choices.begin(), choices.end(), [](const Choice& x, const Choice& y) {
        return degree(x.a) + degree(x.b) + degree(x.e) < degree(y.a) + degree(y.b) + degree(y.e);
    });
    const Choice* best = nullptr;
    for (Choice& c : choices) {
        // The first exact choice stays: a larger one writes the same law less plainly.
        if (best && best->rss <= 1e-20 * yy) return {*best};
        // rcond: a denominator column -y^2*g^e can duplicate a square's column on exact data.
        c.rss = p.subsets->rss(c.columns, 1e-12);
        if (!best || c.rss < best->rss * (1.0 - kSimplerMargin)) best = &c;
    }
    if (!best || !std::isfinite(best->rss)) return {};
    if (best->rss <= 1e-20 * yy) return {*best};
    std::vector<Choice> out{*best};
    for (const Choice& c : choices)  // simplest first
        if (out.size() < kChoicesRefitted && &c != best && c.rss <= best->rss * (1.0 + kSimplerMargin))
            out.push_back(c);
    return out;
}

// The start of the refit from the linear coefficients A, B, C, d (A*g^2a + B*g^(a+b) + C*g^2b
// = (k1*g^a + k2*g^b)^2), with the sign of P that of y/m on the subsample; none when neither
// square's coefficient is positive.
std::optional<Expression> start(const DimensionalPlan& plan, const Choice& c, const SquaredProblem& p,
                                const Subsample& s) {
    Eigen::MatrixXd A(s.y.size(), 4);
    for (Eigen::Index j = 0; j < 4; ++j) A.col(j) = p.columns.col(c.columns[static_cast<std::size_t>(j)]);
    const Eigen::VectorXd coefficients = A.colPivHouseholderQr().solve(s.y.cwiseAbs());  // y^2 weighed by 1/|y|
    if (!coefficients.allFinite()) return std::nullopt;
    double k1 = 0.0, k2 = 0.0;
    if (coefficients(0) > 0.0) {
        k1 = std::sqrt(coefficients(0));
        k2 = coefficients(1) / (2.0 * k1);
    } else if (coefficients(2) > 0.0) {
        k2 = std::sqrt(coefficients(2));
        k1 = coefficients(1) / (2.0 * k2);
    } else {
        return std::nullopt;
    }
    const Eigen::ArrayXd P = k1 * monomial_values(s.g, c.a, s.y.size()) + k2 * monomial_values(s.g, c.b, s.y.size());
    if ((s.y.array() * s.m * P).sum() < 0.0) k1 = -k1, k2 = -k2;
    const Expression top = Expression::binary(
        Op::Mul, *plan.monomial, Expression::binary(Op::Add, term(k1, plan.groups, c.a), term(k2, plan.groups, c.b)));
    const Expression root = Expression::unary(
        Op::Sqrt, Expression::binary(Op::Add, Expression::constant(1.0), term(coefficients(3), plan.groups, c.e)));
    return Expression::binary(Op::Div, top, root);
}

}  // namespace

std::vector<QuickFit> binomial_root_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X,
                                         const Eigen::VectorXd& y) {
    std::vector<QuickFit> out;
    Evaluator evaluate;
    const std::optional<Subsample> sample = subsample(plan, X, y, evaluate);
    if (!sample || !(sample->y.array() != 0.0).all()) return out;
    const std::vector<Powers> monomials = group_monomials(sample->g.size());
    const SquaredProblem problem = squared_problem(monomials, *sample);
    for (const Choice& choice : best_choices(monomials, problem, sample->y.squaredNorm())) {
        const std::optional<Expression> f = start(plan, choice, problem, *sample);
        if (!f) continue;
        double previous = std::numeric_limits<double>::infinity();  // each choice on its own
        admit(refit(*f, X, y), "sum of two powers of the groups over the square root of two", X, y, root_mean_square(y),
              previous, out, evaluate);
    }
    return out;
}

}  // namespace kepler::pipeline
