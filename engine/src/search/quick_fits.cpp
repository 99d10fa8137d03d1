#include "kepler/search/quick_fits.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "dimension_rules.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/gram_subsets.hpp"
#include "kepler/units/dimension.hpp"
#include "search_rows.hpp"

namespace kepler {

namespace {

using Exponents = std::vector<Rational>;  // one per input

// x0^e0 * x1^e1 * ... as a formula (inputs with exponent 0 left out; 1 for none).
Expression monomial(const Exponents& e) {
    std::optional<Expression> product;
    for (std::size_t k = 0; k < e.size(); ++k) {
        if (e[k] == Rational(0)) continue;
        Expression factor = Expression::variable(static_cast<std::uint16_t>(k));
        if (e[k] != Rational(1)) factor = Expression::binary(Op::Pow, factor, Expression::constant(e[k].to_double()));
        product = product ? Expression::binary(Op::Mul, *product, factor) : factor;
    }
    return product ? *product : Expression::constant(1.0);
}

Eigen::VectorXd monomial_values(const Eigen::MatrixXd& X, const Exponents& e) {
    Eigen::VectorXd v = Eigen::VectorXd::Ones(X.rows());
    for (std::size_t k = 0; k < e.size(); ++k) {
        if (e[k] == Rational(0)) continue;
        const auto col = X.col(static_cast<Eigen::Index>(k)).array();
        if (e[k].is_integer() && e[k].num() > 0)
            for (int i = 0; i < e[k].num(); ++i) v.array() *= col;  // exact, and defined for x < 0
        else
            v.array() *= col.pow(e[k].to_double());
    }
    return v;
}

// Whether a term c*x^e may stand in a formula for the target: its coefficient c must be able
// to carry the dimension the target needs from it.
bool admissible(const std::optional<DimensionalConstraints>& dims, const Exponents& e) {
    if (!dims) return true;
    try {
        Dimension d;
        for (std::size_t k = 0; k < e.size(); ++k)
            if (e[k] != Rational(0)) d = d * dims->variables[k].pow(e[k]);
        return detail::scale_admissible(*dims, dims->target, d);
    } catch (const std::overflow_error&) {
        return false;
    }
}

bool allows(const std::vector<Op>& operators, Op op) {
    return operators.empty() || std::find(operators.begin(), operators.end(), op) != operators.end();
}

// Whether x^e can be written with the operators allowed: integer powers as products (and a
// quotient when negative), halves with sqrt, other fractions with ^.
bool writable(const std::vector<Op>& operators, const Exponents& e) {
    for (const Rational& r : e) {
        if (r == Rational(0)) continue;
        if (r.num() < 0 && !allows(operators, Op::Div)) return false;
        if (r.den() == 2 && !allows(operators, Op::Sqrt)) return false;
        if (r.den() > 2 && !allows(operators, Op::Pow)) return false;
    }
    return allows(operators, Op::Mul);
}

// Every exponent vector of total degree 0..degree (the intercept first).
std::vector<Exponents> monomials_up_to(std::size_t inputs, int degree) {
    std::vector<Exponents> out;
    std::vector<int> e(inputs, 0);
    auto add = [&] {
        Exponents r;
        for (int v : e) r.emplace_back(v);
        out.push_back(std::move(r));
    };
    // Odometer over {0..degree}^inputs, keeping total degree <= degree.
    while (true) {
        int total = 0;
        for (int v : e) total += v;
        if (total <= degree) add();
        std::size_t k = 0;
        while (k < inputs && ++e[k] > degree) e[k++] = 0;
        if (k == inputs) break;
    }
    std::stable_sort(out.begin(), out.end(), [](const Exponents& a, const Exponents& b) {
        int ta = 0, tb = 0;
        for (const Rational& r : a) ta += static_cast<int>(r.to_double());
        for (const Rational& r : b) tb += static_cast<int>(r.to_double());
        return ta < tb;
    });
    return out;
}

double rmse_of(const Eigen::VectorXd& residual) {
    return std::sqrt(residual.squaredNorm() / static_cast<double>(std::max<Eigen::Index>(1, residual.size())));
}

// The nearest half or third: 0.98 -> 1, 0.49 -> 1/2, -0.34 -> -1/3.
Rational snapped_exponent(double p) {
    const Rational half(static_cast<int>(std::lround(2.0 * p)), 2);
    const Rational third(static_cast<int>(std::lround(3.0 * p)), 3);
    return std::abs(half.to_double() - p) <= std::abs(third.to_double() - p) ? half : third;
}

std::optional<QuickFit> power_law(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const QuickFitOptions& options) {
    const std::optional<DimensionalConstraints>& dims = options.dimensions;
    const bool positive = (y.array() > 0.0).all(), negative = (y.array() < 0.0).all();
    if (!positive && !negative) return std::nullopt;
    std::vector<Eigen::Index> usable;  // positive inputs only: log x must exist
    for (Eigen::Index k = 0; k < X.cols(); ++k)
        if ((X.col(k).array() > 0.0).all()) usable.push_back(k);
    if (usable.empty()) return std::nullopt;
    Eigen::MatrixXd A(X.rows(), static_cast<Eigen::Index>(usable.size()) + 1);
    A.col(0).setOnes();
    for (std::size_t j = 0; j < usable.size(); ++j)
        A.col(static_cast<Eigen::Index>(j) + 1) = X.col(usable[j]).array().log();
    const Eigen::VectorXd logy = y.array().abs().log();
    const Eigen::VectorXd p = A.colPivHouseholderQr().solve(logy);
    Exponents e(static_cast<std::size_t>(X.cols()), Rational(0));
    bool any = false;
    for (std::size_t j = 0; j < usable.size(); ++j) {
        const double v = p(static_cast<Eigen::Index>(j) + 1);
        if (!std::isfinite(v) || std::abs(v) > 4.0) return std::nullopt;
        e[static_cast<std::size_t>(usable[j])] = snapped_exponent(v);
        any = any || e[static_cast<std::size_t>(usable[j])] != Rational(0);
    }
    if (!any || !admissible(dims, e) || !writable(options.operators, e)) return std::nullopt;
    const Eigen::VectorXd g = monomial_values(X, e);
    const double gg = g.squaredNorm();
    if (!(gg > 0.0) || !std::isfinite(gg)) return std::nullopt;
    const double c = g.dot(y) / gg;
    QuickFit fit;
    fit.formula = Expression::binary(Op::Mul, Expression::constant(c), monomial(e));
    fit.kind = "power law";
    fit.rmse = rmse_of(y - c * g);
    return fit;
}

// The best subset of each size 1..max_terms by exhaustive search, each scored on the Gram
// matrix (fitting/gram_subsets.hpp: C(66, 4) = 720,720 subsets of 4 among the 66 monomials of
// 10 inputs take tens of milliseconds). Greedy forward selection is cheaper but
// misses laws like x0 - x1, whose first step takes x0^2 and never recovers.
std::vector<QuickFit> polynomial(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const QuickFitOptions& options) {
    std::vector<QuickFit> out;
    const auto inputs = static_cast<std::size_t>(X.cols());
    if (inputs == 0 || inputs > options.max_inputs || !allows(options.operators, Op::Add) ||
        !allows(options.operators, Op::Mul))
        return out;
    std::vector<Exponents> terms;
    std::vector<Eigen::VectorXd> columns;
    for (Exponents& e : monomials_up_to(inputs, inputs <= 5 ? 3 : 2)) {
        if (!admissible(options.dimensions, e)) continue;
        Eigen::VectorXd v = monomial_values(X, e);
        if (!v.allFinite() || !(v.squaredNorm() > 0.0)) continue;
        terms.push_back(std::move(e));
        columns.push_back(std::move(v));
    }
    const auto K = static_cast<Eigen::Index>(columns.size());
    if (K == 0) return out;
    const Eigen::Index m = X.rows();
    Eigen::MatrixXd M(m, K);
    for (Eigen::Index j = 0; j < K; ++j) M.col(j) = columns[static_cast<std::size_t>(j)];
    const GramSubsets gram(M, y);
    const double target_rms = root_mean_square(y);
    double previous = std::numeric_limits<double>::infinity();
    const auto max_size = std::min(static_cast<Eigen::Index>(std::min<std::size_t>(options.max_terms, columns.size())),
                                   GramSubsets::kMaxSubset);
    for (Eigen::Index size = 1; size <= max_size; ++size) {
        std::vector<Eigen::Index> subset(static_cast<std::size_t>(size));
        for (Eigen::Index i = 0; i < size; ++i) subset[static_cast<std::size_t>(i)] = i;
        std::vector<Eigen::Index> best;
        double best_rss = std::numeric_limits<double>::infinity();
        while (true) {
            const double rss = gram.rss(subset);
            if (rss < best_rss) {
                best_rss = rss;
                best = subset;
            }
            // Next combination in lexicographic order.
            Eigen::Index i = size - 1;
            while (i >= 0 && subset[static_cast<std::size_t>(i)] == K - size + i) --i;
            if (i < 0) break;
            ++subset[static_cast<std::size_t>(i)];
            for (Eigen::Index j = i + 1; j < size; ++j)
                subset[static_cast<std::size_t>(j)] = subset[static_cast<std::size_t>(j - 1)] + 1;
        }
        if (best.empty()) break;

        // The coefficients on the chosen columns themselves, by QR (the Gram matrix squares
        // the condition number; fine for choosing, not for the digits of an exact law).
        Eigen::MatrixXd A(m, size);
        for (Eigen::Index j = 0; j < size; ++j)
            A.col(j) = columns[static_cast<std::size_t>(best[static_cast<std::size_t>(j)])];
        const Eigen::VectorXd c = A.colPivHouseholderQr().solve(y);
        if (!c.allFinite()) break;
        const double rss = (y - A * c).squaredNorm();
        if (!(rss < previous)) break;  // a larger subset that fits no better
        previous = rss;
        std::optional<Expression> sum;
        for (Eigen::Index j = 0; j < size; ++j) {
            const Exponents& e = terms[static_cast<std::size_t>(best[static_cast<std::size_t>(j)])];
            const bool intercept = std::all_of(e.begin(), e.end(), [](const Rational& r) { return r == Rational(0); });
            Expression term = intercept ? Expression::constant(c(j))
                                        : Expression::binary(Op::Mul, Expression::constant(c(j)), monomial(e));
            sum = sum ? Expression::binary(Op::Add, *sum, term) : term;
        }
        QuickFit fit;
        fit.formula = *sum;
        fit.kind = "polynomial, ";
        fit.kind += std::to_string(size);
        fit.kind += size == 1 ? " term" : " terms";
        fit.rmse = std::sqrt(rss / static_cast<double>(m));
        const bool exact = is_exact_fit(fit.rmse, target_rms);
        out.push_back(std::move(fit));
        if (exact) break;  // an exact fit wants no more terms
    }
    return out;
}

}  // namespace

std::vector<QuickFit> quick_fits(const Eigen::MatrixXd& X_all, const Eigen::VectorXd& y_all,
                                 const QuickFitOptions& options) {
    detail::check_search_table(X_all, y_all, options.dimensions, "quick_fits");
    std::vector<QuickFit> out;
    if (y_all.size() < 3) return out;
    // An even subsample: every k-th row (the fits are linear, a random draw buys nothing).
    const Eigen::Index n = y_all.size();
    const Eigen::Index step =
        std::max<Eigen::Index>(1, (n + static_cast<Eigen::Index>(options.max_rows) - 1) /
                                      static_cast<Eigen::Index>(std::max<std::size_t>(1, options.max_rows)));
    const Eigen::Index m = (n + step - 1) / step;
    Eigen::MatrixXd X(m, X_all.cols());
    Eigen::VectorXd y(m);
    for (Eigen::Index i = 0; i < m; ++i) {
        X.row(i) = X_all.row(i * step);
        y(i) = y_all(i * step);
    }
    if (auto p = power_law(X, y, options)) out.push_back(std::move(*p));
    for (QuickFit& f : polynomial(X, y, options)) out.push_back(std::move(f));
    return out;
}

}  // namespace kepler
