#include "structure_split_combine.hpp"

#include <Eigen/QR>
#include <cmath>
#include <limits>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/fitting/constant_fitting.hpp"

namespace kepler::structure_split {

namespace {

// `e` with its free constants turned into Param slots numbered from `offset` on (the rule of
// constants_to_parameters: small integers and 1/2 stay fixed).
Expression parameterised_from(const Expression& e, std::size_t offset) {
    Expression p = constants_to_parameters(e);
    for (Node& n : p.mutable_nodes())
        if (n.op == Op::Param) n.index = static_cast<std::uint16_t>(n.index + offset);
    return p;
}

Expression param(std::size_t slot, double value) {
    Expression e;
    e.push(Node::param(static_cast<std::uint16_t>(slot), value));
    return e;
}

}  // namespace

std::optional<Combination> combine_parts(Joint joint, const std::vector<Expression>& parts, const Eigen::MatrixXd& X,
                                         const Eigen::VectorXd& y, std::uint64_t seed) {
    if (parts.empty()) return std::nullopt;
    const std::size_t k = parts.size();
    Evaluator evaluate;
    std::vector<Eigen::VectorXd> values;
    for (const Expression& g : parts) {
        values.push_back(evaluate(g, X));
        if (!values.back().allFinite()) return std::nullopt;
    }

    // Joint constants first (product: c; sum: c0, c_1..c_k), then each part's own.
    const std::size_t joint_slots = joint == Joint::product ? 1 : 1 + k;
    std::vector<Expression> terms;
    Expression full;
    if (joint == Joint::product) {
        Eigen::VectorXd product = Eigen::VectorXd::Ones(y.size());
        for (const Eigen::VectorXd& v : values) product.array() *= v.array();
        const double norm = product.squaredNorm();
        if (!(norm > 0.0) || !std::isfinite(norm)) return std::nullopt;
        const double c = product.dot(y) / norm;
        std::size_t offset = joint_slots;
        for (std::size_t i = 0; i < k; ++i) {
            Expression t = parameterised_from(parts[i], offset);
            offset = std::max(offset, t.parameter_count());
            if (i == 0) t = Expression::binary(Op::Mul, param(0, c), t);
            terms.push_back(std::move(t));
        }
        full = terms[0];
        for (std::size_t i = 1; i < k; ++i) full = Expression::binary(Op::Mul, full, terms[i]);
    } else {
        Eigen::MatrixXd A(y.size(), static_cast<Eigen::Index>(k + 1));
        A.col(0).setOnes();
        for (std::size_t i = 0; i < k; ++i) A.col(static_cast<Eigen::Index>(i + 1)) = values[i];
        const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
        if (qr.rank() < A.cols()) return std::nullopt;  // a part is constant or two parts are the same
        const Eigen::VectorXd c = qr.solve(y);
        std::size_t offset = joint_slots;
        for (std::size_t i = 0; i < k; ++i) {
            Expression t = parameterised_from(parts[i], offset);
            offset = std::max(offset, t.parameter_count());
            terms.push_back(Expression::binary(Op::Mul, param(i + 1, c[static_cast<Eigen::Index>(i + 1)]), t));
        }
        full = param(0, c[0]);
        for (const Expression& t : terms) full = Expression::binary(Op::Add, full, t);
    }

    ConstantFitOptions fit_options;
    fit_options.seed = seed;
    fit_options.restarts = 1;
    const ConstantFit fit = fit_constants(full, X, y, fit_options);
    if (fit.improved) {
        full.set_parameters(fit.parameters);
        for (Expression& t : terms) t.set_parameters(fit.parameters);
    }
    Combination out;
    out.constant = joint == Joint::sum ? full.parameters()[0] : 0.0;
    for (Expression& t : terms) out.terms.push_back(parameters_to_constants(t));
    out.formula = simplify(parameters_to_constants(full));
    const Eigen::VectorXd predicted = evaluate(out.formula, X);
    if (!predicted.allFinite()) return std::nullopt;
    out.rmse = std::sqrt((predicted - y).squaredNorm() / static_cast<double>(y.size()));
    return out;
}

Eigen::VectorXd residual_for_part(Joint joint, const Combination& combination, std::size_t part,
                                  const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    Evaluator evaluate;
    Eigen::VectorXd others = Eigen::VectorXd::Constant(y.size(), joint == Joint::product ? 1.0 : combination.constant);
    for (std::size_t i = 0; i < combination.terms.size(); ++i) {
        if (i == part) continue;
        const Eigen::VectorXd v = evaluate(combination.terms[i], X);
        if (joint == Joint::product)
            others.array() *= v.array();
        else
            others += v;
    }
    Eigen::VectorXd r =
        joint == Joint::product ? Eigen::VectorXd(y.cwiseQuotient(others)) : Eigen::VectorXd(y - others);
    for (Eigen::Index i = 0; i < r.size(); ++i)
        if (!std::isfinite(r[i]) || (joint == Joint::product && std::abs(others[i]) < 1e-300))
            r[i] = std::numeric_limits<double>::quiet_NaN();
    return r;
}

}  // namespace kepler::structure_split
