// Random well-formed expressions, for property tests (print/parse round trips) and for the
// evaluation micro-benchmark (Operon's harness: random formulas of up to 64 nodes).
#pragma once

#include <cstdint>
#include <random>
#include <span>

#include "kepler/core/expression.hpp"

namespace kepler {

struct RandomExpressionOptions {
    std::size_t max_nodes = 64;         // upper bound on the node count
    std::size_t variable_count = 1;     // variables x0 .. x<n-1>
    std::span<const Op> operators;      // unary/binary operators to draw from (empty: + - * /)
    double constant_probability = 0.2;  // chance that a leaf is a constant rather than a variable
};

// Grows a random tree top-down until the node budget is used; leaves are variables or
// constants (small integers, or reals in [-10, 10]).
Expression random_expression(std::mt19937_64& rng, const RandomExpressionOptions& options);

}  // namespace kepler
