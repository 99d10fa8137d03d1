// Internal to screening: disjoint sets of channels (the components of the correlated pairs).
#pragma once

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <vector>

namespace kepler::screening {

// Union by smaller index, with path halving: the root of a set is its smallest member.
struct UnionFind {
    std::vector<std::size_t> parent;
    UnionFind() = default;
    explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    std::size_t find(std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }
    void join(std::size_t a, std::size_t b) {
        a = find(a);
        b = find(b);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
};

}  // namespace kepler::screening
