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

// The transforms that are defined and invertible on every value of y, Identity first.
std::vector<TargetTransform> applicable_transforms(const Eigen::Ref<const Eigen::VectorXd>& y);

}  // namespace kepler
