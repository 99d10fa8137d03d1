#include "rational_fit.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "group_terms.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/gram_subsets.hpp"

namespace kepler::pipeline {

namespace {

// The regressors of y*(1 + d) = m*k: m*g^e for the numerator's candidate terms, -y*g^e (e != 0)
// for the denominator's, and their subsets' scores; and, on every few rows, the values that
// score a choice on y itself (best_terms).
struct Regressors {
    std::vector<Powers> numerator, denominator;
    Eigen::MatrixXd columns;  // numerator's first, then denominator's; unscaled
    std::optional<GramSubsets> subsets;
    Eigen::MatrixXd scoring_numerator;    // m*g^e on the scoring rows
    Eigen::MatrixXd scoring_denominator;  // g^e on the scoring rows
    Eigen::VectorXd scoring_target;       // y there
};

Regressors regressors(const std::vector<Powers>& monomials, const Eigen::ArrayXd& m,
                      const std::vector<Eigen::ArrayXd>& g, const Eigen::VectorXd& y) {
    Regressors r;
    r.numerator = monomials;
    r.denominator.assign(monomials.begin() + 1, monomials.end());
    const Eigen::Index rows = y.size();
    const auto n = static_cast<Eigen::Index>(r.numerator.size()), d = static_cast<Eigen::Index>(r.denominator.size());
    const Eigen::Index step = (rows + kScoringRows - 1) / kScoringRows, scoring = (rows + step - 1) / step;
    r.columns.resize(rows, n + d);
    r.scoring_numerator.resize(scoring, n);
    r.scoring_denominator.resize(scoring, d);
    r.scoring_target.resize(scoring);
    for (Eigen::Index i = 0; i < scoring; ++i) r.scoring_target(i) = y(i * step);
    for (Eigen::Index j = 0; j < n; ++j) {
        r.columns.col(j) = (m * monomial_values(g, r.numerator[static_cast<std::size_t>(j)], rows)).matrix();
        for (Eigen::Index i = 0; i < scoring; ++i) r.scoring_numerator(i, j) = r.columns(i * step, j);
    }
    for (Eigen::Index j = 0; j < d; ++j) {
        const Eigen::ArrayXd values = monomial_values(g, r.denominator[static_cast<std::size_t>(j)], rows);
        r.columns.col(n + j) = (-y.array() * values).matrix();
        for (Eigen::Index i = 0; i < scoring; ++i) r.scoring_denominator(i, j) = values(i * step);
    }
    r.subsets.emplace(r.columns, y);
    return r;
}

// The residual sum of squares on the scoring rows of the fraction with the terms `chosen` and
// their linearised coefficients; +inf where those cannot be solved for or the denominator
// changes sign on the rows (a pole inside the data).
double score_on_y(const Regressors& r, const std::vector<Eigen::Index>& chosen) {
    const Eigen::VectorXd c = r.subsets->coefficients(chosen, 1e-12);
    if (c.size() == 0 || !c.allFinite()) return std::numeric_limits<double>::infinity();
    const auto n = static_cast<Eigen::Index>(r.numerator.size());
    const Eigen::Index rows = r.scoring_target.size();
    Eigen::VectorXd top = Eigen::VectorXd::Zero(rows), bottom = Eigen::VectorXd::Ones(rows);
    for (std::size_t j = 0; j < chosen.size(); ++j) {
        const auto k = static_cast<Eigen::Index>(j);
        if (chosen[j] < n)
            top += c(k) * r.scoring_numerator.col(chosen[j]);
        else
            bottom += c(k) * r.scoring_denominator.col(chosen[j] - n);
    }
    if (!keeps_one_sign(bottom.array())) return std::numeric_limits<double>::infinity();
    const double rss = (r.scoring_target - top.cwiseQuotient(bottom)).squaredNorm();
    return std::isfinite(rss) ? rss : std::numeric_limits<double>::infinity();
}

// Every subset of `size` (0 to 3) of 0..count-1, offset by `first`, in increasing order.
std::vector<std::vector<Eigen::Index>> subsets(Eigen::Index first, Eigen::Index count, Eigen::Index size) {
    if (size == 0) return {{}};
    std::vector<std::vector<Eigen::Index>> out;
    for (const std::vector<Eigen::Index>& rest : subsets(first, count, size - 1)) {
        const Eigen::Index from = rest.empty() ? first : rest.back() + 1;
        for (Eigen::Index i = from; i < first + count; ++i) {
            out.push_back(rest);
            out.back().push_back(i);
        }
    }
    return out;
}

// The numerator's and the denominator's terms of one shape worth a refit: the `count` choices
// that fit y best with their linearised coefficients (score_on_y), best first, then any of the
// `count` with the least linearised residual not among them. Each ranking alone loses laws at
// noise: the linearised residual is the residual on y times the denominator, so it prefers
// denominators small on the rows, and at 1 % noise it ranked I.32.17's 4*pi/3*g^4/(1 - g^2)^2
// below a hundred look-alikes; the fit to y with those (biased) coefficients on a few hundred
// rows missed Clausius-Mossotti's (1 + 2*g/3)/(1 - g/3) on one seed, which the other ranks first.
std::vector<std::vector<Eigen::Index>> best_terms(const Regressors& r, Eigen::Index numerator_terms,
                                                  Eigen::Index denominator_terms, std::size_t count = 1) {
    const auto n = static_cast<Eigen::Index>(r.numerator.size()), d = static_cast<Eigen::Index>(r.denominator.size());
    struct Scored {
        double on_y, linearised;
        std::vector<Eigen::Index> chosen;
    };
    std::vector<Scored> scored;
    const auto tops = subsets(0, n, numerator_terms), bottoms = subsets(n, d, denominator_terms);
    for (const auto& top : tops)
        for (const auto& bottom : bottoms) {
            std::vector<Eigen::Index> chosen = top;
            chosen.insert(chosen.end(), bottom.begin(), bottom.end());
            // rcond: a denominator column -y*g^e can duplicate a numerator column on exact data.
            const double linearised = r.subsets->rss(chosen, 1e-12);
            if (!std::isfinite(linearised)) continue;
            scored.push_back(Scored{score_on_y(r, chosen), linearised, std::move(chosen)});
        }
    std::vector<std::vector<Eigen::Index>> out;
    const std::size_t kept = std::min(count, scored.size());
    for (auto key : {&Scored::on_y, &Scored::linearised}) {
        std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(kept), scored.end(),
                          [key](const Scored& a, const Scored& b) { return a.*key < b.*key; });
        for (std::size_t i = 0; i < kept; ++i)
            if (std::isfinite(scored[i].*key) && std::find(out.begin(), out.end(), scored[i].chosen) == out.end())
                out.push_back(scored[i].chosen);
    }
    return out;
}

// b of a formula a/b.
Expression divisor(const Expression& quotient) {
    return quotient.subtree(quotient.size() - 2);  // the divisor's subtree ends just before the Div
}

// prefactor * (sum of the chosen numerator terms) / (1 + sum of the chosen denominator terms),
// with coefficients c in the order of `chosen`; without denominator terms, no quotient; without
// a prefactor, none.
Expression fraction(const std::optional<Expression>& prefactor, const std::vector<Expression>& groups,
                    const Regressors& r, const std::vector<Eigen::Index>& chosen, const Eigen::VectorXd& c) {
    const auto n = static_cast<Eigen::Index>(r.numerator.size());
    std::optional<Expression> top, bottom;
    for (std::size_t j = 0; j < chosen.size(); ++j) {
        const Eigen::Index col = chosen[j];
        const double k = c(static_cast<Eigen::Index>(j));
        if (col < n) {
            Expression t = term(k, groups, r.numerator[static_cast<std::size_t>(col)]);
            top = top ? Expression::binary(Op::Add, *top, t) : t;
        } else {
            Expression t = term(k, groups, r.denominator[static_cast<std::size_t>(col - n)]);
            bottom = Expression::binary(Op::Add, bottom ? *bottom : Expression::constant(1.0), t);
        }
    }
    if (prefactor) top = Expression::binary(Op::Mul, *prefactor, *top);
    return bottom ? Expression::binary(Op::Div, *top, *bottom) : *top;
}

// The coefficients on the chosen columns themselves, by QR (the Gram matrix squares the
// condition number): the start of the refit on every row.
Eigen::VectorXd chosen_coefficients(const Regressors& r, const std::vector<Eigen::Index>& chosen,
                                    const Eigen::VectorXd& target) {
    Eigen::MatrixXd A(target.size(), static_cast<Eigen::Index>(chosen.size()));
    for (std::size_t j = 0; j < chosen.size(); ++j) A.col(static_cast<Eigen::Index>(j)) = r.columns.col(chosen[j]);
    return A.colPivHouseholderQr().solve(target);
}

// Whether the denominator of the fraction `f` (if it has one) keeps one sign on every row: a
// pole inside the data is no law of the table.
bool no_pole(const Expression& f, const Eigen::MatrixXd& X, Evaluator& evaluate) {
    if (f.nodes().back().op != Op::Div) return true;
    const Eigen::ArrayXd denominator = evaluate(divisor(f), X).array();
    return keeps_one_sign(denominator);
}

// The fractions of one shape worth a refit on every row: best_terms' choices, each refitted on y
// on the subsample, in that order; only the first exact one if any is. Among those that fit to
// the noise the one of least RMSE is chance's pick: they all join the pool, whose pick weighs
// their forms.
std::vector<Expression> fractions_worth_a_refit(const DimensionalPlan& plan, const Subsample& s, const Regressors& r,
                                                int tops, int bottoms, Evaluator& evaluate) {
    std::vector<Expression> out;
    const double rms = root_mean_square(s.y);
    for (const std::vector<Eigen::Index>& chosen : best_terms(r, tops, bottoms, kChoicesRefitted)) {
        const Eigen::VectorXd c = chosen_coefficients(r, chosen, s.y);
        if (!c.allFinite()) continue;
        Expression f = refit(fraction(plan.monomial, plan.groups, r, chosen, c), s.X, s.y);
        if (bottoms > 0 && !no_pole(f, s.X, evaluate)) continue;
        const Eigen::VectorXd predicted = evaluate(f, s.X);
        if (!predicted.allFinite()) continue;
        const bool exact = is_exact_fit(root_mean_square(predicted - s.y), rms);
        if (exact) out.clear();
        out.push_back(std::move(f));
        if (exact) break;
    }
    return out;
}

}  // namespace

