#pragma once

namespace kepler::cli {

// The CLI's contract: 0 success, 2 bad usage or bad input, 1 internal failure.
enum ExitCode : int { kSuccess = 0, kInternalFailure = 1, kBadInput = 2 };

}  // namespace kepler::cli
