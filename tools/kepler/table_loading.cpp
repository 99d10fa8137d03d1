#include "table_loading.hpp"

#include "kepler/api/table_loading.hpp"
#include "kepler/api/unit_resolution.hpp"
#include "reported.hpp"

namespace kepler::cli {

std::optional<Table> load_table(const std::string& path, const grammar::CsvOptions& options) {
    std::optional<Table> table;
    if (!reported([&] { table = api::load_table(path, options); })) return std::nullopt;
    return table;
}

bool check_column(const Table& table, const std::string& path, const std::string& name, const char* role) {
    return reported([&] { api::require_column(table, path, name, role); });
}

bool check_exact_units(const Table& table, const std::string& path, const TableUnits& units,
                       const std::vector<std::size_t>& used) {
    return reported([&] { api::check_exact_units(table, path, units, used); });
}

}  // namespace kepler::cli
