#include "table_loading.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include "kepler/grammar/csv_reader.hpp"
#include "kepler/grammar/parse_error.hpp"
#include "kepler/pipeline/dimensional_plan.hpp"

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

namespace {

// The largest denominator among a dimension's exponents (1 for whole exponents).
std::int32_t largest_denominator(const Dimension& d) {
    std::int32_t most = 1;
    for (const Rational& e : d.exponents()) most = std::max(most, e.den());
    return most;
}

}  // namespace

bool check_exact_units(const Table& table, const std::string& path, const TableUnits& units,
                       const std::vector<std::size_t>& used) {
    if (used.empty()) return true;
    std::string why;
    try {
        std::vector<Dimension> inputs;
        for (std::size_t k = 1; k < used.size(); ++k) inputs.push_back(units.columns[used[k]].dimension);
        (void)plan_dimensions(inputs, units.columns[used[0]].dimension, units.system);
        return true;
    } catch (const std::overflow_error& e) {
        why = e.what();
    }
    // The columns to blame: those with fractional exponents, finest first.
    std::vector<std::size_t> blamed;
    for (std::size_t c : used)
        if (largest_denominator(units.columns[c].dimension) > 1) blamed.push_back(c);
    std::stable_sort(blamed.begin(), blamed.end(), [&](std::size_t a, std::size_t b) {
        return largest_denominator(units.columns[a].dimension) > largest_denominator(units.columns[b].dimension);
    });
    if (blamed.empty()) blamed = used;
    const std::size_t first = blamed.front();
    std::cerr << "kepler: error: " << path << ":1:" << std::max<std::size_t>(1, table.unit_columns[first])
              << ": the units of ";
    for (std::size_t i = 0; i < blamed.size(); ++i)
        std::cerr << (i ? ", " : "") << table.names[blamed[i]] << " [" << table.units[blamed[i]] << "]";
    std::cerr << " have exponents too fine for exact dimensional analysis (" << why
              << "); expected exponents with small denominators (like 1/2), or run with --no-units\n";
    return false;
}

}  // namespace kepler::cli
