// A table of measurements: named columns, each with the unit text its header gave, and the
// numbers as one column-major matrix (rows = observations, columns = channels). A missing
// value is a quiet NaN.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kepler {

// What a column holds. A timestamp column (seconds since the Unix epoch, UTC) says when a row
// was recorded; it is not a physical input unless a caller names it as one.
enum class ColumnRole : std::uint8_t { Measurement, Timestamp };

struct Table {
    std::vector<std::string> names;  // one per column, unique
    std::vector<std::string> units;  // one per column, the header's unit text ("" if none given)
    Eigen::MatrixXd data;            // rows x columns, column-major
    // Where each unit text starts in the source's header line (1-based column), so a unit
    // that does not resolve can be reported at its place; empty or 0 when not known.
    std::vector<std::size_t> unit_columns;
    // One role per column; empty, or shorter than the columns, means Measurement for the rest,
    // so a table built by hand needs nothing here.
    std::vector<ColumnRole> roles;

    std::size_t rows() const noexcept { return static_cast<std::size_t>(data.rows()); }
    std::size_t columns() const noexcept { return names.size(); }
    // Index of the column called `name`, if there is one.
    std::optional<std::size_t> column_index(std::string_view name) const;
    // The index of the column called `name`; throws std::invalid_argument "unknown <role> column
    // 'name'; the table has: a, b, c" if there is none.
    std::size_t require_column(std::string_view name, std::string_view role) const;
    bool is_timestamp(std::size_t column) const noexcept {
        return column < roles.size() && roles[column] == ColumnRole::Timestamp;
    }
};

}  // namespace kepler
