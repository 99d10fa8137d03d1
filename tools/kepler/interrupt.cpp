#include "interrupt.hpp"

#include <csignal>

#include "exit_codes.hpp"

namespace kepler::cli {

namespace {

// SIGUSR2 too: mpirun forwards it to every rank (Open MPI forwards SIGUSR1/SIGUSR2 by default,
// while its own SIGINT/SIGTERM handling ends the ranks on a timer), so `kill -USR2 <mpirun>`
// stops a spread run the way Ctrl-C stops one process.
constexpr int kHandled[] = {SIGINT, SIGTERM, SIGHUP, SIGUSR2};

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");
static_assert(std::atomic<int>::is_always_lock_free, "the signal is stored from a signal handler");

extern "C" void on_stop_signal(int signal) {
    int none = 0;
    g_signal.compare_exchange_strong(none, signal, std::memory_order_relaxed);  // the first one counts
    g_interrupted.store(true, std::memory_order_relaxed);
    for (int s : kHandled) std::signal(s, SIG_DFL);  // a second signal kills the process
}

}  // namespace

const std::atomic<bool>& install_interrupt_handler() {
    for (int s : kHandled) std::signal(s, on_stop_signal);
    return g_interrupted;
}

int interrupt_signal() { return g_signal.load(std::memory_order_relaxed); }

int exit_code_after_signals(int code) {
    const int signal = interrupt_signal();
    return code == kSuccess && signal != 0 ? 128 + signal : code;
}

}  // namespace kepler::cli
