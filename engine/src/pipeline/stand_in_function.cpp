#include "stand_in_function.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <utility>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"

namespace kepler::pipeline {

namespace {

bool is_transcendental(Op op) {
    switch (op) {
        case Op::Exp:
        case Op::Log:
        case Op::Sin:
        case Op::Cos:
        case Op::Tan:
        case Op::Asin:
        case Op::Acos:
        case Op::Atan:
        case Op::Tanh:
            return true;
        default:
            return false;
    }
}

// c0 + c1*u + c2*u^2, the least-squares fit of f over the rows' u; none when u is the same on
// every row or the fit is not finite.
std::optional<Expression> quadratic_fit(const Expression& u, const Eigen::VectorXd& zv, const Eigen::VectorXd& fv) {
    if (!(zv.maxCoeff() > zv.minCoeff())) return std::nullopt;
    Eigen::MatrixXd A(zv.size(), 3);
    A.col(0).setOnes();
    A.col(1) = zv;
    A.col(2) = zv.array().square().matrix();
    const Eigen::VectorXd c = A.colPivHouseholderQr().solve(fv);
    if (!c.allFinite()) return std::nullopt;
    const Expression linear = Expression::binary(Op::Mul, Expression::constant(c(1)), u);
    const Expression square = Expression::binary(Op::Mul, Expression::constant(c(2)), Expression::unary(Op::Square, u));
    return Expression::binary(Op::Add, Expression::constant(c(0)), Expression::binary(Op::Add, linear, square));
}

// Which inputs the formula uses, per column (at least `columns` of them).
std::vector<bool> inputs_used(const Expression& e, std::size_t columns) {
    std::vector<bool> out(std::max(columns, e.variable_count()), false);
    for (const Node& n : e.nodes())
        if (n.op == Op::Var) out[n.index] = true;
    return out;
}

}  // namespace

bool claims_same_function(const Expression& e, const StandIn& stand_in) {
    for (std::size_t last = 0; last < e.size(); ++last) {
        if (e.nodes()[last].op != stand_in.op) continue;
        if (inputs_used(e.subtree(last - 1), stand_in.inputs.size()) == stand_in.inputs) return true;
    }
    return false;
}

std::optional<StandIn> stand_in_function(const Expression& e, const Eigen::MatrixXd& X, double noise_sd,
                                         const std::vector<std::string>& inputs) {
    if (!(noise_sd > 0.0) || !std::isfinite(noise_sd)) return std::nullopt;
    Evaluator evaluate;
    const Eigen::VectorXd predicted = evaluate(e, X);
    if (!predicted.allFinite()) return std::nullopt;
    const double bound = kStandInChiSquare * noise_sd * noise_sd;
    for (std::size_t last = 0; last < e.size(); ++last) {
        if (!is_transcendental(e.nodes()[last].op)) continue;
        const Expression f = e.subtree(last);
        const Expression z = e.subtree(last - 1);  // a unary function's argument ends just before it
        const Eigen::VectorXd zv = evaluate(z, X), fv = evaluate(f, X);
        if (!zv.allFinite() || !fv.allFinite()) continue;
        // The stretch of z may be one where f is a quadratic in z, or, z of one sign, in 1/z:
        // exp(-c/v) for c/v in 1.5-10 is one in v/c.
        std::vector<std::pair<Expression, Eigen::VectorXd>> variables{{z, zv}};
        if (zv.minCoeff() > 0.0 || zv.maxCoeff() < 0.0)
            variables.emplace_back(Expression::binary(Op::Div, Expression::constant(1.0), z), zv.cwiseInverse());
        for (const auto& [u, uv] : variables) {
            const std::optional<Expression> p = quadratic_fit(u, uv, fv);
            if (!p) continue;
            const Eigen::VectorXd replaced = evaluate(e.with_subtree_replaced(last, *p), X);
            if (replaced.allFinite() && (replaced - predicted).squaredNorm() < bound)
                return StandIn{to_infix(f, inputs), e.nodes()[last].op,
                               inputs_used(z, static_cast<std::size_t>(X.cols()))};
        }
    }
    return std::nullopt;
}

}  // namespace kepler::pipeline
