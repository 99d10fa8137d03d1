#include "monomial_fit.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "kepler/core/evaluator.hpp"

namespace kepler::pipeline {

namespace {

// Beyond two groups the grid grows as 13^n and the enumeration does better.
constexpr std::size_t kMaxGroups = 2;

std::vector<double> exponents() {
    std::vector<double> out;
    for (int twice = -6; twice <= 6; ++twice) out.push_back(0.5 * twice);
    return out;
}

// g^e as a formula (e != 0).
Expression power(const Expression& g, double e) {
    return e == 1.0 ? g : Expression::binary(Op::Pow, g, Expression::constant(e));
}

}  // namespace

std::optional<QuickFit> monomial_fit(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    if (!plan.monomial || plan.groups.size() > kMaxGroups) return std::nullopt;
    Evaluator evaluate;
    const Eigen::VectorXd m = evaluate(*plan.monomial, X);
    std::vector<Eigen::VectorXd> g;
    for (const Expression& group : plan.groups) g.push_back(evaluate(group, X));
    const std::vector<double> grid = exponents();
    std::size_t combinations = 1;  // one exponent of the grid per group
    for (std::size_t i = 0; i < g.size(); ++i) combinations *= grid.size();
    double best_rmse = std::numeric_limits<double>::infinity(), best_k = 0.0;
    std::vector<double> best_e;
    for (std::size_t c = 0; c < combinations; ++c) {
        std::vector<double> e;
        Eigen::ArrayXd basis = m.array();
        for (std::size_t i = 0, rest = c; i < g.size(); ++i, rest /= grid.size()) {
            e.push_back(grid[rest % grid.size()]);
            if (e.back() != 0.0) basis *= g[i].array().pow(e.back());
        }
        const double bb = basis.matrix().squaredNorm();
        if (!basis.allFinite() || !(bb > 0.0) || !std::isfinite(bb)) continue;
        const double k = basis.matrix().dot(y) / bb;
        if (!std::isfinite(k) || k == 0.0) continue;
        const double rmse = std::sqrt((k * basis.matrix() - y).squaredNorm() / static_cast<double>(y.size()));
        if (rmse < best_rmse) best_rmse = rmse, best_k = k, best_e = e;
    }
    if (!std::isfinite(best_rmse)) return std::nullopt;
    Expression f = Expression::binary(Op::Mul, Expression::constant(best_k), *plan.monomial);
    for (std::size_t i = 0; i < g.size(); ++i)
        if (best_e[i] != 0.0) f = Expression::binary(Op::Mul, f, power(plan.groups[i], best_e[i]));
    return QuickFit{std::move(f),
                    g.empty() ? "the target's monomial" : "the target's monomial times powers of the groups",
                    best_rmse};
}

}  // namespace kepler::pipeline
