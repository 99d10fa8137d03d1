// The non-dominated set of formulas: complexity (bits) against error (RMSE on all rows).
#pragma once

#include <cstddef>
#include <vector>

#include "kepler/search/candidate.hpp"

namespace kepler {

class ParetoFront {
public:
    // True if `a` is at least as good as `b` on both complexity_bits and rmse and strictly
    // better on one.
    static bool dominates(const Candidate& a, const Candidate& b) noexcept;

    // Adds `c` unless a member dominates it or scores exactly the same (the earlier one is
    // kept, so the result depends only on the order of insertion); removes the members `c`
    // dominates. Candidates with a NaN score are refused. Returns true if `c` was added.
    bool insert(Candidate c);
    // Inserts every member of `other`, in its order.
    void merge(const ParetoFront& other);

    // Sorted by increasing complexity_bits (so by strictly decreasing rmse).
    const std::vector<Candidate>& members() const noexcept { return members_; }
    std::size_t size() const noexcept { return members_.size(); }
    bool empty() const noexcept { return members_.empty(); }

    // The pick by minimum total description length: the formula's bits plus the bits of all
    // its residuals, complexity_bits + error_rows * error_bits; on a tie the one with fewer
    // complexity bits. Precondition: !empty().
    //
    // Why the residual bits are summed over rows and not averaged: a mean error costs at most
    // ~30 bits (relative error 1 against eps = 1e-9 rms(y)), less than the ~35 bits of a
    // 10-node formula, so with the mean no formula of that size could ever beat a constant,
    // exact or not (1/sqrt(1 - v^2/c^2) loses to 1.1). The sum is the standard two-part MDL
    // code: a fitted constant (20 bits) must then pay for itself over all rows, which guards
    // against over-fitting noise about as strictly as BIC does.
    static double total_bits(const Candidate& c) noexcept;
    const Candidate& best() const;

private:
    std::vector<Candidate> members_;
};

}  // namespace kepler
