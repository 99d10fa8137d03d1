#include "kepler/core/table.hpp"

namespace kepler {

std::optional<std::size_t> Table::column_index(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return i;
    return std::nullopt;
}

}  // namespace kepler
