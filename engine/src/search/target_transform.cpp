#include "kepler/search/target_transform.hpp"

#include <cmath>

namespace kepler {

std::string_view TargetTransform::name() const noexcept {
    switch (kind_) {
        case TargetTransformKind::Identity:
            return "y";
        case TargetTransformKind::Inverse:
            return "1/y";
        case TargetTransformKind::Square:
            return "y^2";
        case TargetTransformKind::Sqrt:
            return "sqrt(y)";
        case TargetTransformKind::Log:
            return "log(y)";
        case TargetTransformKind::InverseSquare:
            return "1/y^2";
        case TargetTransformKind::Exp:
            return "exp(y)";
        case TargetTransformKind::Asin:
            return "asin(y)";
        case TargetTransformKind::Acos:
            return "acos(y)";
        case TargetTransformKind::Atan:
            return "atan(y)";
        case TargetTransformKind::Sin:
            return "sin(y)";
        case TargetTransformKind::Cos:
            return "cos(y)";
        case TargetTransformKind::Tan:
            return "tan(y)";
    }
    return "?";
}

double TargetTransform::forward(double y) const noexcept {
    switch (kind_) {
        case TargetTransformKind::Identity:
            return y;
        case TargetTransformKind::Inverse:
            return 1.0 / y;
        case TargetTransformKind::Square:
            return y * y;
        case TargetTransformKind::Sqrt:
            return std::sqrt(y);
        case TargetTransformKind::Log:
            return std::log(y);
        case TargetTransformKind::InverseSquare:
            return 1.0 / (y * y);
        case TargetTransformKind::Exp:
            return std::exp(y);
        case TargetTransformKind::Asin:
            return std::asin(y);
        case TargetTransformKind::Acos:
            return std::acos(y);
        case TargetTransformKind::Atan:
            return std::atan(y);
        case TargetTransformKind::Sin:
            return std::sin(y);
        case TargetTransformKind::Cos:
            return std::cos(y);
        case TargetTransformKind::Tan:
            return std::tan(y);
    }
    return y;
}

Eigen::VectorXd TargetTransform::forward(const Eigen::Ref<const Eigen::VectorXd>& y) const {
    Eigen::VectorXd t(y.size());
    for (Eigen::Index i = 0; i < y.size(); ++i) t(i) = forward(y(i));
    return t;
}

Expression TargetTransform::inverse(const Expression& g) const {
    // The sign is restored by a negation node, which the printer shows as a leading minus.
    auto with_sign = [this](Expression e) { return sign_ < 0 ? Expression::unary(Op::Neg, e) : e; };
    switch (kind_) {
        case TargetTransformKind::Identity:
            return g;
        case TargetTransformKind::Inverse:
            return Expression::binary(Op::Div, Expression::constant(1.0), g);
        case TargetTransformKind::Square:
            return with_sign(Expression::unary(Op::Sqrt, g));
        case TargetTransformKind::Sqrt:
            return Expression::binary(Op::Pow, g, Expression::constant(2.0));
        case TargetTransformKind::Log:
            return Expression::unary(Op::Exp, g);
        case TargetTransformKind::InverseSquare:
            return with_sign(Expression::binary(Op::Div, Expression::constant(1.0), Expression::unary(Op::Sqrt, g)));
        case TargetTransformKind::Exp:
            return Expression::unary(Op::Log, g);
        case TargetTransformKind::Asin:
            return Expression::unary(Op::Sin, g);
        case TargetTransformKind::Acos:
            return Expression::unary(Op::Cos, g);
        case TargetTransformKind::Atan:
            return Expression::unary(Op::Tan, g);
        case TargetTransformKind::Sin:
            return Expression::unary(Op::Asin, g);
        case TargetTransformKind::Cos:
            return Expression::unary(Op::Acos, g);
        case TargetTransformKind::Tan:
            return Expression::unary(Op::Atan, g);
    }
    return g;
}

std::vector<TargetTransform> applicable_transforms(const Eigen::Ref<const Eigen::VectorXd>& y) {
    std::vector<TargetTransform> out{TargetTransform(TargetTransformKind::Identity)};
    if (y.size() == 0 || !y.allFinite()) return out;
    const bool positive = (y.array() > 0.0).all();
    const bool negative = (y.array() < 0.0).all();
    const double sign = negative ? -1.0 : 1.0;
    if ((y.array() != 0.0).all()) out.emplace_back(TargetTransformKind::Inverse);
    if (positive || negative) out.emplace_back(TargetTransformKind::Square, sign);
    if (positive) {
        out.emplace_back(TargetTransformKind::Sqrt);
        out.emplace_back(TargetTransformKind::Log);
    }
    if (positive || negative) out.emplace_back(TargetTransformKind::InverseSquare, sign);
    // A transform whose values overflow (1/y^2 of tiny y) would only produce garbage fits.
    std::erase_if(out, [&](const TargetTransform& t) { return !t.forward(y).allFinite(); });
    return out;
}

std::vector<TargetTransform> applicable_function_transforms(const Eigen::Ref<const Eigen::VectorXd>& y) {
    std::vector<TargetTransform> out;
    if (y.size() == 0 || !y.allFinite()) return out;
    out.emplace_back(TargetTransformKind::Exp);
    if ((y.array().abs() <= 1.0).all()) {
        out.emplace_back(TargetTransformKind::Asin);
        out.emplace_back(TargetTransformKind::Acos);
    }
    out.emplace_back(TargetTransformKind::Atan);
    const double half_pi = std::acos(0.0);
    const double lowest = y.minCoeff(), highest = y.maxCoeff();
    if (lowest >= -half_pi && highest <= half_pi) out.emplace_back(TargetTransformKind::Sin);
    if (lowest >= 0.0 && highest <= 2.0 * half_pi) out.emplace_back(TargetTransformKind::Cos);
    if (lowest > -half_pi && highest < half_pi) out.emplace_back(TargetTransformKind::Tan);
    std::erase_if(out, [&](const TargetTransform& t) { return !t.forward(y).allFinite(); });
    return out;
}

}  // namespace kepler
