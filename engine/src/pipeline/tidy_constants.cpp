#include "kepler/pipeline/tidy_constants.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/fitting/constant_uncertainty.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/snap_evidence.hpp"
#include "kepler/pipeline/polish_constants.hpp"

namespace kepler {

namespace {

// Refits per constant at most (each digit count the first-order estimate lets through).
constexpr int kRefitsPerConstant = 3;

// The free constants of `e` (fitting/constant_uncertainty.hpp) but those equal to a stated value.
std::vector<std::size_t> free_constants(const Expression& e, std::span<const double> stated) {
    std::vector<std::size_t> out = free_constant_nodes(e);
    std::erase_if(out, [&](std::size_t i) {
        return std::find(stated.begin(), stated.end(), e.nodes()[i].value) != stated.end();
    });
    return out;
}

class Tidier {
public:
    Tidier(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X, const Eigen::Ref<const Eigen::VectorXd>& y,
           std::span<const double> stated)
        : best_(e), X_(X), y_(y), free_(free_constants(e, stated)) {}

    Expression run(double noise_sd);

private:
    double rmse(const Expression& e) {
        prediction_.resize(X_.rows());
        evaluate_.evaluate(e, X_, prediction_);
        return residual_rms(prediction_, y_);
    }
    // `e` (best_ or a trial of it) with the constants from free_[from] on as Param slots 0, 1, ...
    Expression with_parameters_from(const Expression& e, std::size_t from) const {
        std::vector<Node> nodes(e.nodes().begin(), e.nodes().end());
        for (std::size_t k = from; k < free_.size(); ++k)
            nodes[free_[k]] = Node::param(static_cast<std::uint16_t>(k - from), nodes[free_[k]].value);
        return Expression(std::move(nodes));
    }
    struct Trial {
        Expression expression;
        double rmse = 0.0;
    };
    std::optional<Trial> shortened(std::size_t k, double shorter, double predicted, const SnapEvidence& ev,
                                   int& refits);
    bool tidy_one(std::size_t k, const SnapEvidence& ev);

    Expression best_;
    const Eigen::Ref<const Eigen::MatrixXd>& X_;
    const Eigen::Ref<const Eigen::VectorXd>& y_;
    const std::vector<std::size_t> free_;
    Evaluator evaluate_;
    Eigen::VectorXd prediction_;
    double current_ = 0.0;  // RMSE of best_
    int tidied_ = 0;        // constants shortened so far
};

// `best_` with free constant k at `shorter`, judged with the value substituted and, when the
// rule refuses that and the first-order cost `predicted` says a refit might pass, with the
// constants after it refitted; nullopt when the rule refuses it.
std::optional<Tidier::Trial> Tidier::shortened(std::size_t k, double shorter, double predicted, const SnapEvidence& ev,
                                               int& refits) {
    const int removed = tidied_ + 1;
    Trial t{best_, 0.0};
    t.expression.mutable_nodes()[free_[k]].value = shorter;
    t.rmse = rmse(t.expression);
    if (ev.accepts(t.rmse, removed)) return t;
    if (k + 1 >= free_.size() || refits >= kRefitsPerConstant ||
        !ev.plausible(std::max(0.0, ev.cost(current_)) + predicted, removed))
        return std::nullopt;
    ++refits;
    Expression rest = with_parameters_from(t.expression, k + 1);
    ConstantFitOptions fo;
    fo.restarts = 0;
    const ConstantFit fit = fit_constants(rest, X_, y_, fo);
    if (!fit.improved) return std::nullopt;
    rest.set_parameters(fit.parameters);
    t.expression = rest.with_parameters_frozen();
    t.rmse = rmse(t.expression);
    if (ev.accepts(t.rmse, removed)) return t;
    return std::nullopt;
}

// Shortens free constant k (those before it are tidied, those after it free) to the digit
// count of least description length among those the rule accepts: each significant digit
// costs ln 10 nats, the worse fit half its cost (the rule's likelihood ratio). True if it changed.
bool Tidier::tidy_one(std::size_t k, const SnapEvidence& ev) {
    const double original = best_.nodes()[free_[k]].value;
    const ParameterSensitivity sens = parameter_sensitivity(with_parameters_from(best_, k), X_, y_);
    const double se = ev.residual_sd() * sens.per_unit_sd[0];
    const double now = ev.cost(current_);
    const double ln10 = std::log(10.0);
    std::optional<Trial> chosen;
    double chosen_length = std::numeric_limits<double>::infinity();
    int refits = 0;
    double previous = original;
    for (int digits = 1; digits < 16; ++digits) {
        const double shorter = round_significant(original, digits);
        if (shorter == original) break;
        if (shorter == previous) continue;
        previous = shorter;
        const double predicted = std::isfinite(se) && se > 0.0 ? std::pow((shorter - original) / se, 2) : 0.0;
        std::optional<Trial> t = shortened(k, shorter, predicted, ev, refits);
        if (!t) continue;
        const double worse = std::max(0.0, ev.cost(t->rmse) - now);
        const double length = digits * ln10 + worse / 2.0;
        if (length < chosen_length) {
            chosen_length = length;
            chosen = std::move(t);
        }
        if (worse / 2.0 < ln10) break;  // another digit costs more than it can save
    }
    if (!chosen) return false;
    best_ = std::move(chosen->expression);
    current_ = chosen->rmse;
    return true;
}

Expression Tidier::run(double noise_sd) {
    if (free_.empty() || best_.parameter_count() > 0) return best_;
    current_ = rmse(best_);
    if (!std::isfinite(current_)) return best_;
    const SnapEvidence ev(current_, X_.rows(), static_cast<Eigen::Index>(free_.size()), root_mean_square(y_), noise_sd);
    for (std::size_t k = 0; k < free_.size(); ++k)
        if (tidy_one(k, ev)) ++tidied_;
    return best_;
}

}  // namespace

double round_significant(double value, int digits) {
    if (value == 0.0 || !std::isfinite(value)) return value;
    // Round through decimal text so the result is the double nearest the short decimal.
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, value);
    double out = value;
    std::from_chars(buffer, buffer + std::char_traits<char>::length(buffer), out);
    return out;
}

Expression tidy_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                          const Eigen::Ref<const Eigen::VectorXd>& y, double noise_sd, std::span<const double> stated) {
    if (y.size() != X.rows()) throw std::invalid_argument("tidy_constants: y and X have different row counts");
    if (e.empty() || y.size() == 0) return e;
    // A constant within 1e-12 of an integer or a p/q the snapping writes (1.0000000000000602)
    // counts as that stated value, not as a free constant (constant_uncertainty.hpp), so the
    // tidier would leave it printing all its digits: it becomes the value it stands for (a
    // change within the exact-fit bound).
    Expression exact = e;
    for (Node& n : exact.mutable_nodes())
        if (n.op == Op::Const)
            if (const std::optional<double> v = stated_value_near(n.value)) n.value = *v;
    return with_polish_rows(
        X, y, [&](const auto& Xr, const auto& yr) { return Tidier(exact, Xr, yr, stated).run(noise_sd); });
}

}  // namespace kepler
