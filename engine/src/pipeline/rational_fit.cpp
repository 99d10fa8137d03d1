#include "rational_fit.hpp"

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/fitting/exact_fit.hpp"

namespace kepler::pipeline {

namespace {

// Beyond three groups the monomials (and the choices among them) grow too fast for a quick fit;
// the enumeration does better there.
constexpr std::size_t kMaxGroups = 3;
// Each exponent in -kMaxDegree..kMaxDegree, their absolute values summing to at most this.
constexpr int kMaxDegree = 2;
// The choice of terms is made on an even subsample of this many rows (the fits are linear);
// the refit runs on every row.
constexpr Eigen::Index kMaxRows = 2000;
// A term set of at most 2 + 2 columns: the solves need no heap.
constexpr int kMaxColumns = 4;
using SmallMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxColumns, kMaxColumns>;
using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxColumns, 1>;

using Powers = std::vector<int>;

// Every exponent vector over `groups` groups within the degree bound, the constant one first.
std::vector<Powers> group_monomials(std::size_t groups) {
    std::vector<Powers> out;
    Powers e(groups, -kMaxDegree);
    while (true) {
        int degree = 0;
        for (int p : e) degree += std::abs(p);
        if (degree <= kMaxDegree) out.push_back(e);
        std::size_t i = 0;
        while (i < groups && e[i] == kMaxDegree) e[i++] = -kMaxDegree;
        if (i == groups) break;
        ++e[i];
    }
    std::stable_partition(out.begin(), out.end(), [](const Powers& p) {
        return std::all_of(p.begin(), p.end(), [](int v) { return v == 0; });
    });
    return out;
}

Eigen::ArrayXd monomial_values(const std::vector<Eigen::ArrayXd>& g, const Powers& e, Eigen::Index rows) {
    Eigen::ArrayXd v = Eigen::ArrayXd::Ones(rows);
    for (std::size_t i = 0; i < g.size(); ++i)
        if (e[i] != 0) v *= g[i].pow(e[i]);
    return v;
}

// coefficient * prod g_i^e_i, the negative powers as a division.
Expression term(double coefficient, const std::vector<Expression>& groups, const Powers& e) {
    auto power = [&](std::size_t i) {
        const int p = std::abs(e[i]);
        return p == 1 ? groups[i] : Expression::binary(Op::Pow, groups[i], Expression::constant(p));
    };
    Expression out = Expression::constant(coefficient);
    for (std::size_t i = 0; i < e.size(); ++i)
        if (e[i] > 0) out = Expression::binary(Op::Mul, out, power(i));
    for (std::size_t i = 0; i < e.size(); ++i)
        if (e[i] < 0) out = Expression::binary(Op::Div, out, power(i));
    return out;
}

// The regressors of y*(1 + d) = m*k: m*g^e for the numerator's candidate terms, -y*g^e (e != 0)
// for the denominator's, with the Gram matrix of the columns scaled to unit norm.
struct Regressors {
    std::vector<Powers> numerator, denominator;
    Eigen::MatrixXd columns;  // numerator's first, then denominator's; unscaled
    Eigen::MatrixXd gram;     // of the unit-norm columns
    Eigen::VectorXd projection;
    double yy = 0.0;
};

Regressors regressors(const std::vector<Powers>& monomials, const Eigen::ArrayXd& m, const std::vector<Eigen::ArrayXd>& g,
                      const Eigen::VectorXd& y) {
    Regressors r;
    r.numerator = monomials;
    r.denominator.assign(monomials.begin() + 1, monomials.end());
    const Eigen::Index rows = y.size();
    const auto n = static_cast<Eigen::Index>(r.numerator.size()), d = static_cast<Eigen::Index>(r.denominator.size());
    r.columns.resize(rows, n + d);
    for (Eigen::Index j = 0; j < n; ++j)
        r.columns.col(j) = (m * monomial_values(g, r.numerator[static_cast<std::size_t>(j)], rows)).matrix();
    for (Eigen::Index j = 0; j < d; ++j)
        r.columns.col(n + j) =
            (-y.array() * monomial_values(g, r.denominator[static_cast<std::size_t>(j)], rows)).matrix();
    Eigen::MatrixXd unit = r.columns;
    for (Eigen::Index j = 0; j < unit.cols(); ++j) unit.col(j).normalize();
    r.gram = unit.transpose() * unit;
    r.projection = unit.transpose() * y;
    r.yy = y.squaredNorm();
    return r;
}

// Residual sum of squares of the columns `chosen` (indices into Regressors::columns); +inf when
// they are linearly dependent.
double subset_rss(const Regressors& r, const std::vector<Eigen::Index>& chosen) {
    const auto k = static_cast<Eigen::Index>(chosen.size());
    SmallMatrix G(k, k);
    SmallVector b(k);
    for (Eigen::Index i = 0; i < k; ++i) {
        b(i) = r.projection(chosen[static_cast<std::size_t>(i)]);
        for (Eigen::Index j = 0; j < k; ++j)
            G(i, j) = r.gram(chosen[static_cast<std::size_t>(i)], chosen[static_cast<std::size_t>(j)]);
    }
    const Eigen::LDLT<SmallMatrix> ldlt(G);
    if (ldlt.info() != Eigen::Success || !ldlt.isPositive() || ldlt.rcond() < 1e-12)
        return std::numeric_limits<double>::infinity();
    return r.yy - b.dot(ldlt.solve(b));
}

// Every subset of size 0, 1 or 2 of 0..count-1, offset by `first`.
std::vector<std::vector<Eigen::Index>> subsets(Eigen::Index first, Eigen::Index count, Eigen::Index size) {
    std::vector<std::vector<Eigen::Index>> out;
    if (size == 0) return {{}};
    for (Eigen::Index i = 0; i < count; ++i) {
        if (size == 1) out.push_back({first + i});
        else
            for (Eigen::Index j = i + 1; j < count; ++j) out.push_back({first + i, first + j});
    }
    return out;
}

// The numerator's and the denominator's terms with the least linearised residual, for one shape.
std::optional<std::vector<Eigen::Index>> best_terms(const Regressors& r, Eigen::Index numerator_terms,
                                                    Eigen::Index denominator_terms) {
    const auto n = static_cast<Eigen::Index>(r.numerator.size()), d = static_cast<Eigen::Index>(r.denominator.size());
    double best_rss = std::numeric_limits<double>::infinity();
    std::optional<std::vector<Eigen::Index>> best;
    const auto tops = subsets(0, n, numerator_terms), bottoms = subsets(n, d, denominator_terms);
    for (const auto& top : tops)
        for (const auto& bottom : bottoms) {
            std::vector<Eigen::Index> chosen = top;
            chosen.insert(chosen.end(), bottom.begin(), bottom.end());
            const double rss = subset_rss(r, chosen);
            if (rss < best_rss) best_rss = rss, best = std::move(chosen);
        }
    return best;
}

// b of a formula a/b.
Expression divisor(const Expression& quotient) {
    const std::size_t last = quotient.size() - 2;  // the divisor's subtree ends just before the Div
    const auto nodes = quotient.nodes();
    return Expression(std::vector<Node>(nodes.begin() + static_cast<std::ptrdiff_t>(quotient.subtree_begin(last)),
                                        nodes.begin() + static_cast<std::ptrdiff_t>(last) + 1));
}

// monomial * (sum of the chosen numerator terms) / (1 + sum of the chosen denominator terms),
// with coefficients c in the order of `chosen`; without denominator terms, no quotient.
Expression quotient(const DimensionalPlan& plan, const Regressors& r, const std::vector<Eigen::Index>& chosen,
                    const Eigen::VectorXd& c) {
    const auto n = static_cast<Eigen::Index>(r.numerator.size());
    std::optional<Expression> top, bottom;
    for (std::size_t j = 0; j < chosen.size(); ++j) {
        const Eigen::Index col = chosen[j];
        const double k = c(static_cast<Eigen::Index>(j));
        if (col < n) {
            Expression t = term(k, plan.groups, r.numerator[static_cast<std::size_t>(col)]);
            top = top ? Expression::binary(Op::Add, *top, t) : t;
        } else {
            Expression t = term(k, plan.groups, r.denominator[static_cast<std::size_t>(col - n)]);
            bottom = Expression::binary(Op::Add, bottom ? *bottom : Expression::constant(1.0), t);
        }
    }
    const Expression product = Expression::binary(Op::Mul, *plan.monomial, *top);
    return bottom ? Expression::binary(Op::Div, product, *bottom) : product;
}

}  // namespace

std::vector<QuickFit> rational_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    std::vector<QuickFit> out;
    if (!plan.monomial || plan.groups.empty() || plan.groups.size() > kMaxGroups || y.size() < 8) return out;
    // The choice of terms on an even subsample (every step-th row).
    const Eigen::Index step = (y.size() + kMaxRows - 1) / kMaxRows, rows = (y.size() + step - 1) / step;
    Eigen::MatrixXd Xs(rows, X.cols());
    Eigen::VectorXd ys(rows);
    for (Eigen::Index i = 0; i < rows; ++i) Xs.row(i) = X.row(i * step), ys(i) = y(i * step);
    Evaluator evaluate;
    const Eigen::ArrayXd m = evaluate(*plan.monomial, Xs).array();
    std::vector<Eigen::ArrayXd> g;
    for (const Expression& group : plan.groups) g.push_back(evaluate(group, Xs).array());
    auto usable = [](const Eigen::ArrayXd& v) { return v.allFinite() && (v != 0.0).all(); };
    if (!usable(m) || !std::all_of(g.begin(), g.end(), usable)) return out;
    const Regressors r = regressors(group_monomials(g.size()), m, g, ys);

