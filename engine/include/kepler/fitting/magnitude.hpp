// Values at any magnitude a double holds (1e-300 as well as 1e300): sums of squares that
// neither underflow nor overflow, and the power of two that brings a column near 1. Scaling
// by a power of two is exact in floating point, so where the plain sums are safe these give
// the very same bits as the plain formulas, and only extreme magnitudes take the scaled path.
#pragma once

#include <Eigen/Core>
#include <cmath>

namespace kepler {

// Plain sums of squares inside [2^-900, 2^900] are trusted: a square below 2^-1022 that was
// lost to underflow is then under 2^-100 of the sum.
inline bool sum_of_squares_is_safe(double sum) { return sum >= 0x1p-900 && sum <= 0x1p900; }

// The e with 2^e <= max |v| < 2^(e+1) over the finite entries; 0 when none is finite and non-zero.
inline int max_abs_exponent(const Eigen::Ref<const Eigen::ArrayXd>& v) {
    double m = 0.0;
    for (Eigen::Index i = 0; i < v.size(); ++i)
        if (std::isfinite(v(i))) m = std::max(m, std::abs(v(i)));
    return m > 0.0 ? std::ilogb(m) : 0;
}

// v * 2^k, element by element: 2^k itself may not be a double (k = 1070 for residuals of
// 1e-316), the products are.
inline Eigen::ArrayXd scaled_by_power_of_two(const Eigen::Ref<const Eigen::ArrayXd>& v, int k) {
    return v.unaryExpr([k](double x) { return std::ldexp(x, k); });
}

// sqrt(mean(v^2)), on values scaled by a power of two where the plain sum would underflow or
// overflow; 0 for an empty vector.
inline double rms_at_any_magnitude(const Eigen::Ref<const Eigen::ArrayXd>& v) {
    if (v.size() == 0) return 0.0;
    const auto n = static_cast<double>(v.size());
    const double plain = v.square().sum();
    if (plain == 0.0 ? (v == 0.0).all() : sum_of_squares_is_safe(plain)) return std::sqrt(plain / n);
    if (!v.allFinite()) return std::sqrt(plain / n);  // inf or nan stays so
    const int e = max_abs_exponent(v);
    return std::ldexp(std::sqrt(scaled_by_power_of_two(v, -e).square().sum() / n), e);
}

// Columns whose RMS lies in [2^-20, 2^20] are searched as they are.
inline constexpr int kOrdinaryMagnitudeExponent = 20;

// The k for which 2^k * v has an RMS near 1, or 0 when v's RMS is already ordinary (or 0, or
// not finite): the power of two the search scales a column by (exact, so undone exactly).
inline int unit_scale_exponent(const Eigen::Ref<const Eigen::ArrayXd>& v) {
    const double rms = rms_at_any_magnitude(v);
    if (!(rms > 0.0) || !std::isfinite(rms)) return 0;
    const int e = std::ilogb(rms);
    return std::abs(e) <= kOrdinaryMagnitudeExponent ? 0 : -e;
}

}  // namespace kepler
