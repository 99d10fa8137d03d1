#include "kepler/search/pareto_front.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <stdexcept>

namespace kepler {

bool ParetoFront::dominates(const Candidate& a, const Candidate& b) noexcept {
    return a.complexity_bits <= b.complexity_bits && a.rmse <= b.rmse &&
           (a.complexity_bits < b.complexity_bits || a.rmse < b.rmse);
}

bool ParetoFront::insert(Candidate c) {
    if (std::isnan(c.complexity_bits) || std::isnan(c.rmse)) return false;
    // Members are sorted by strictly increasing bits and decreasing rmse, each better than the
    // one before by more than the tolerance. The member with the most bits <= c's has the
    // least rmse among all that are no more complex, so it alone decides whether c is
    // dominated.
    auto pos = std::upper_bound(members_.begin(), members_.end(), c.complexity_bits,
                                [](double bits, const Candidate& m) { return bits < m.complexity_bits; });
    if (pos != members_.begin() && no_better(c.rmse, std::prev(pos)->rmse)) return false;
    // Those c now dominates follow contiguously: at least as complex, no more accurate. A
    // member with equal bits sits just before pos and is worse than c (else we returned).
    auto first = pos;
    if (first != members_.begin() && std::prev(first)->complexity_bits == c.complexity_bits) --first;
    auto last = first;
    while (last != members_.end() && no_better(last->rmse, c.rmse)) ++last;
    first = members_.erase(first, last);
    members_.insert(first, std::move(c));
    return true;
}

void ParetoFront::merge(const ParetoFront& other) {
    for (const Candidate& c : other.members_) insert(c);
}

double ParetoFront::rmse_to_beat(double bits) const noexcept {
    // Members are sorted by increasing bits and decreasing rmse: the last one with bits <= `bits`.
    auto pos = std::upper_bound(members_.begin(), members_.end(), bits,
                                [](double b, const Candidate& m) { return b < m.complexity_bits; });
    return pos == members_.begin() ? std::numeric_limits<double>::infinity() : std::prev(pos)->rmse;
}

double ParetoFront::total_bits(const Candidate& c) noexcept {
    return c.complexity_bits + static_cast<double>(c.error_rows) * c.error_bits;
}

const Candidate& ParetoFront::best() const {
    if (members_.empty()) throw std::logic_error("ParetoFront::best on an empty front");
    const Candidate* best = &members_.front();
    for (const Candidate& c : members_) {
        // Members come in order of increasing bits, so a strict < keeps the simpler on a tie.
        if (total_bits(c) < total_bits(*best)) best = &c;
    }
    return *best;
}

}  // namespace kepler
