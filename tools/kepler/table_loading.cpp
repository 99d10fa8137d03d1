#include "table_loading.hpp"

#include <iostream>

#include "kepler/api/input_error.hpp"
#include "kepler/api/table_loading.hpp"

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

}  // namespace kepler::cli
