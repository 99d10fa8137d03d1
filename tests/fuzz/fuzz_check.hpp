// What every fuzz target does when a property fails: say what and on which text, then abort,
// which libFuzzer reports as a crash and saves the input for. Expected errors (ParseError) are
// caught by the targets themselves; any other exception escaping a parser is a bug, reported
// the same way by run_checked.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

namespace kepler::fuzz {

[[noreturn]] inline void fail(std::string_view what, std::string_view detail) {
    std::fprintf(stderr, "\nfuzz property failed: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(detail.size()), detail.data());
    std::abort();
}

// Runs `body`, turning an exception that is not an expected parse error into a failure.
template <class Body>
int run_checked(Body body) {
    try {
        body();
    } catch (const std::exception& e) {
        fail("unexpected exception", e.what());
    }
    return 0;
}

}  // namespace kepler::fuzz
