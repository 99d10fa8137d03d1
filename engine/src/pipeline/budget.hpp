// The time, the evaluations and the cancel flag of one run, shared by its stages: discover(),
// screened_discover() and the structure split (private to the pipeline).
//
// A budget is a stack of scopes. A stage (or a sub-problem of the split) opens a Scope with a
// share of what the enclosing scope has left: that share of the seconds left and that share
// of the evaluations left (both, so that a run bounded by evaluations is deterministic).
// What a stage spends is spent by every enclosing scope too, and what a scope does not use
// passes back to its parent when it closes. The shares themselves (stage 1 half, the split
// 40 %, ...) are the callers' and are documented where they are taken.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <limits>
#include <vector>

namespace kepler::pipeline {

class Budget {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t kUnlimited = std::numeric_limits<std::size_t>::max();

    // `seconds` from now (negative counts as 0); max_evaluations 0 = no limit; cancel may be null.
    Budget(double seconds, std::size_t max_evaluations, const std::atomic<bool>* cancel);

    const std::atomic<bool>* cancel_flag() const { return cancel_; }
    bool cancelled() const { return cancel_ != nullptr && cancel_->load(std::memory_order_relaxed); }
    // The current scope's seconds or evaluations are spent, or the run was cancelled.
    bool stopped() const { return cancelled() || Clock::now() >= deadlines_.back() || evaluations_.back() == 0; }
    double seconds_left() const;
    double seconds_elapsed() const { return std::chrono::duration<double>(Clock::now() - started_).count(); }
    // `share` (at most 1) of the current scope's evaluations, rounded down; kUnlimited without a limit.
    std::size_t evaluations_left(double share = 1.0) const;
    bool has_evaluations_left(double share = 1.0) const { return evaluations_left(share) > 0; }
    // The same as SearchOptions::max_evaluations reads it: 0 = no limit, else at least 1.
    std::size_t evaluation_limit(double share = 1.0) const;
    // Counts `evaluations` against the current scope and every enclosing one.
    void spend(std::size_t evaluations);

    // A scope with `share` of what the current one has left; closes on destruction.
    class Scope {
    public:
        Scope(Budget& budget, double share);
        // The same, with at most `evaluations` of that share: a part of the split solved on one
        // rank of several, whose evaluations are fixed before the ranks part
        // (pipeline/structure_split.cpp).
        Scope(Budget& budget, double share, std::size_t evaluations);
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        Budget& budget_;
    };

private:
    Clock::time_point started_ = Clock::now();
    const std::atomic<bool>* cancel_;
    std::vector<Clock::time_point> deadlines_;
    std::vector<std::size_t> evaluations_;
};

}  // namespace kepler::pipeline
