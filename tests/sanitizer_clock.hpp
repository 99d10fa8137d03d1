// Clocks under the sanitizers. AddressSanitizer and UndefinedBehaviorSanitizer slow the code
// several times (tools/run-sanitizers.sh), so a test whose time limit is only a safety cap, or
// whose slack on a deadline is measured for an optimised build, scales it by kClockScale.
#pragma once

namespace kepler::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr double kClockScale = 10.0;
#else
inline constexpr double kClockScale = 1.0;
#endif

}  // namespace kepler::testing
