#include "kepler/api/table_loading.hpp"

#include "kepler/api/input_error.hpp"
#include "kepler/grammar/parse_error.hpp"

namespace kepler::api {

Table load_table(const std::string& path, const grammar::CsvOptions& options) {
    try {
        return grammar::read_csv(path, options);
    } catch (const grammar::ParseError& e) {
        throw InputError(e);
    }
}

void require_column(const Table& table, std::string_view source, const std::string& name, std::string_view role) {
    if (table.column_index(name)) return;
    std::string list;
    for (const auto& n : table.names) list += (list.empty() ? "" : ", ") + n;
    const std::string where(source);
    throw InputError(where + ":1:1: unknown " + std::string(role) + " column '" + name + "'; expected one of: " + list,
                     {where, 1, 1}, name);
}

}  // namespace kepler::api
