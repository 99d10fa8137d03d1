// A dimension in mass, length and time (base dimensions 0, 1, 2), for the units tests.
#pragma once

#include "kepler/units/dimension.hpp"
#include "kepler/units/rational.hpp"

namespace kepler::testing {

inline Dimension mlt(Rational m, Rational l, Rational t) {
    Dimension d;
    d.set_exponent(0, m);
    d.set_exponent(1, l);
    d.set_exponent(2, t);
    return d;
}

}  // namespace kepler::testing
