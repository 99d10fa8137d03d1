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
    Eigen::MatrixXd denominator_values;            // g^e of denominators[i] in column i
    Eigen::MatrixXd columns;
    Eigen::VectorXd target;  // y^2, weighed as the columns
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
    p.target = y2.matrix();
    for (const auto& [exponents, column] : p.square_column)
        p.columns.col(column) = (m2 * monomial_values(s.g, exponents, rows)).matrix();
    p.denominator_values.resize(rows, static_cast<Eigen::Index>(p.denominators.size()));
    for (std::size_t i = 0; i < p.denominators.size(); ++i) {
        const auto column = static_cast<Eigen::Index>(i);
        p.denominator_values.col(column) = monomial_values(s.g, p.denominators[i], rows).matrix();
        p.columns.col(next + column) = (-y2 * p.denominator_values.col(column).array()).matrix();
    }
    p.subsets.emplace(p.columns, p.target);
    return p;
}

// One choice: P = k1*g^a + k2*g^b over sqrt(1 + d*g^e), and its four columns.
struct Choice {
    Powers a, b, e;
    std::array<Eigen::Index, 4> columns{};
    double rss = std::numeric_limits<double>::infinity();
};

int choice_degree(const Choice& c) { return degree(c.a) + degree(c.b) + degree(c.e); }

// Choices scored on y. The linearised residual weighs each row by the choice's own 1 + d*g^e,
// and a choice that makes it small on some rows scores well there (the bias of linearised
// rational fits): at 10 % noise on I.15.3x the law's choice came 14th to 18th, at 1.6 to 1.9
// times the least residual. So the kChoicesScored of least linearised residual are each
// refitted on the subsample and scored on y, and best_and_alike (group_terms.hpp) takes the
// best and those that fit alike; at noise the linearised residual does not decide the powers
// either (the Lorentz factor's 1 - u^2/c^2 against 1 - 2.7*u^4/c^4 differ by chance).
constexpr std::size_t kChoicesScored = 32;

// Whether the choice's linear fit is of the form on the subsample's rows: A*g^2a + B*g^(a+b) +
// C*g^2b the square of k1*g^a + k2*g^b, so A or C positive (start() takes the root of one), and
// 1 + d*g^e positive on every row. The linear fit imposes neither, and at 10 % noise on I.15.3x
// the choices of least residual had a root of a negative number on a third of the rows, so
// that the fit gave nothing.
bool is_of_the_form(const SquaredProblem& p, const Choice& c) {
    const Eigen::VectorXd k = p.subsets->coefficients(c.columns, 1e-12);
    if (k.size() != 4 || !(k(0) > 0.0 || k(2) > 0.0)) return false;
    const Eigen::Index e = c.columns[3] - static_cast<Eigen::Index>(p.square_column.size());
    return (1.0 + k(3) * p.denominator_values.col(e).array() > 0.0).all();
}

// The choices of the form with their linearised residual: the first exact one alone, simplest
// first, if any is; else the kChoicesScored of least residual. yy: the squared norm of the
// weighed target.
std::vector<Choice> ranked_choices(const std::vector<Powers>& monomials, const SquaredProblem& p, double yy) {
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
    std::stable_sort(choices.begin(), choices.end(),
                     [](const Choice& x, const Choice& y) { return choice_degree(x) < choice_degree(y); });
    for (Choice& c : choices) {
        // rcond: a denominator column -y^2*g^e can duplicate a square's column on exact data.
        if (is_of_the_form(p, c)) c.rss = p.subsets->rss(c.columns, 1e-12);
        // The first exact choice stays: a larger one writes the same law less plainly.
        if (c.rss <= 1e-20 * yy) return {c};
    }
    std::erase_if(choices, [](const Choice& c) { return !std::isfinite(c.rss); });
    std::stable_sort(choices.begin(), choices.end(), [](const Choice& x, const Choice& y) { return x.rss < y.rss; });
    if (choices.size() > kChoicesScored) choices.resize(kChoicesScored);
    return choices;
}

// The start of the refit from the linear coefficients A, B, C, d (A*g^2a + B*g^(a+b) + C*g^2b
// = (k1*g^a + k2*g^b)^2), with the sign of P that of y/m on the subsample; none when neither
// square's coefficient is positive.
std::optional<Expression> start(const DimensionalPlan& plan, const Choice& c, const SquaredProblem& p,
                                const Subsample& s) {
    Eigen::MatrixXd A(s.y.size(), 4);
    for (Eigen::Index j = 0; j < 4; ++j) A.col(j) = p.columns.col(c.columns[static_cast<std::size_t>(j)]);
    const Eigen::VectorXd coefficients = A.colPivHouseholderQr().solve(p.target);
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
    const double yy = problem.target.squaredNorm();
    const std::vector<Choice> choices = ranked_choices(monomials, problem, yy);
    const bool exact = choices.size() == 1 && choices.front().rss <= 1e-20 * yy;
    // Scored on every few rows of the subsample: a few hundred tell the law from a look-alike of
    // another form, and each choice's refit costs as many rows as it has.
    const std::optional<Subsample> scoring = subsample(plan, sample->X, sample->y, evaluate, kScoringRows);
    if (!scoring) return out;  // not met: its rows are the sample's, where every check held
    const Eigen::MatrixXd& Xs = scoring->X;
    const Eigen::VectorXd& ys = scoring->y;
    std::vector<ScoredChoice> scored;
    for (const Choice& choice : choices) {
        std::optional<Expression> f = start(plan, choice, problem, *sample);
        if (!f) continue;
        if (!exact) f = refit(*f, Xs, ys);
        const Eigen::VectorXd predicted = evaluate(*f, Xs);
        if (!predicted.allFinite()) continue;
        scored.push_back(ScoredChoice{std::move(*f), root_mean_square(predicted - ys), choice_degree(choice)});
    }
    for (const Expression& f : best_and_alike(std::move(scored))) {
        double previous = std::numeric_limits<double>::infinity();  // each choice on its own
        admit(refit(f, X, y), "sum of two powers of the groups over the square root of two", X, y, root_mean_square(y),
              previous, out, evaluate);
    }
    return out;
}

}  // namespace kepler::pipeline
