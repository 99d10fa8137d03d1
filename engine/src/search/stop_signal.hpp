// When a search must stop: its cancel flag (Ctrl-C) or its deadline. Shared by the enumerator
// and the evolution; any thread may ask, and the first reason seen is remembered.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>

namespace kepler::detail {

class StopSignal {
public:
    using Clock = std::chrono::steady_clock;

    // Stops `time_limit_seconds` from now (negative counts as 0; capped at 1e9 s).
    StopSignal(const std::atomic<bool>* cancel, double time_limit_seconds)
        : cancel_(cancel),
          deadline_(Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                       std::min(std::max(0.0, time_limit_seconds), 1e9)))) {}

    // True once the cancel flag is set or the deadline has passed (and from then on).
    bool requested() const {
        if (stop_.load(std::memory_order_relaxed)) return true;
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) {
            cancelled_.store(true, std::memory_order_relaxed);
            stop_.store(true, std::memory_order_relaxed);
            return true;
        }
        if (Clock::now() >= deadline_) {
            timed_out_.store(true, std::memory_order_relaxed);
            stop_.store(true, std::memory_order_relaxed);
            return true;
        }
        return false;
    }
    // Whether requested() has returned true (without checking again).
    bool stopped() const { return stop_.load(); }
    bool cancelled() const { return cancelled_.load(); }
    // Stopped by the clock and not by the cancel flag.
    bool timed_out() const { return timed_out_.load() && !cancelled_.load(); }

private:
    const std::atomic<bool>* cancel_;
    Clock::time_point deadline_;
    // Mutable: any (const) step of a search may notice the stop and raise the flags.
    mutable std::atomic<bool> stop_{false}, cancelled_{false}, timed_out_{false};
};

}  // namespace kepler::detail
