#include "kepler/core/complexity.hpp"

#include <cmath>

namespace kepler {

namespace {

// Denominators tried when deciding whether a constant is a simple rational p/q.
constexpr int kMaxDenominator = 12;

bool near(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }

}  // namespace

double ComplexityModel::symbol_bits() const noexcept {
    return std::log2(static_cast<double>(std::max(2, operator_count + variable_count)));
}

double ComplexityModel::constant_bits(double value) const noexcept {
    if (!std::isfinite(value)) return kRealConstantBits;
    double r = std::round(value);
    if (near(value, r) && std::abs(r) < 1e6) return std::log2(1.0 + std::abs(r)) + 1.0;
    for (int q = 2; q <= kMaxDenominator; ++q) {
        double p = std::round(value * q);
        if (near(value * q, p) && std::abs(p) < 1e6) return std::log2((1.0 + std::abs(p)) * q) + 1.0;
    }
    return kRealConstantBits;
}

double ComplexityModel::bits(const Expression& e) const noexcept {
    double total = 0.0;
    const double symbol = symbol_bits();
    for (const Node& n : e.nodes()) {
        switch (n.op) {
            case Op::Const:
                total += constant_bits(n.value);
                break;
            case Op::Param:
                total += kRealConstantBits;
                break;
            default:
                total += symbol;
                break;
        }
    }
    return total;
}

}  // namespace kepler
