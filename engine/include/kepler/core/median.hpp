// The median of a sample, as the judge, the group constants and the SRBench check read it: the
// upper median (element size/2 of the sorted values), so that it is one of the values and
// needs no averaging of two; NaN for an empty sample.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

namespace kepler {

inline double upper_median(std::vector<double> v) {
    if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

}  // namespace kepler