std::vector<QuickFit> rational_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    std::vector<QuickFit> out;
    Evaluator evaluate;
    const std::optional<Subsample> sample = subsample(plan, X, y, evaluate);
    if (!sample) return out;
    const Eigen::VectorXd& ys = sample->y;
    const Regressors r = regressors(group_monomials(sample->g.size()), sample->m, sample->g, ys);

    // Simplest shapes first; none with an empty denominator but two terms on top (one term on
    // top alone is the monomial quick fit's). An exact fit ends the list: a larger shape could
    // only write the same law with a common factor in numerator and denominator
    // (G*m1*m2*(1/r2 - 1/r1) as a quotient of two binomials), which the textbook form cannot cancel.
    SmallerShapes smaller;
    const double target_rms = root_mean_square(y);
    for (const auto& [tops, bottoms] :
         {std::pair{2, 0}, std::pair{1, 1}, std::pair{2, 1}, std::pair{1, 2}, std::pair{2, 2}}) {
        std::string kind = bottoms == 0 ? "the target's monomial times a sum of powers of the groups, "
                                        : "rational function of the groups, ";
        kind += terms_label(tops, bottoms);
        const double bar = smaller.bar(tops + bottoms);
        bool exact = false;
        for (const Expression& candidate : fractions_worth_a_refit(plan, *sample, r, tops, bottoms, evaluate)) {
            Expression f = refit(candidate, X, y);
            if (bottoms > 0 && !no_pole(f, X, evaluate)) continue;
            double previous = bar;  // each choice of this shape against the smaller shapes
            exact = admit(std::move(f), kind, X, y, target_rms, previous, out, evaluate);
            smaller.record(tops + bottoms, previous);
            if (exact) break;
        }
        if (exact) break;
    }
    return out;
}

