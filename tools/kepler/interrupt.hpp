// Ctrl-C handling: the first SIGINT asks the search to stop and report what it has; a second
// one ends the process at once (the default action), so a stuck run can still be killed.
#pragma once

#include <atomic>

namespace kepler::cli {

// Installs the handler and returns the flag it sets.
const std::atomic<bool>& install_interrupt_handler();

}  // namespace kepler::cli
