// A formula as a sum of terms, for the evolutionary search's fit (evolution.hpp): each term
// gets a least-squares coefficient of its own, so a partial sum of the right terms already
// fits well. Sums at the top are split, and products and quotients over a sum are
// distributed: x*(y + z) is x*y + x*z, (a - b)/c is a/c - b/c.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler::detail {

// At most this many terms, each under at most kMaxFactors distributed factors.
inline constexpr std::size_t kMaxTerms = 8;
inline constexpr std::size_t kMaxFactors = 2;

// A subtree of a formula: nodes [begin, last].
struct Span {
    std::size_t begin = 0, last = 0;
};

// One term: sign * summand, multiplied (Mul) or divided (Div) by each factor in turn.
struct Term {
    Span summand;
    double sign = 1.0;
    std::vector<std::pair<Span, Op>> factors;
};

// The terms of f, in node order (f equals the sum of their values, up to rounding): the
// first term that can be split is split, until none can or there are kMaxTerms. A formula
// that is no sum is one term.
void split_terms(const Expression& f, std::vector<Term>& terms);

// The subtree `s` of f as a formula of its own.
Expression subtree_expression(const Expression& f, const Span& s);

// The term's value as a formula, its sign left out: factor * summand or summand / factor.
Expression term_expression(const Expression& f, const Term& t);

}  // namespace kepler::detail
