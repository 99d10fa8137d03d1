#include "kepler/units/dimension.hpp"
#include "kepler/core/hashing.hpp"

#include <ostream>
#include <stdexcept>

namespace kepler {

Dimension Dimension::base(std::size_t index) {
    if (index >= kMaxBaseDimensions) throw std::out_of_range("Dimension::base: index out of range");
    Dimension d;
    d.exponents_[index] = Rational(1);
    return d;
}

bool Dimension::dimensionless() const noexcept {
    for (const Rational& e : exponents_) {
        if (!e.is_zero()) return false;
    }
    return true;
}

Dimension operator*(const Dimension& a, const Dimension& b) {
    Dimension r;
    for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) r.exponents_[i] = a.exponents_[i] + b.exponents_[i];
    return r;
}

Dimension operator/(const Dimension& a, const Dimension& b) {
    Dimension r;
    for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) r.exponents_[i] = a.exponents_[i] - b.exponents_[i];
    return r;
}

Dimension Dimension::pow(Rational p) const {
    Dimension r;
    for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) r.exponents_[i] = exponents_[i] * p;
    return r;
}

std::uint64_t Dimension::hash() const noexcept {
    // FNV-1a over (numerator, denominator) pairs, then a final avalanche.
    std::uint64_t h = kFnvOffset;
    auto mix = [&h](std::uint32_t v) { h = fnv1a(h, v); };
    for (const Rational& e : exponents_) {
        mix(static_cast<std::uint32_t>(e.num()));
        mix(static_cast<std::uint32_t>(e.den()));
    }
    return avalanche(h);
}

std::string Dimension::to_string() const {
    std::string s = "[";
    bool first = true;
    for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) {
        if (exponents_[i].is_zero()) continue;
        if (!first) s += ' ';
        first = false;
        s += 'e';
        s += std::to_string(i);
        s += '^';
        s += exponents_[i].to_string();
    }
    if (first) s += '1';
    s += ']';
    return s;
}

std::ostream& operator<<(std::ostream& os, const Dimension& d) { return os << d.to_string(); }

}  // namespace kepler
