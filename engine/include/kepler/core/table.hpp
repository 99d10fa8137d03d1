// A table of measurements: named columns, each with the unit text its header gave, and the
// numbers as one column-major matrix (rows = observations, columns = channels).
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kepler {

struct Table {
    std::vector<std::string> names;  // one per column, unique
    std::vector<std::string> units;  // one per column, the header's unit text ("" if none given)
    Eigen::MatrixXd data;            // rows x columns, column-major
    // Where each unit text starts in the source's header line (1-based column), so a unit
    // that does not resolve can be reported at its place; empty or 0 when not known.
    std::vector<std::size_t> unit_columns;

    std::size_t rows() const noexcept { return static_cast<std::size_t>(data.rows()); }
    std::size_t columns() const noexcept { return names.size(); }
    // Index of the column called `name`, if there is one.
    std::optional<std::size_t> column_index(std::string_view name) const;
};

}  // namespace kepler
