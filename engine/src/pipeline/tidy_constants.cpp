#include "kepler/pipeline/tidy_constants.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
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
    // The constants from free_[from] on as Param slots 0, 1, ...
    Expression with_parameters_from(std::size_t from) const {
        std::vector<Node> nodes(best_.nodes().begin(), best_.nodes().end());
        for (std::size_t k = from; k < free_.size(); ++k)
            nodes[free_[k]] = Node::param(static_cast<std::uint16_t>(k - from), nodes[free_[k]].value);
        return Expression(std::move(nodes));
    }
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

// Shortens free constant k (those before it are tidied, those after it free); true if it
// changed.
bool Tidier::tidy_one(std::size_t k, const SnapEvidence& ev) {
    const int removed = tidied_ + 1;
    auto& nodes = best_.mutable_nodes();
    const double original = nodes[free_[k]].value;
    const ParameterSensitivity sens = parameter_sensitivity(with_parameters_from(k), X_, y_);
    const double se = ev.residual_sd() * sens.per_unit_sd[0];
    const double now = std::max(0.0, ev.cost(current_));
    int refits = 0;
    for (int digits = 1; digits < 16; ++digits) {
        const double shorter = round_significant(original, digits);
        if (shorter == original) break;
        nodes[free_[k]].value = shorter;
        const double substituted = rmse(best_);
        if (ev.accepts(substituted, removed)) {
            current_ = substituted;
            return true;
        }
        const double predicted = std::isfinite(se) && se > 0.0 ? std::pow((shorter - original) / se, 2) : 0.0;
        if (k + 1 < free_.size() && refits < kRefitsPerConstant && ev.plausible(now + predicted, removed)) {
            ++refits;
            Expression rest = with_parameters_from(k + 1);
            ConstantFitOptions fo;
            fo.restarts = 0;
            const ConstantFit fit = fit_constants(rest, X_, y_, fo);
            if (fit.improved) {
                rest.set_parameters(fit.parameters);
                Expression refitted = rest.with_parameters_frozen();
                const double r = rmse(refitted);
                if (ev.accepts(r, removed)) {
                    best_ = std::move(refitted);
                    current_ = r;
                    return true;
                }
            }
        }
        nodes[free_[k]].value = original;
    }
    nodes[free_[k]].value = original;
    return false;
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
    return with_polish_rows(X, y, [&](const auto& Xr, const auto& yr) { return Tidier(e, Xr, yr, stated).run(noise_sd); });
}

}  // namespace kepler
