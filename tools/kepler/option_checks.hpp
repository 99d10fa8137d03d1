// Range checks for the CLI's numeric options. CLI11's own (PositiveNumber, Range) let NaN through
// and print the bound of a double in full (309 digits); these say what was expected in words and
// are used by every subcommand, so a bad option is always "kepler: error: --opt: expected ...".
#pragma once

#include <CLI/Validators.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

namespace kepler::cli {

namespace option_checks_detail {

inline std::string found(const std::string& text) { return ", found '" + text + "'"; }

inline std::string shortest(double v) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

}  // namespace option_checks_detail

// A finite number in [min, max] (or (min, max] when min is excluded), described as `what`
// ("a number of seconds").
inline CLI::Validator finite_number(double min, double max, bool min_excluded, const std::string& what) {
    using namespace option_checks_detail;
    const std::string range = (min_excluded ? "(" : "[") + shortest(min) + ", " + shortest(max) + "]";
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            double v = 0.0;
            const char* first = text.data();
            const char* last = first + text.size();
            if (first != last && *first == '+') ++first;
            auto [end, ec] = std::from_chars(first, last, v);
            if (ec != std::errc() || end != last || !std::isfinite(v) || v < min || v > max ||
                (min_excluded && v == min))
                return "expected " + what + " in " + range + found(text);
            return "";
        },
        what + " in " + range);
}

// A whole number in [min, max], written in decimal without a sign ("-1" is refused rather than
// wrapped to 2^64 - 1).
inline CLI::Validator whole_number(std::uint64_t min, std::uint64_t max, const std::string& what) {
    using namespace option_checks_detail;
    const std::string range = "[" + std::to_string(min) + ", " + std::to_string(max) + "]";
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            std::uint64_t v = 0;
            const char* first = text.data();
            const char* last = first + text.size();
            auto [end, ec] = std::from_chars(first, last, v);
            if (first == last || ec != std::errc() || end != last || v < min || v > max)
                return "expected " + what + ", a whole number in " + range + found(text);
            return "";
        },
        what + " in " + range);
}

// The limits the options are checked against: beyond them a run would only exhaust memory or
// overflow a clock, so they are refused before any work.
inline constexpr double kMaxSeconds = 1e9;  // about 31 years
inline constexpr std::uint64_t kMaxGeneratedRows = 10'000'000;
inline constexpr std::uint64_t kMaxGeneratedChannels = 10'000;
inline constexpr std::uint64_t kMaxThreads = 4096;
inline constexpr std::uint64_t kMaxEnumeratedNodes = 64;
inline constexpr std::uint64_t kMaxSeed = UINT64_MAX;
inline constexpr std::uint64_t kMaxMemoryMegabytes = std::uint64_t{1}
                                                     << 24;  // 16 TiB: megabytes << 20 stays in 64 bits

}  // namespace kepler::cli
