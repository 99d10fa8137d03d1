// The simple values a fitted constant may be snapped to (snap_by_evidence.hpp), each with the
// subtree that writes it and its price in bits: integers (0 and +-1 included), rationals p/q
// with q <= max_denominator in lowest terms (written p/q, so x*(1/3) prints x/3; not q = 5, 8,
// 10: 13/10 is the decimal 1.3, which tidy_constants writes), and
// (p/q)*pi^a for a = +-1, +-2 with |p| <= 1000 (2*pi, pi/2, 4*pi^2/3), pi staying symbolic, and
// sqrt(2*pi) and 1/sqrt(2*pi) (the Gaussian's normalisation).
// Which of them is taken is the snapping rule's business; this only lists them.
#pragma once

#include <vector>

#include "kepler/core/complexity.hpp"
#include "kepler/core/expression.hpp"

namespace kepler {

struct SimpleValue {
    double value = 0.0;
    Expression form;    // the subtree: 2, 1/3, 2*pi, 4*pi^2/3
    double bits = 0.0;  // ComplexityModel::bits(form)
    // value = p/q * pi^pi_power (or sqrt(2*pi)^pi_power when root_two_pi)
    long long p = 0, q = 1;
    int pi_power = 0;
    bool root_two_pi = false;
};

// Every simple value in [lo, hi] (at most `per_kind` nearest to the middle for each
// denominator and power of pi, so a wide interval stays a short list), cheapest first, then
// nearest to the middle. Empty for an interval that is not finite.
std::vector<SimpleValue> simple_values_between(double lo, double hi, const ComplexityModel& model,
                                               int max_denominator = 12, int per_kind = 3);

}  // namespace kepler