    // Simplest shapes first; none with an empty denominator but two terms on top (one term on
    // top alone is the monomial quick fit's). An exact fit ends the list: a larger shape could
    // only write the same law with a common factor in numerator and denominator
    // (G*m1*m2*(1/r2 - 1/r1) as a quotient of two binomials), which the textbook form cannot cancel.
    double previous = std::numeric_limits<double>::infinity();
    const double target_rms = root_mean_square(y);
    for (const auto& [tops, bottoms] :
         {std::pair{2, 0}, std::pair{1, 1}, std::pair{2, 1}, std::pair{1, 2}, std::pair{2, 2}}) {
        const std::optional<std::vector<Eigen::Index>> chosen = best_terms(r, tops, bottoms);
        if (!chosen) continue;
        // The coefficients on the chosen columns themselves, by QR (the Gram matrix squares the
        // condition number), as the start of the refit on every row.
        Eigen::MatrixXd A(rows, static_cast<Eigen::Index>(chosen->size()));
        for (std::size_t j = 0; j < chosen->size(); ++j) A.col(static_cast<Eigen::Index>(j)) = r.columns.col((*chosen)[j]);
        const Eigen::VectorXd c = A.colPivHouseholderQr().solve(ys);
        if (!c.allFinite()) continue;
        Expression f = quotient(plan, r, *chosen, c);
        // Refit on every row (y itself, not the linearised form), then refuse a pole in the data.
        Expression with_parameters = constants_to_parameters(f);
        const ConstantFit fit = fit_constants(with_parameters, X, y);
        if (fit.improved) with_parameters.set_parameters(fit.parameters);
        f = with_parameters.with_parameters_frozen();
        if (bottoms > 0) {
            const Eigen::ArrayXd denominator = evaluate(divisor(f), X).array();
            if (!((denominator > 0.0).all() || (denominator < 0.0).all())) continue;
        }
        const Eigen::VectorXd predicted = evaluate(f, X);
        if (!predicted.allFinite()) continue;
        const double rmse = root_mean_square(predicted - y);
        if (!(rmse < previous)) continue;  // more terms that fit no better
        previous = rmse;
        const bool exact = is_exact_fit(rmse, target_rms);
        out.push_back(QuickFit{std::move(f),
                               bottoms == 0 ? "the target's monomial times a sum of powers of the groups, 2 terms"
                                            : "rational function of the groups, " + std::to_string(tops) + "/" +
                                                  std::to_string(bottoms + 1) + " terms",
                               rmse});
        if (exact) break;
    }
    return out;
}

}  // namespace kepler::pipeline
