#include "kepler/units/rational.hpp"

#include <cstdint>
#include <limits>
#include <numeric>
#include <ostream>
#include <stdexcept>

namespace kepler {

namespace {

// Magnitude of a 64-bit integer as unsigned (well defined for INT64_MIN too).
std::uint64_t magnitude(std::int64_t v) noexcept {
    return v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

constexpr std::uint64_t kMaxPositive = static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());
constexpr std::uint64_t kMaxNegative = kMaxPositive + 1;  // |INT32_MIN|

}  // namespace

Rational::Rational(std::int64_t num, std::int64_t den) {
    if (den == 0) throw std::domain_error("Rational: zero denominator");
    const bool negative = (num < 0) != (den < 0);
    std::uint64_t n = magnitude(num);
    std::uint64_t d = magnitude(den);
    if (n == 0) {
        num_ = 0;
        den_ = 1;
        return;
    }
    const std::uint64_t g = std::gcd(n, d);
    n /= g;
    d /= g;
    if (d > kMaxPositive || n > (negative ? kMaxNegative : kMaxPositive)) {
        throw std::overflow_error("Rational: numerator or denominator does not fit in 32 bits");
    }
    den_ = static_cast<std::int32_t>(d);
    // n <= 2^31 here; going through int64 makes -2^31 exact.
    num_ = static_cast<std::int32_t>(negative ? -static_cast<std::int64_t>(n) : static_cast<std::int64_t>(n));
}

std::string Rational::to_string() const {
    std::string s = std::to_string(num_);
    if (den_ != 1) {
        s += '/';
        s += std::to_string(den_);
    }
    return s;
}

// Products of two int32 values fit in 63 bits and sums of two such products in 64 bits, so
// every intermediate below is exact; the constructor reduces and range-checks the result.
Rational operator+(Rational a, Rational b) {
    if (a.den_ == b.den_) return Rational(std::int64_t{a.num_} + b.num_, a.den_);
    return Rational(std::int64_t{a.num_} * b.den_ + std::int64_t{b.num_} * a.den_, std::int64_t{a.den_} * b.den_);
}

Rational operator-(Rational a, Rational b) {
    if (a.den_ == b.den_) return Rational(std::int64_t{a.num_} - b.num_, a.den_);
    return Rational(std::int64_t{a.num_} * b.den_ - std::int64_t{b.num_} * a.den_, std::int64_t{a.den_} * b.den_);
}

Rational operator*(Rational a, Rational b) {
    return Rational(std::int64_t{a.num_} * b.num_, std::int64_t{a.den_} * b.den_);
}

Rational operator/(Rational a, Rational b) {
    if (b.num_ == 0) throw std::domain_error("Rational: division by zero");
    return Rational(std::int64_t{a.num_} * b.den_, std::int64_t{a.den_} * b.num_);
}

Rational operator-(Rational a) { return Rational(-std::int64_t{a.num_}, a.den_); }

bool operator<(Rational a, Rational b) noexcept {
    // Denominators are positive, so cross-multiplying keeps the order.
    return std::int64_t{a.num_} * b.den_ < std::int64_t{b.num_} * a.den_;
}

std::ostream& operator<<(std::ostream& os, Rational r) { return os << r.to_string(); }

}  // namespace kepler
