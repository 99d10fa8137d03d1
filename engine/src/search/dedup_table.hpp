// Observational-equivalence table of the enumerator (private to engine/src/search).
//
// Keys are hashes of value vectors rounded to ~9 significant digits; each key has an owner,
// a number that says which candidate holding those values is kept: the smallest one claims
// it. Claims from many threads are lock-free (open addressing, linear probing, CAS), so the
// winner does not depend on the order threads arrive in. Growing is not thread-safe: reserve
// room between parallel phases.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include "kepler/core/hashing.hpp"

namespace kepler::detail {

// Rounds the mantissa to 30 bits (relative step 2^-30 ~ 1e-9), so values that differ only by
// rounding errors of a different evaluation order share a key, and drops the 22 cleared bits.
// Adding +0.0 turns -0.0 into +0.0, so the two zeros are one value.
inline std::uint64_t rounded_value_bits(double v) noexcept {
    return (std::bit_cast<std::uint64_t>(v + 0.0) + (std::uint64_t{1} << 21)) >> 22;
}

// Hash of a value vector; never 0 (0 marks an empty slot). Four independent multiply chains
// keep the loop from waiting on one; the splitmix64 finaliser then mixes all bits.
inline std::uint64_t hash_values(const double* v, std::size_t n) noexcept {
    constexpr std::uint64_t k = 0x9e3779b97f4a7c15ull;
    std::uint64_t h0 = 0x243f6a8885a308d3ull, h1 = 0x13198a2e03707344ull, h2 = 0xa4093822299f31d0ull,
                  h3 = 0x082efa98ec4e6c89ull;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        h0 = (h0 ^ rounded_value_bits(v[i])) * k;
        h1 = (h1 ^ rounded_value_bits(v[i + 1])) * k;
        h2 = (h2 ^ rounded_value_bits(v[i + 2])) * k;
        h3 = (h3 ^ rounded_value_bits(v[i + 3])) * k;
    }
    for (; i < n; ++i) h0 = (h0 ^ rounded_value_bits(v[i])) * k;
    std::uint64_t x = h0 ^ std::rotl(h1, 16) ^ std::rotl(h2, 32) ^ std::rotl(h3, 48) ^ n;
    x = avalanche(x);
    return x == 0 ? 1 : x;
}

class DedupTable {
public:
    static constexpr std::size_t kSlotBytes = 2 * sizeof(std::uint64_t);

    DedupTable() { allocate(std::size_t{1} << 12); }

    std::size_t size() const noexcept { return count_.load(std::memory_order_relaxed); }
    std::size_t capacity() const noexcept { return mask_ + 1; }
    std::size_t bytes() const noexcept { return capacity() * kSlotBytes; }
    // Capacity needed to hold `keys` at a load of at most one half.
    static std::size_t capacity_for(std::size_t keys) noexcept { return std::bit_ceil(2 * keys + 1); }

    // Makes room for `keys` keys in all. Not thread-safe.
    void reserve(std::size_t keys) {
        const std::size_t want = capacity_for(keys);
        if (want <= capacity()) return;
        auto old_keys = std::move(keys_);
        auto old_owners = std::move(owners_);
        const std::size_t old_capacity = capacity();
        allocate(want);
        std::size_t moved = 0;
        for (std::size_t i = 0; i < old_capacity; ++i) {
            const std::uint64_t key = old_keys[i].load(std::memory_order_relaxed);
            if (key == 0) continue;
            std::size_t j = key & mask_;
            while (keys_[j].load(std::memory_order_relaxed) != 0) j = (j + 1) & mask_;
            keys_[j].store(key, std::memory_order_relaxed);
            owners_[j].store(old_owners[i].load(std::memory_order_relaxed), std::memory_order_relaxed);
            ++moved;
        }
        count_.store(moved, std::memory_order_relaxed);
    }

    struct Claim {
        std::size_t slot;
        bool leading;  // false: a smaller owner already holds the key, this claim can never win
    };

    // Finds or creates the slot of `key` and lowers its owner to `owner`. Thread-safe, as long
    // as reserve() left room.
    Claim claim(std::uint64_t key, std::uint64_t owner) noexcept {
        std::size_t i = key & mask_;
        for (;;) {
            std::uint64_t k = keys_[i].load(std::memory_order_relaxed);
            if (k == 0) {
                if (keys_[i].compare_exchange_strong(k, key, std::memory_order_relaxed)) {
                    count_.fetch_add(1, std::memory_order_relaxed);
                    k = key;
                }
            }
            if (k == key) {
                std::uint64_t current = owners_[i].load(std::memory_order_relaxed);
                while (owner < current &&
                       !owners_[i].compare_exchange_weak(current, owner, std::memory_order_relaxed)) {}
                return {i, owner <= current};
            }
            i = (i + 1) & mask_;
        }
    }

    // Whether `key` is present. Thread-safe while nobody claims.
    bool contains(std::uint64_t key) const noexcept {
        for (std::size_t i = key & mask_;; i = (i + 1) & mask_) {
            const std::uint64_t k = keys_[i].load(std::memory_order_relaxed);
            if (k == key) return true;
            if (k == 0) return false;
        }
    }

    // The final owner of a slot; read after the parallel phase that claimed it.
    std::uint64_t owner(std::size_t slot) const noexcept { return owners_[slot].load(std::memory_order_relaxed); }

private:
    void allocate(std::size_t capacity) {
        // Value-initialised atomics: every key 0 (empty); owners start at the largest value.
        keys_ = std::make_unique<std::atomic<std::uint64_t>[]>(capacity);
        owners_ = std::make_unique<std::atomic<std::uint64_t>[]>(capacity);
        for (std::size_t i = 0; i < capacity; ++i) owners_[i].store(~std::uint64_t{0}, std::memory_order_relaxed);
        mask_ = capacity - 1;
        count_.store(0, std::memory_order_relaxed);
    }

    std::unique_ptr<std::atomic<std::uint64_t>[]> keys_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> owners_;
    std::size_t mask_ = 0;
    std::atomic<std::size_t> count_{0};
};

}  // namespace kepler::detail
