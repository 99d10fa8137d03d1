// Exact rational numbers for dimension exponents (Gaussian units need halves: a statcoulomb
// is g^1/2 cm^3/2 s^-1). Always kept in lowest terms with a positive denominator. Every
// operation checks for overflow and throws std::overflow_error rather than wrapping.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace kepler {

class Rational {
public:
    constexpr Rational() = default;
    constexpr Rational(std::int32_t integer) : num_(integer), den_(1) {}  // NOLINT: implicit on purpose
    Rational(std::int64_t num,
             std::int64_t den);  // throws std::domain_error if den == 0, overflow_error if it does not fit

    std::int32_t num() const noexcept { return num_; }
    std::int32_t den() const noexcept { return den_; }
    bool is_zero() const noexcept { return num_ == 0; }
    bool is_integer() const noexcept { return den_ == 1; }
    double to_double() const noexcept { return static_cast<double>(num_) / den_; }
    // "3", "-1/2"
    std::string to_string() const;

    friend Rational operator+(Rational a, Rational b);
    friend Rational operator-(Rational a, Rational b);
    friend Rational operator*(Rational a, Rational b);
    friend Rational operator/(Rational a, Rational b);  // domain_error on division by zero
    friend Rational operator-(Rational a);
    friend constexpr bool operator==(Rational a, Rational b) noexcept { return a.num_ == b.num_ && a.den_ == b.den_; }
    friend bool operator<(Rational a, Rational b) noexcept;
    // Writes to_string() (so GoogleTest and logs print "3/2", not bytes).
    friend std::ostream& operator<<(std::ostream& os, Rational r);

private:
    std::int32_t num_ = 0;
    std::int32_t den_ = 1;
};

}  // namespace kepler
