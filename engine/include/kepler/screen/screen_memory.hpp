// The memory screening holds, and fewer rows where it would exceed a cap
// (SearchOptions::max_memory_mb, `kepler fit --max-memory`). Screening's working set grows with
// the channels: the sampled readings (max_rows x channels), the all-pairs correlation's three
// copies of pair_rows x channels and its two channels x channels matrices, doubles throughout;
// everything after it (the short list's surrogate, the subsets' response surfaces) works on at
// most a dozen channels and a few thousand rows.
#pragma once

#include <cstddef>

#include "kepler/screen/screen.hpp"

namespace kepler {

// Fewer rows than this and the scores say little (and no fewer than options.min_readings).
inline constexpr std::size_t kMinScreenRows = 200;

// The bytes screening `channels` channels with `options` holds at its peak (an upper bound).
std::size_t screening_bytes(std::size_t channels, const ScreenOptions& options);

// Lowers options.max_rows and pair_rows (to no fewer than kMinScreenRows) until
// screening_bytes(channels, options) <= max_bytes. Throws std::invalid_argument saying how much
// screening needs when even the fewest rows exceed it (the channels x channels part does not
// shrink with rows): "screening 20000 channels needs at least 6.4 GB, over the memory cap of
// 2048 MB".
void fit_screen_to_memory(ScreenOptions& options, std::size_t channels, std::size_t max_bytes);

}  // namespace kepler
