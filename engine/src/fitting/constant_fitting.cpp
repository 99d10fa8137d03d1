#include "kepler/fitting/constant_fitting.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include <unsupported/Eigen/LevenbergMarquardt>

#include "dual_evaluator.hpp"
#include "kepler/core/evaluator.hpp"

namespace kepler {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// A start that ends with sse <= kExactRelative * |y|^2 (relative RMS residual 1e-10) is an
// exact fit: no restart can do better.
constexpr double kExactRelative = 1e-20;
// LM stopping tolerances (relative reduction of the residual norm, relative step size).
// Tighter than MINPACK's default sqrt(eps) so that noiseless data give constants exact to
// about 1e-12; the quadratic convergence near a zero-residual solution makes this cheap.
constexpr double kFtol = 1e-12;
constexpr double kXtol = 1e-12;

// Residuals f_i = e(X_i; p) - y_i and their Jacobian, for Eigen::LevenbergMarquardt.
class Residuals : public Eigen::DenseFunctor<double> {
public:
    Residuals(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
              const Eigen::Ref<const Eigen::VectorXd>& y, Eigen::Index params)
        : Eigen::DenseFunctor<double>(static_cast<int>(params), static_cast<int>(y.size())),
          e_(e),
          X_(X),
          y_(y),
          values_(y.size()) {}

    // The value reported for a non-finite residual: more than 10x the norm of any point LM
    // has accepted, so a step there is always rejected (Eigen's lmder then shrinks the trust
    // region tenfold).
    void set_penalty(double start_norm) { penalty_ = std::min(1e3 * (start_norm + 1.0), 1e300); }

    int operator()(const InputType& p, ValueType& f) {
        evaluator_.evaluate(e_, X_, f, std::span<const double>(p.data(), static_cast<std::size_t>(p.size())));
        f -= y_;
        if (!f.allFinite()) {
            const double penalty = penalty_;
            f = f.unaryExpr([penalty](double r) { return std::isfinite(r) ? r : penalty; });
        }
        return 0;
    }

    // The exact Jacobian. Entries that are not finite (a derivative that does not exist at a
    // finite point, such as sqrt at 0) are taken as 0.
    int df(const InputType& p, JacobianType& J) {
        dual_.evaluate(e_, X_, std::span<const double>(p.data(), static_cast<std::size_t>(p.size())), values_, J);
        if (!J.allFinite()) J = J.unaryExpr([](double d) { return std::isfinite(d) ? d : 0.0; });
        return 0;
    }

    // Sum of squared residuals, +inf if some residual is not finite.
    double sse(const Eigen::VectorXd& p) {
        evaluator_.evaluate(e_, X_, values_, std::span<const double>(p.data(), static_cast<std::size_t>(p.size())));
        const double s = (values_ - y_).squaredNorm();
        return std::isfinite(s) ? s : kInf;
    }

private:
    const Expression& e_;
    const Eigen::Ref<const Eigen::MatrixXd>& X_;
    const Eigen::Ref<const Eigen::VectorXd>& y_;
    Evaluator evaluator_;
    detail::DualEvaluator dual_;
    Eigen::VectorXd values_;
    double penalty_ = 1e300;
};

struct StartResult {
    Eigen::VectorXd parameters;
    double sse = kInf;
    int iterations = 0;
};

// One LM run from `p`. A start that is not finite is not run (sse = inf).
StartResult run_start(Residuals& residuals, Eigen::VectorXd p, int max_iterations) {
    StartResult result;
    result.sse = residuals.sse(p);
    result.parameters = p;
    if (!std::isfinite(result.sse)) return result;

    residuals.set_penalty(std::sqrt(result.sse));
    Eigen::LevenbergMarquardt<Residuals> lm(residuals);
    lm.setFtol(kFtol);
    lm.setXtol(kXtol);
    lm.setMaxfev(5 * static_cast<Eigen::Index>(max_iterations) + 20);
    auto status = lm.minimizeInit(p);
    if (status == Eigen::LevenbergMarquardtSpace::ImproperInputParameters) return result;
    do {
        status = lm.minimizeOneStep(p);
    } while (status == Eigen::LevenbergMarquardtSpace::Running && lm.iterations() - 1 < max_iterations);
    result.iterations = static_cast<int>(lm.iterations() - 1);

    // LM only moves to points with a smaller residual norm; check on a fresh evaluation.
    const double sse = residuals.sse(p);
    if (sse < result.sse) {
        result.sse = sse;
        result.parameters = p;
    }
    return result;
}

bool is_simple_number(double v) {
    const double a = std::abs(v);
    return (a <= 10.0 && v == std::trunc(v)) || a == 0.5;
}

// An exponent p/q with q <= 12 (units' kMaxExponentDenominator) and |p/q| <= 64, to rounding:
// the power of an input in a mapped group (m^2*q^12), a dimensional analysis's 4/3. Freed,
// Levenberg-Marquardt would trade the noise for q^11.57, which no units make consistent.
bool is_structural_exponent(double v) {
    if (!(std::abs(v) <= 64.0)) return false;
    for (int q = 1; q <= 12; ++q) {
        const double scaled = v * q;
        if (std::abs(scaled - std::round(scaled)) <= 1e-12 * std::max(1.0, std::abs(scaled))) return true;
    }
    return false;
}

}  // namespace

