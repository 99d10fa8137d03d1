// The two hashing steps the engine's structural hashes share: FNV-1a to fold words in, and
// the splitmix64 finaliser to spread the result over all 64 bits (so a hash table can use its
// low bits directly).
#pragma once

#include <cstdint>

namespace kepler {

inline constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ull;

// One FNV-1a step over a whole 64-bit word.
constexpr std::uint64_t fnv1a(std::uint64_t h, std::uint64_t word) noexcept { return (h ^ word) * 0x100000001b3ull; }

// splitmix64's finaliser (Steele, Lea and Flood, 2014): a bijection with full avalanche.
constexpr std::uint64_t avalanche(std::uint64_t h) noexcept {
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

}  // namespace kepler
