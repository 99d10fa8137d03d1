#include "kepler/screen/screen_memory.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace kepler {

std::size_t screening_bytes(std::size_t channels, const ScreenOptions& options) {
    const std::size_t q = channels;
    return sizeof(double) * (options.max_rows * q + 3 * options.pair_rows * q + 2 * q * q);
}

void fit_screen_to_memory(ScreenOptions& options, std::size_t channels, std::size_t max_bytes) {
    if (screening_bytes(channels, options) <= max_bytes) return;
    const std::size_t fewest = std::max(kMinScreenRows, options.min_readings);
    ScreenOptions least = options;
    least.max_rows = std::min(options.max_rows, fewest);
    least.pair_rows = std::min(options.pair_rows, fewest);
    const std::size_t need = screening_bytes(channels, least);
    if (need > max_bytes) {
        char text[160];
        std::snprintf(text, sizeof text, "screening %zu channels needs at least %.0f MB, over the memory cap of %zu MB",
                      channels, static_cast<double>(need) / 1048576.0, max_bytes >> 20);
        throw std::invalid_argument(text);
    }
    // Both row counts scaled by one factor: the bytes are linear in them beyond the q x q part.
    const double rows_part = static_cast<double>(screening_bytes(channels, options) - 16 * channels * channels);
    const double room = static_cast<double>(max_bytes - 16 * channels * channels);
    const double factor = room / rows_part;
    options.max_rows =
        std::max(least.max_rows, static_cast<std::size_t>(static_cast<double>(options.max_rows) * factor));
    options.pair_rows =
        std::max(least.pair_rows, static_cast<std::size_t>(static_cast<double>(options.pair_rows) * factor));
    while (screening_bytes(channels, options) > max_bytes &&
           (options.max_rows > least.max_rows || options.pair_rows > least.pair_rows)) {
        options.max_rows = std::max(least.max_rows, options.max_rows * 9 / 10);
        options.pair_rows = std::max(least.pair_rows, options.pair_rows * 9 / 10);
    }
}

}  // namespace kepler
