// The rows a search works on: the seeded sample it enumerates or evolves on, and all rows in a
// seeded random order for the sequential scoring of finalists (sequential_scoring.hpp needs
// every prefix to be a random sample). Shared by the enumerator and the evolution, so the same
// seed gives both the same sample.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "kepler/search/search_options.hpp"

namespace kepler::detail {

struct Rows {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

// `m` rows of (X, y) drawn without replacement from `seed` (partial Fisher-Yates), kept in the
// table's order; all rows when m is 0 or at least the row count.
Rows sample_rows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::size_t m, std::uint64_t seed);

// What every search asks of its table: as many rows in X as values in y, at most 65,535 input
// columns (Var nodes hold a 16-bit index), every value finite, and one dimension per column
// when `dimensions` is given. Throws std::invalid_argument naming `search` otherwise.
void check_search_table(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                        const std::optional<DimensionalConstraints>& dimensions, std::string_view search);

// All rows of (X, y) in a random order from `seed`.
Rows shuffled_rows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::uint64_t seed);

}  // namespace kepler::detail
