// The non-dominated set of formulas: complexity (bits) against error (RMSE on all rows).
#pragma once

#include <cstddef>
#include <vector>

#include "kepler/fitting/candidate.hpp"

namespace kepler {

class ParetoFront {
public:
    // RMSEs that differ by less than a relative kRelativeRmseTolerance plus the absolute
    // `rmse_tolerance` count as equal: such differences are rounding (1/(1/x) against x), and
    // without this the front fills with more complex copies of the same fit.
    static constexpr double kRelativeRmseTolerance = 1e-9;
    ParetoFront() = default;
    explicit ParetoFront(double rmse_tolerance) : rmse_tolerance_(rmse_tolerance) {}

    // True if `a` is at least as good as `b` on both complexity_bits and rmse and strictly
    // better on one (exact comparison, no tolerance).
    static bool dominates(const Candidate& a, const Candidate& b) noexcept;

    // Adds `c` unless a member with no more bits has an rmse no worse (within the tolerance);
    // on a tie the earlier one is kept, so the result depends only on the order of insertion.
    // Removes the members that `c` so dominates. Candidates with a NaN score are refused.
    // Returns true if `c` was added.
    bool insert(Candidate c);
    // Inserts every member of `other`, in its order.
    void merge(const ParetoFront& other);
    // The RMSE a candidate of `bits` complexity must get below to be inserted: the least RMSE of
    // the members with no more bits (infinity if there is none). A candidate whose RMSE is
    // surely above it cannot join the front, so it need not be scored in full.
    double rmse_to_beat(double bits) const noexcept;

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
    // against fitting noise more strictly than BIC (1/2 log2 N bits per parameter) for any
    // realistic N.
    static double total_bits(const Candidate& c) noexcept;
    const Candidate& best() const;

    double rmse_tolerance() const noexcept { return rmse_tolerance_; }

private:
    // `a` is no better than `b`, allowing for the tolerance.
    bool no_better(double a, double b) const noexcept {
        return a >= b - (kRelativeRmseTolerance * b + rmse_tolerance_);
    }

    std::vector<Candidate> members_;
    double rmse_tolerance_ = 0.0;
};

}  // namespace kepler
