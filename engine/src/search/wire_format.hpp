// Formulas and fronts as bytes, for the collectives of kepler/core/peers.hpp: what the
// evolution's islands on different ranks send each other (migrants) and how the ranks' fronts
// are brought together. Exact: every number travels as its bits, so a formula read back
// evaluates to the same values and a front read back merges as the original would.
#pragma once

#include "kepler/core/expression.hpp"
#include "kepler/core/peers.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/search/pareto_front.hpp"

namespace kepler::detail {

void put_expression(ByteWriter& out, const Expression& e);
// Throws std::out_of_range past the end, std::invalid_argument for a malformed formula.
Expression get_expression(ByteReader& in);

void put_candidate(ByteWriter& out, const Candidate& c);
Candidate get_candidate(ByteReader& in);

// The members of a front, in order; read back with get_front_into (insert in that order).
void put_front(ByteWriter& out, const ParetoFront& front);
void get_front_into(ByteReader& in, ParetoFront& front);

}  // namespace kepler::detail