ConstantFit fit_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                          const Eigen::Ref<const Eigen::VectorXd>& y, const ConstantFitOptions& options) {
    if (y.size() != X.rows()) throw std::invalid_argument("fit_constants: y and X have different row counts");
    if (e.empty()) throw std::invalid_argument("fit_constants: empty expression");

    const std::vector<double> initial = e.parameters();
    const auto P = static_cast<Eigen::Index>(initial.size());
    ConstantFit fit;
    fit.parameters = initial;

    Residuals residuals(e, X, y, P);
    const Eigen::VectorXd p0 = Eigen::Map<const Eigen::VectorXd>(initial.data(), P);
    const double initial_sse = residuals.sse(p0);
    fit.sse = initial_sse;
    if (P == 0 || y.size() < P || options.max_iterations <= 0) return fit;

    const double exact = kExactRelative * y.squaredNorm();
    StartResult best = run_start(residuals, p0, options.max_iterations);
    fit.iterations = best.iterations;

    std::mt19937_64 rng(options.seed);
    std::normal_distribution<double> gauss(0.0, 1.0);
    for (int r = 1; r <= options.restarts && !(best.sse <= exact); ++r) {
        Eigen::VectorXd p(P);
        for (Eigen::Index k = 0; k < P; ++k) p(k) = p0(k) + 0.5 * r * (std::abs(p0(k)) + 0.1) * gauss(rng);
        StartResult start = run_start(residuals, std::move(p), options.max_iterations);
        fit.iterations += start.iterations;
        if (start.sse < best.sse) best = std::move(start);
    }

    if (best.sse < initial_sse) {
        fit.improved = true;
        fit.sse = best.sse;
        fit.parameters.assign(best.parameters.data(), best.parameters.data() + P);
    }
    return fit;
}

void evaluate_with_jacobian(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                            std::span<const double> params, Eigen::VectorXd& values, Eigen::MatrixXd& jacobian) {
    values.resize(X.rows());
    jacobian.resize(X.rows(), static_cast<Eigen::Index>(params.size()));
    detail::DualEvaluator().evaluate(e, X, params, values, jacobian);
}

Expression constants_to_parameters(const Expression& e) {
    std::vector<Node> nodes(e.nodes().begin(), e.nodes().end());
    std::size_t next = e.parameter_count();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        Node& n = nodes[i];
        if (n.op != Op::Const || !std::isfinite(n.value) || is_simple_number(n.value)) continue;
        // In postfix a leaf right before a Pow is that Pow's exponent.
        const bool exponent = i + 1 < nodes.size() && nodes[i + 1].op == Op::Pow;
        if (exponent && is_structural_exponent(n.value)) continue;
        if (next > std::numeric_limits<std::uint16_t>::max())
            throw std::invalid_argument("constants_to_parameters: too many parameters");
        n = Node::param(static_cast<std::uint16_t>(next++), n.value);
    }
    return Expression(std::move(nodes));
}

Expression parameters_to_constants(const Expression& e) { return e.with_parameters_frozen(); }

}  // namespace kepler
