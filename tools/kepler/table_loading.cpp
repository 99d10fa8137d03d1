#include "table_loading.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include "kepler/api/input_error.hpp"
#include "kepler/api/table_loading.hpp"
#include "kepler/api/unit_resolution.hpp"

namespace kepler::cli {

std::optional<Table> load_table(const std::string& path, const grammar::CsvOptions& options) {
    try {
        return api::load_table(path, options);
    } catch (const api::InputError& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return std::nullopt;
    }
}

bool check_column(const Table& table, const std::string& path, const std::string& name, const char* role) {
    try {
        api::require_column(table, path, name, role);
        return true;
    } catch (const api::InputError& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return false;
    }
}

bool check_exact_units(const Table& table, const std::string& path, const TableUnits& units,
                       const std::vector<std::size_t>& used) {
    try {
        api::check_exact_units(table, path, units, used);
        return true;
    } catch (const api::InputError& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return false;
    }
}

}  // namespace kepler::cli
