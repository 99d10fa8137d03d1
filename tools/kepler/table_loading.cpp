#include "table_loading.hpp"

#include <iostream>

#include "kepler/grammar/csv_reader.hpp"
#include "kepler/grammar/parse_error.hpp"

namespace kepler::cli {

std::optional<Table> load_table(const std::string& path, const grammar::CsvOptions& options) {
    try {
        return grammar::read_csv(path, options);
    } catch (const grammar::ParseError& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return std::nullopt;
    }
}

bool check_column(const Table& table, const std::string& path, const std::string& name, const char* role) {
    if (table.column_index(name)) return true;
    std::string list;
    for (const auto& n : table.names) list += (list.empty() ? "" : ", ") + n;
    std::cerr << "kepler: error: " << path << ":1:1: unknown " << role << " column '" << name
              << "'; expected one of: " << list << "\n";
    return false;
}

}  // namespace kepler::cli
