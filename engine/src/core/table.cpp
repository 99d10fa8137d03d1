#include "kepler/core/table.hpp"

#include <stdexcept>

namespace kepler {

std::optional<std::size_t> Table::column_index(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return i;
    return std::nullopt;
}

std::size_t Table::require_column(std::string_view name, std::string_view role) const {
    if (auto j = column_index(name)) return *j;
    std::string message = "unknown ";
    message += role;
    message += " column '";
    message += name;
    message += "'; the table has: ";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) message += ", ";
        message += names[i];
    }
    throw std::invalid_argument(message);
}

}  // namespace kepler
