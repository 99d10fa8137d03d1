// Storage for the enumerator's value vectors (private to engine/src/search).
//
// The bank holds millions of small vectors (one per sub-expression, sample_rows doubles each)
// that all live until the search ends, so a bump allocator over large slabs is enough: one
// allocation per 64 MiB instead of one per tile, and no allocator bookkeeping per vector.
// (Transparent huge pages were tried and made page-fault time worse and erratic in a VM.)
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

namespace kepler::detail {

class ValueArena {
public:
    static constexpr std::size_t kSlabDoubles = (std::size_t{64} << 20) / sizeof(double);

    // Room for `count` doubles, contiguous and uninitialised, alive as long as the arena.
    // Not thread-safe.
    double* allocate(std::size_t count) {
        if (count == 0) return nullptr;
        if (slabs_.empty() || used_ + count > slab_size_) {
            slab_size_ = std::max(kSlabDoubles, count);
            slabs_.push_back(std::make_unique_for_overwrite<double[]>(slab_size_));
            used_ = 0;
            reserved_ += slab_size_ * sizeof(double);
        }
        double* out = slabs_.back().get() + used_;
        used_ += count;
        return out;
    }

    // Bytes taken from the system so far.
    std::size_t reserved_bytes() const noexcept { return reserved_; }

private:
    std::vector<std::unique_ptr<double[]>> slabs_;
    std::size_t slab_size_ = 0;
    std::size_t used_ = 0;
    std::size_t reserved_ = 0;
};

}  // namespace kepler::detail
