// Complexity of a formula as a description length in bits.
//
// Each operator and variable costs log2(alphabet size) bits, where the alphabet is every
// operator the search may use plus the variables. A numeric constant costs what it takes to
// name it: a small integer n costs log2(1+|n|) + 1 bits (sign), a simple rational p/q costs
// log2((1+|p|)(q)) + 1 bits, pi costs like an operator, and any other real (a free or fitted
// constant) costs kRealConstantBits. So 2*x is cheaper than 2.0137*x.
#pragma once

#include "kepler/core/expression.hpp"

namespace kepler {

struct ComplexityModel {
    static constexpr double kRealConstantBits = 20.0;
    int operator_count = 14;  // size of the operator set in use
    int variable_count = 1;   // number of input variables

    double symbol_bits() const noexcept;
    double constant_bits(double value) const noexcept;
    double bits(const Expression& e) const noexcept;
};

}  // namespace kepler
