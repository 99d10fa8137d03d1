// A physical dimension: rational exponents over a unit system's base dimensions (at most
// kMaxBaseDimensions of them; unused ones stay 0). Which base each slot means is the
// UnitSystem's business; a Dimension is only meaningful together with its system.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "kepler/units/rational.hpp"

namespace kepler {

inline constexpr std::size_t kMaxBaseDimensions = 8;

class Dimension {
public:
    Dimension() = default;  // dimensionless
    // The base dimension number `index` to the power 1 (std::out_of_range if index >= kMaxBaseDimensions).
    static Dimension base(std::size_t index);

    Rational exponent(std::size_t index) const { return exponents_[index]; }
    void set_exponent(std::size_t index, Rational e) { exponents_[index] = e; }
    const std::array<Rational, kMaxBaseDimensions>& exponents() const noexcept { return exponents_; }
    bool dimensionless() const noexcept;

    // All throw std::overflow_error if an exponent's numerator or denominator overflows.
    friend Dimension operator*(const Dimension& a, const Dimension& b);
    friend Dimension operator/(const Dimension& a, const Dimension& b);
    Dimension pow(Rational p) const;
    Dimension inverse() const { return pow(Rational(-1)); }

    friend bool operator==(const Dimension& a, const Dimension& b) noexcept { return a.exponents_ == b.exponents_; }
    std::uint64_t hash() const noexcept;
    // A form that needs no unit system, every nonzero slot as e<index>^<exponent>:
    // "[e0^1 e1^-2]", "[e2^3/2]"; "[1]" if dimensionless. UnitSystem::format is the readable one.
    std::string to_string() const;
    friend std::ostream& operator<<(std::ostream& os, const Dimension& d);  // writes to_string()

private:
    std::array<Rational, kMaxBaseDimensions> exponents_{};
};

}  // namespace kepler
