#include "dimension_rules.hpp"

#include <cmath>
#include <stdexcept>

namespace kepler::detail {

std::optional<Dimension> transformed_dimension(const TargetTransform& t, const Dimension& target) {
    switch (t.kind()) {
        case TargetTransformKind::Identity:
            return target;
        case TargetTransformKind::Inverse:
            return target.inverse();
        case TargetTransformKind::Square:
            return target.pow(Rational(2));
        case TargetTransformKind::Sqrt:
            return target.pow(Rational(1, 2));
        case TargetTransformKind::InverseSquare:
            return target.pow(Rational(-2));
        case TargetTransformKind::Log:
        case TargetTransformKind::Exp:
        case TargetTransformKind::Asin:
        case TargetTransformKind::Acos:
        case TargetTransformKind::Atan:
        case TargetTransformKind::Sin:
        case TargetTransformKind::Cos:
        case TargetTransformKind::Tan:
            if (target.dimensionless()) return target;
            return std::nullopt;
    }
    return std::nullopt;
}

bool scale_admissible(const DimensionalConstraints& constraints, const Dimension& dt, const Dimension& df) {
    if (df == dt) return true;
    switch (constraints.scale) {
        case DimensionalConstraints::Scale::Dimensionless:
            return false;
        case DimensionalConstraints::Scale::Free:
            return true;
        case DimensionalConstraints::Scale::PowerOfConstant:
            try {
                const Dimension needed = dt / df;
                for (const Dimension& constant : constraints.constant_dimensions)
                    if (is_constant_power(constant, needed)) return true;
            } catch (const std::overflow_error&) {}
            return false;
    }
    return false;
}

bool scale_admissible(const std::optional<DimensionalConstraints>& constraints, const Dimension& dt,
                      const Dimension& df) {
    return !constraints || scale_admissible(*constraints, dt, df);
}

std::vector<SearchTransform> search_transforms(const Eigen::VectorXd& y, const Eigen::VectorXd& sample_y,
                                               const std::optional<DimensionalConstraints>& constraints) {
    std::vector<TargetTransform> all = applicable_transforms(y);
    for (const TargetTransform& t : applicable_function_transforms(y)) all.push_back(t);
    std::vector<SearchTransform> out;
    for (const TargetTransform& t : all) {
        const std::optional<Dimension> dim = constraints ? transformed_dimension(t, constraints->target) : Dimension{};
        if (!dim) continue;
        Eigen::VectorXd ts = t.forward(sample_y);
        const Eigen::VectorXd centred = ts.array() - ts.mean();
        const double stt = centred.squaredNorm();
        if (!(stt > 0.0) || !std::isfinite(stt)) continue;
        out.push_back({t, *dim, dim->dimensionless(), std::move(ts), stt});
    }
    return out;
}

}  // namespace kepler::detail
