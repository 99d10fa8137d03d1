// Transforms of the target: a law that is not an affine function of a small formula f may
// be one after transforming y (y = 1/sqrt(1 - v^2/c^2) is 1/y^2 = 1 - (v/c)^2). The search
// fits T(y) ~ a*f + b and maps the fitted formula g back to y = T^-1(g), symbolically.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string_view>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler {

enum class TargetTransformKind : std::uint8_t {
    Identity,       // y
    Inverse,        // 1/y           y = 1/g
    Square,         // y^2           y = sqrt(g)      (y of one sign: y = -sqrt(g) if y < 0)
    Sqrt,           // sqrt(y)       y = g^2          (y > 0)
    Log,            // log(y)        y = exp(g)       (y > 0)
    InverseSquare,  // 1/y^2         y = 1/sqrt(g)    (y of one sign, never 0)
    // Inverse functions (applicable_function_transforms): only for a dimensionless target.
    Exp,   // exp(y)        y = log(g)       (exp(y) finite)
    Asin,  // asin(y)       y = sin(g)       (|y| <= 1)
    Acos,  // acos(y)       y = cos(g)       (|y| <= 1)
    Atan,  // atan(y)       y = tan(g)
    Sin,   // sin(y)        y = asin(g)      (|y| <= pi/2, asin's range)
    Cos,   // cos(y)        y = acos(g)      (0 <= y <= pi, acos's range)
    Tan,   // tan(y)        y = atan(g)      (|y| < pi/2, atan's range)
};

class TargetTransform {
public:
    explicit TargetTransform(TargetTransformKind kind, double sign = 1.0) : kind_(kind), sign_(sign) {}

    TargetTransformKind kind() const noexcept { return kind_; }
    // -1 when y < 0 everywhere and the transform loses the sign (Square, InverseSquare).
    double sign() const noexcept { return sign_; }
    std::string_view name() const noexcept;

    double forward(double y) const noexcept;
    Eigen::VectorXd forward(const Eigen::Ref<const Eigen::VectorXd>& y) const;
    // The formula for y given a formula `g` for T(y).
    Expression inverse(const Expression& g) const;

private:
    TargetTransformKind kind_;
    double sign_;
};

// The algebraic transforms (Identity to InverseSquare) that are defined and invertible on
// every value of y, Identity first.
std::vector<TargetTransform> applicable_transforms(const Eigen::Ref<const Eigen::VectorXd>& y);

// The inverse-function transforms (Exp, Asin, Acos, Atan) defined on every value of y:
// exp(y) where it is finite, asin(y) and acos(y) where |y| <= 1, atan(y) always. A law
// y = log(1 + a*b) or y = sin(a*b/(a + b)) is then an affine function of a small formula.
// Sin, Cos and Tan undo an inverse function (Snell's theta1 = asin(n*sin(theta2))), offered
// only where y lies in that function's range, so that asin(sin(y)) = y on every row. They
// are kept apart from the algebraic ones because they need a dimensionless target (exp of a
// length means nothing) and the enumerator only adds them then. Note that sin, cos and tan
// are not one-to-one: asin(sin(g)) = g only for g in [-pi/2, pi/2] (acos: [0, pi], atan:
// (-pi/2, pi/2)); outside those ranges the transformed target is not a simple formula.
std::vector<TargetTransform> applicable_function_transforms(const Eigen::Ref<const Eigen::VectorXd>& y);

}  // namespace kepler
