// Ctrl-C, SIGTERM, SIGHUP and SIGUSR2 (the one mpirun forwards to every rank as it is): the
// first of them asks the search to stop and report what it
// has (the best formulas so far printed and written to --json); a second one ends the process
// at once (the default action), so a stuck run can still be killed. A run that was stopped by
// a signal then exits with 128 + the signal's number (130 SIGINT, 143 SIGTERM, 129 SIGHUP), the
// shell's convention, so a script can tell a complete run from a stopped one.
#pragma once

#include <atomic>

namespace kepler::cli {

// Installs the handler for SIGINT, SIGTERM, SIGHUP and SIGUSR2 and returns the flag it sets.
const std::atomic<bool>& install_interrupt_handler();

// The signal that stopped the run, or 0 if none came.
int interrupt_signal();

// `code`, or 128 + the signal's number when a signal stopped the run and `code` is success.
int exit_code_after_signals(int code);

}  // namespace kepler::cli
