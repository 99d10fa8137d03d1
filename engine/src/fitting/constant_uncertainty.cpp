#include "kepler/fitting/constant_uncertainty.hpp"

#include <Eigen/SVD>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>

#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/fitting/magnitude.hpp"

namespace kepler {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
// Singular values below this share of the largest span directions the data do not determine.
constexpr double kRankTolerance = 1e-10;
// A constant with at least this weight on such a direction is undetermined.
constexpr double kNullWeight = 1e-8;

// 0, an integer, or p/q with q in 3, 6, 7, 9, 11, 12 (to a relative 1e-12; |p| < 1e6): a
// stated value. Not q = 2, 4, 5, 8, 10: 1.3 = 13/10 or 0.25 is a decimal, which a fit or
// tidy_constants leaves as easily as snapping does. Relative, so a fitted 3.7e-300 is not 0.
bool is_stated_value(double v) { return v == 0.0 || stated_value_near(v).has_value(); }

// sqrt([(J^T J)^-1]_kk) per column of J, from the SVD of J with unit-norm columns.
void fill_sensitivity(const Eigen::MatrixXd& J, ParameterSensitivity& out) {
    const Eigen::Index p = J.cols();
    Eigen::VectorXd norms(p);
    Eigen::MatrixXd scaled(J.rows(), p);
    for (Eigen::Index k = 0; k < p; ++k) {
        norms(k) = std::sqrt(static_cast<double>(J.rows())) * rms_at_any_magnitude(J.col(k).array());
        if (norms(k) > 0.0 && std::isfinite(norms(k)))
            scaled.col(k) = J.col(k) / norms(k);
        else
            scaled.col(k).setZero();
    }
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(scaled, Eigen::ComputeThinV);
    const Eigen::VectorXd& s = svd.singularValues();
    const Eigen::MatrixXd& V = svd.matrixV();
    const double largest = s.size() > 0 ? s(0) : 0.0;
    out.per_unit_sd.assign(static_cast<std::size_t>(p), 0.0);
    for (Eigen::Index j = 0; j < s.size(); ++j) {
        const bool null_direction = !(s(j) > kRankTolerance * largest);
        if (null_direction) out.rank_deficient = true;
        for (Eigen::Index k = 0; k < p; ++k) {
            double& v = out.per_unit_sd[static_cast<std::size_t>(k)];
            if (null_direction) {
                if (std::abs(V(k, j)) > kNullWeight) v = kInf;
            } else {
                v += V(k, j) * V(k, j) / (s(j) * s(j));
            }
        }
    }
    for (Eigen::Index k = 0; k < p; ++k) {
        double& v = out.per_unit_sd[static_cast<std::size_t>(k)];
        v = norms(k) > 0.0 && std::isfinite(norms(k)) ? std::sqrt(v) / norms(k) : kInf;
    }
}

}  // namespace

std::optional<double> stated_value_near(double v) {
    if (v == 0.0 || !std::isfinite(v)) return std::nullopt;
    for (int q : {1, 3, 6, 7, 9, 11, 12}) {
        const double p = std::round(v * q);
        if (p != 0.0 && std::abs(p) < 1e6 && std::abs(v * q - p) <= 1e-12 * std::abs(p)) return p / q;
    }
    return std::nullopt;
}

ParameterSensitivity parameter_sensitivity(const Expression& with_parameters,
                                           const Eigen::Ref<const Eigen::MatrixXd>& X,
                                           const Eigen::Ref<const Eigen::VectorXd>& y) {
    if (y.size() != X.rows()) throw std::invalid_argument("parameter_sensitivity: y and X have different row counts");
    ParameterSensitivity out;
    const std::vector<double> params = with_parameters.parameters();
    const auto p = static_cast<Eigen::Index>(params.size());
    const Eigen::Index n = X.rows();
    out.rows = n;
    out.per_unit_sd.assign(params.size(), kNaN);
    if (p == 0 || n <= p) return out;
    Eigen::VectorXd values;
    Eigen::MatrixXd J;
    evaluate_with_jacobian(with_parameters, X, std::span<const double>(params), values, J);
    if (!values.allFinite() || !J.allFinite()) return out;
    const Eigen::ArrayXd residuals = (y - values).array();
    out.residual_sd = rms_at_any_magnitude(residuals) * std::sqrt(static_cast<double>(n) / static_cast<double>(n - p));
    fill_sensitivity(J, out);
    return out;
}

std::vector<std::size_t> free_constant_nodes(const Expression& e) {
    const Expression with_parameters = constants_to_parameters(e);
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < e.size(); ++i) {
        const Node& n = e.nodes()[i];
        if (n.op == Op::Const && with_parameters.nodes()[i].op == Op::Param && !is_stated_value(n.value))
            out.push_back(i);
    }
    return out;
}

std::vector<FittedConstant> constant_uncertainty(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                                                 const Eigen::Ref<const Eigen::VectorXd>& y) {
    if (y.size() != X.rows()) throw std::invalid_argument("constant_uncertainty: y and X have different row counts");
    const std::vector<std::size_t> free = free_constant_nodes(e);
    if (free.empty()) return {};
    // Only the free constants become slots (a Param already in `e` is fitted too: first).
    std::vector<Node> nodes(e.nodes().begin(), e.nodes().end());
    std::size_t next = e.parameter_count();
    for (std::size_t i : free) nodes[i] = Node::param(static_cast<std::uint16_t>(next++), nodes[i].value);
    const ParameterSensitivity s = parameter_sensitivity(Expression(std::move(nodes)), X, y);
    std::vector<FittedConstant> out;
    for (std::size_t k = 0; k < free.size(); ++k) {
        const double unit = s.per_unit_sd[e.parameter_count() + k];
        out.push_back({e.nodes()[free[k]].value, std::isinf(unit) ? unit : s.residual_sd * unit});
    }
    return out;
}

}  // namespace kepler
