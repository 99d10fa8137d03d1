#include "kepler/judge/form_check.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/constant_fitting.hpp"

namespace kepler {

namespace {

constexpr int kFitIterations = 200;
constexpr int kPolishSteps = 8;

// Largest |f - t| / max(|t|, floor); +inf if f is not finite somewhere.
double max_relative_error(const Eigen::VectorXd& f, const Eigen::Ref<const Eigen::VectorXd>& t, double floor) {
    double worst = 0.0;
    for (Eigen::Index i = 0; i < t.size(); ++i) {
        if (!std::isfinite(f(i))) return std::numeric_limits<double>::infinity();
        if (f(i) == t(i)) continue;
        const double den = std::max({std::abs(t(i)), floor, std::numeric_limits<double>::min()});
        worst = std::max(worst, std::abs(f(i) - t(i)) / den);
    }
    return worst;
}

double sum_of_squares(const Expression& model, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                      std::span<const double> params, Eigen::VectorXd& values, Eigen::MatrixXd& jacobian) {
    evaluate_with_jacobian(model, X, params, values, jacobian);
    const double sse = (y - values).squaredNorm();
    return std::isfinite(sse) && jacobian.allFinite() ? sse : std::numeric_limits<double>::infinity();
}

// Gauss-Newton steps from the LM result: LM stops at its default tolerances (relative ~1e-8
// on the parameters), and for the right form the residual is zero, where Gauss-Newton
// converges quadratically to round-off. A step is kept only if it lowers the residual.
void polish(const Expression& model, const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::vector<double>& params) {
    Eigen::VectorXd values;
    Eigen::MatrixXd jacobian;
    double sse = sum_of_squares(model, X, y, params, values, jacobian);
    for (int step = 0; step < kPolishSteps && std::isfinite(sse) && sse > 0.0; ++step) {
        const Eigen::VectorXd delta = jacobian.colPivHouseholderQr().solve(y - values);
        std::vector<double> trial = params;
        for (std::size_t k = 0; k < trial.size(); ++k) trial[k] += delta(static_cast<Eigen::Index>(k));
        Eigen::VectorXd trial_values;
        Eigen::MatrixXd trial_jacobian;
        const double trial_sse = sum_of_squares(model, X, y, trial, trial_values, trial_jacobian);
        if (!(trial_sse < sse)) break;
        params = std::move(trial);
        sse = trial_sse;
        values = std::move(trial_values);
        jacobian = std::move(trial_jacobian);
    }
}

}  // namespace

Expression numbers_to_parameters(const Expression& found) {
    Expression out = found;
    auto next = static_cast<std::uint16_t>(found.parameter_count());
    for (Node& n : out.mutable_nodes())
        if (n.op == Op::Const && std::isfinite(n.value) && n.value != std::trunc(n.value))
            n = Node::param(next++, n.value);
    return out;
}

FormCheck check_form(const Expression& found, const Eigen::Ref<const Eigen::MatrixXd>& points,
                     const Eigen::Ref<const Eigen::VectorXd>& truth_values, double floor, std::size_t fit_points) {
    if (points.rows() != truth_values.size())
        throw std::invalid_argument("check_form: points and truth values differ in number");
    FormCheck check;
    Evaluator evaluator;
    Expression model = numbers_to_parameters(found);
    if (model.parameter_count() > 0) {
        // Fit rows: the first where the found formula is finite (a start that is not finite
        // everywhere would be skipped by the fit).
        Eigen::VectorXd start(points.rows());
        evaluator.evaluate(found.with_parameters_frozen(), points, start);
        std::vector<Eigen::Index> rows;
        for (Eigen::Index i = 0; i < points.rows() && rows.size() < fit_points; ++i)
            if (std::isfinite(start(i))) rows.push_back(i);
        Eigen::MatrixXd X(static_cast<Eigen::Index>(rows.size()), points.cols());
        Eigen::VectorXd y(X.rows());
        for (Eigen::Index k = 0; k < X.rows(); ++k) {
            X.row(k) = points.row(rows[static_cast<std::size_t>(k)]);
            y(k) = truth_values(rows[static_cast<std::size_t>(k)]);
        }
        ConstantFitOptions options;
        options.max_iterations = kFitIterations;
        std::vector<double> params = fit_constants(model, X, y, options).parameters;
        polish(model, X, y, params);
        model.set_parameters(params);
    }
    check.refitted = model.with_parameters_frozen();
    Eigen::VectorXd f(points.rows());
    evaluator.evaluate(check.refitted, points, f);
    check.max_relative_error = max_relative_error(f, truth_values, floor);
    check.matches = check.max_relative_error <= kFormTolerance;
    return check;
}

}  // namespace kepler