namespace {

// The root fits' shapes of R, simplest first: two terms (1 - v^2/c^2), one over one plus one,
// two over one plus one ((1 + v/c)/(1 - v/c)), three terms (a length 1 + g1^2 + g2^2).
constexpr std::pair<int, int> kRootShapes[] = {{2, 0}, {1, 1}, {2, 1}, {3, 0}};

// One candidate of a root fit: sign * monomial * g^a * R^power, its RMSE on the subsample.
struct RootCandidate {
    Expression formula;
    double rmse = std::numeric_limits<double>::infinity();
    std::size_t order = 0;  // when it was found: prefactors and choices come simplest first
    int degree = 0;         // of the prefactor and R's terms together
};

// Which R a candidate has: the power's sign and R's terms (best_terms' columns, the same
// monomials for every prefactor).
using RootForm = std::pair<bool, std::vector<Eigen::Index>>;

// Per root shape, the best candidate of each R over the prefactors. At noise the fit does not
// decide R's powers (the Lorentz factor 1/sqrt(1 - g^2) and 1/sqrt(1 - 2.7*g^4) differ by
// chance within 10 % noise on v/c < 0.7): only the snapped constants and the pick's description
// length tell the law, so each R's best goes on (best_roots), not the best R alone.
using RootsOfShape = std::map<RootForm, RootCandidate>;

// The degree of the chosen terms of `r` together.
int terms_degree(const Regressors& r, const std::vector<Eigen::Index>& chosen) {
    const auto n = static_cast<Eigen::Index>(r.numerator.size());
    int out = 0;
    for (const Eigen::Index col : chosen)
        out += degree(col < n ? r.numerator[static_cast<std::size_t>(col)]
                              : r.denominator[static_cast<std::size_t>(col - n)]);
    return out;
}

// sign * monomial * g^a * R^power as a formula: for power 1/2 the prefactor's square goes
// under the root with R (sqrt(k/m - b^2/(4*m^2)), not sqrt(k)*sqrt(1 - b^2/(4*k*m))/sqrt(m));
// for -1/2 it is divided by the root of R.
Expression root_formula(const DimensionalPlan& plan, double sign, const Powers& a, double power, const Expression& R) {
    const Expression prefactor = Expression::binary(Op::Mul, *plan.monomial, term(1.0, plan.groups, a));
    if (power < 0.0)
        return Expression::binary(Op::Div, Expression::binary(Op::Mul, Expression::constant(sign), prefactor),
                                  Expression::unary(Op::Sqrt, R));
    const Expression root = Expression::unary(
        Op::Sqrt, Expression::binary(Op::Mul, Expression::binary(Op::Pow, prefactor, Expression::constant(2.0)), R));
    return Expression::binary(Op::Mul, Expression::constant(sign), root);
}

// For one prefactor g^a and power: the best R of each root shape on the subsample (whose y has
// RMS `rms`), into `best`.
void try_root(const DimensionalPlan& plan, const Subsample& s, double rms, double sign, const Powers& a, double power,
              std::vector<RootsOfShape>& best, std::size_t& found, Evaluator& evaluate) {
    // w = y/(sign * monomial * g^a) > 0 on every row (for power 1/2, on all but the rows where the
    // noise changed y's sign: positive_but_noise); R = w^(1/power) is what the fraction fits.
    const Eigen::ArrayXd prefactor = sign * s.m * monomial_values(s.g, a, s.y.size());
    const Eigen::ArrayXd w = s.y.array() / prefactor;
    if (power > 0.0 ? !positive_but_noise(w, s.y.array()) : !(w > 0.0).all()) return;
    // For power 1/2, y^2 = prefactor^2 * R: a fit of w^2 itself would divide the noise by the
    // prefactor, and rows where it is small (z/r near 0 in II.6.15a's z*sqrt(x^2 + y^2)/r^5)
    // would decide R. For -1/2, R = 1/w^2.
    const Eigen::VectorXd t = (power > 0.0 ? s.y.array().square().eval() : w.square().inverse().eval()).matrix();
    if (!t.allFinite()) return;
    const Eigen::ArrayXd scale = power > 0.0 ? prefactor.square().eval() : Eigen::ArrayXd::Ones(t.size());
    const Regressors r = regressors(group_monomials(s.g.size()), scale, s.g, t);
    for (std::size_t k = 0; k < std::size(kRootShapes); ++k) {
        // As fractions_worth_a_refit, best_terms' choices, each scored on y (here unrefitted).
        for (const std::vector<Eigen::Index>& chosen :
             best_terms(r, kRootShapes[k].first, kRootShapes[k].second, kChoicesRefitted)) {
            const Eigen::VectorXd c = chosen_coefficients(r, chosen, t);
            if (!c.allFinite()) continue;
            Expression f = root_formula(plan, sign, a, power, fraction(std::nullopt, plan.groups, r, chosen, c));
            Eigen::VectorXd predicted = evaluate(f, s.X);
            if (!predicted.allFinite()) continue;
            double rmse = root_mean_square(predicted - s.y);
            if (!is_exact_fit(rmse, rms)) {
                // At noise, the linear fit of (y/(monomial*g^a))^(+-2) is biased: the power
                // magnifies the noise of small y (1/sqrt(1 - g^2) scored 5 % worse than
                // sqrt(1 + 1.3*g^2) at 10 % noise, refitted they are alike). Scored refitted.
                Expression refitted = refit(f, s.X, s.y);
                predicted = evaluate(refitted, s.X);
                if (!predicted.allFinite()) continue;
                f = std::move(refitted);
                rmse = root_mean_square(predicted - s.y);
            }
            // The first exact one stays: prefactors come simplest first, and an exact fit with a
            // larger one is the same law written less plainly (m_0*c/sqrt(c^2 - v^2)). At noise a
            // later one must fit better by kSimplerMargin: the same law under the other power
            // (sqrt((w - v)/(w + v)) and 1/sqrt((w + v)/(w - v))) fits alike up to chance.
            RootCandidate& kept = best[k][RootForm{power > 0.0, chosen}];
            if (rmse < kept.rmse * (1.0 - kSimplerMargin) && !is_exact_fit(kept.rmse, rms))
                kept = RootCandidate{std::move(f), rmse, found++, degree(a) + terms_degree(r, chosen)};
        }
    }
}

// The candidates of one shape worth a refit on every row: the first exact one found alone (a
// later one writes the same law less plainly); else the one of least RMSE on the subsample and,
// up to kChoicesRefitted in all, the simplest of those within kSimplerMargin of it, which at
// the noise fit alike.
std::vector<Expression> best_roots(const RootsOfShape& roots, double rms) {
    std::vector<const RootCandidate*> ranked;
    const RootCandidate* exact = nullptr;
    for (const auto& [form, candidate] : roots) {
        if (!std::isfinite(candidate.rmse)) continue;
        ranked.push_back(&candidate);
        if (is_exact_fit(candidate.rmse, rms) && (!exact || candidate.order < exact->order)) exact = &candidate;
    }
    if (exact) return {exact->formula};
    std::vector<ScoredChoice> scored;
    for (const RootCandidate* c : ranked) scored.push_back(ScoredChoice{c->formula, c->rmse, c->degree});
    return best_and_alike(std::move(scored));
}

}  // namespace

