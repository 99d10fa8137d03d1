#include "interrupt.hpp"

#include <csignal>

namespace kepler::cli {

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");

extern "C" void on_sigint(int) {
    g_interrupted.store(true, std::memory_order_relaxed);
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C kills the process
}

}  // namespace

const std::atomic<bool>& install_interrupt_handler() {
    std::signal(SIGINT, on_sigint);
    return g_interrupted;
}

}  // namespace kepler::cli
