#include "group_terms.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/fitting/exact_fit.hpp"

namespace kepler::pipeline {

int degree(const Powers& e) {
    int d = 0;
    for (int p : e) d += std::abs(p);
    return d;
}

std::vector<Powers> group_monomials(std::size_t groups) {
    std::vector<Powers> out;
    const int bound = groups <= kMaxPowerGroups ? kMaxPower : kMaxDegree;
    Powers e(groups, -bound);
    while (true) {
        const auto nonzero = std::count_if(e.begin(), e.end(), [](int p) { return p != 0; });
        if (degree(e) <= kMaxDegree || (nonzero == 1 && degree(e) <= bound)) out.push_back(e);
        std::size_t i = 0;
        while (i < groups && e[i] == bound) e[i++] = -bound;
        if (i == groups) break;
        ++e[i];
    }
    std::stable_partition(out.begin(), out.end(), [](const Powers& p) {
        return std::all_of(p.begin(), p.end(), [](int v) { return v == 0; });
    });
    return out;
}

void sort_by_degree(std::vector<Powers>& monomials) {
    std::stable_sort(monomials.begin(), monomials.end(),
                     [](const Powers& p, const Powers& q) { return degree(p) < degree(q); });
}

bool keeps_one_sign(const Eigen::ArrayXd& values) { return (values > 0.0).all() || (values < 0.0).all(); }

Eigen::ArrayXd monomial_values(const std::vector<Eigen::ArrayXd>& g, const Powers& e, Eigen::Index rows) {
    Eigen::ArrayXd v = Eigen::ArrayXd::Ones(rows);
    for (std::size_t i = 0; i < g.size(); ++i)
        if (e[i] != 0) v *= g[i].pow(e[i]);
    return v;
}

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

Expression refit(const Expression& f, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    Expression with_parameters = constants_to_parameters(f);
    const ConstantFit fit = fit_constants(with_parameters, X, y);
    if (fit.improved) with_parameters.set_parameters(fit.parameters);
    return with_parameters.with_parameters_frozen();
}

std::string terms_label(int tops, int bottoms) {
    std::string out = std::to_string(tops);
    if (bottoms > 0) {
        out += '/';
        out += std::to_string(bottoms + 1);
    }
    out += " terms";
    return out;
}

bool positive_but_noise(const Eigen::ArrayXd& w, const Eigen::ArrayXd& y) {
    if (!w.allFinite() || w.size() != y.size()) return false;
    const double wrong = (w > 0.0).select(0.0, y.square()).sum();
    return wrong <= kWrongSignShare * y.square().sum();
}

bool admit(Expression f, std::string kind, const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double target_rms,
           double& previous, std::vector<QuickFit>& out, Evaluator& evaluate) {
    const Eigen::VectorXd predicted = evaluate(f, X);
    if (!predicted.allFinite()) return false;
    const double rmse = root_mean_square(predicted - y);
    if (!(rmse < previous)) return false;  // more terms that fit no better
    previous = rmse;
    out.push_back(QuickFit{std::move(f), std::move(kind), rmse});
    return is_exact_fit(rmse, target_rms);
}

std::vector<Expression> best_and_alike(std::vector<ScoredChoice> choices) {
    std::erase_if(choices, [](const ScoredChoice& c) { return !std::isfinite(c.rmse); });
    if (choices.empty()) return {};
    std::stable_sort(choices.begin(), choices.end(),
                     [](const ScoredChoice& a, const ScoredChoice& b) { return a.rmse < b.rmse; });
    const double alike = choices.front().rmse * (1.0 + kSimplerMargin);
    std::erase_if(choices, [alike](const ScoredChoice& c) { return c.rmse > alike; });
    std::stable_sort(choices.begin() + 1, choices.end(),
                     [](const ScoredChoice& a, const ScoredChoice& b) { return a.degree < b.degree; });
    std::vector<Expression> out;
    for (std::size_t i = 0; i < choices.size() && out.size() < kChoicesRefitted; ++i)
        out.push_back(std::move(choices[i].formula));
    return out;
}

double SmallerShapes::bar(int terms) const {
    double out = std::numeric_limits<double>::infinity();
    for (const auto& [size, rmse] : best_)
        if (size < terms) out = std::min(out, rmse);
    return out;
}

void SmallerShapes::record(int terms, double rmse) {
    const auto [it, inserted] = best_.emplace(terms, rmse);
    if (!inserted) it->second = std::min(it->second, rmse);
}

std::optional<Subsample> subsample(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                   Evaluator& evaluate, Eigen::Index max_rows) {
    if (!plan.monomial || plan.groups.empty() || plan.groups.size() > kMaxGroups || y.size() < 8) return std::nullopt;
    // Every step-th row.
    const Eigen::Index step = (y.size() + max_rows - 1) / max_rows, rows = (y.size() + step - 1) / step;
    Subsample s;
    s.X.resize(rows, X.cols());
    s.y.resize(rows);
    for (Eigen::Index i = 0; i < rows; ++i) s.X.row(i) = X.row(i * step), s.y(i) = y(i * step);
    s.m = evaluate(*plan.monomial, s.X).array();
    for (const Expression& group : plan.groups) s.g.push_back(evaluate(group, s.X).array());
    auto usable = [](const Eigen::ArrayXd& v) { return v.allFinite() && (v != 0.0).all(); };
    if (!usable(s.m) || !std::all_of(s.g.begin(), s.g.end(), usable)) return std::nullopt;
    return s;
}

}  // namespace kepler::pipeline