std::vector<QuickFit> root_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    std::vector<QuickFit> out;
    Evaluator evaluate;
    const std::optional<Subsample> sample = subsample(plan, X, y, evaluate);
    if (!sample) return out;
    // The target over its monomial keeps one sign in such a law (but where the noise changes
    // it: positive_but_noise); that sign goes in front.
    const Eigen::ArrayXd ratio = sample->y.array() / sample->m;
    const double sign = (ratio > 0.0).count() * 2 >= ratio.size() ? 1.0 : -1.0;
    if (!positive_but_noise(sign * ratio, sample->y.array())) return out;

    // Prefactors within the degree bound (no fourth powers: the fraction under the root has them).
    std::vector<Powers> prefactors = group_monomials(sample->g.size());
    std::erase_if(prefactors, [](const Powers& p) { return degree(p) > kMaxDegree; });
    sort_by_degree(prefactors);
    std::vector<RootsOfShape> best(std::size(kRootShapes));
    const double sample_rms = root_mean_square(sample->y);
    std::size_t found = 0;
    for (const double power : {0.5, -0.5})
        for (const Powers& a : prefactors) try_root(plan, *sample, sample_rms, sign, a, power, best, found, evaluate);

    // As the rational fits: simplest shape first, each refitted on every row, kept only when it
    // improves on the smaller shapes, up to the first exact one. A pole of R inside the rows
    // makes R change sign there, so its square root is not finite and the fit is refused.
    SmallerShapes smaller;
    const double target_rms = root_mean_square(y);
    for (std::size_t k = 0; k < best.size(); ++k) {
        std::string kind = "square root of a rational function of the groups, ";
        kind += terms_label(kRootShapes[k].first, kRootShapes[k].second);
        const int terms = kRootShapes[k].first + kRootShapes[k].second;
        const double bar = smaller.bar(terms);
        bool exact = false;
        for (const Expression& candidate : best_roots(best[k], sample_rms)) {
            double previous = bar;  // each R of this shape against the smaller shapes
            exact = admit(refit(candidate, X, y), kind, X, y, target_rms, previous, out, evaluate);
            smaller.record(terms, previous);
            if (exact) break;
        }
        if (exact) break;
    }
    return out;
}

}  // namespace kepler::pipeline
