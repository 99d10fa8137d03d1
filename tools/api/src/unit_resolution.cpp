#include "kepler/api/unit_resolution.hpp"

#include <stdexcept>

#include <sstream>

#include <algorithm>

#include "kepler/api/input_error.hpp"
#include "kepler/grammar/column_units.hpp"
#include "kepler/grammar/parse_error.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/pipeline/dimensional_plan.hpp"

namespace kepler::api {

std::vector<std::size_t> used_columns(const Table& table, const std::string& target,
                                      const std::vector<std::string>& inputs) {
    std::vector<std::size_t> used;
    if (auto t = table.column_index(target)) used.push_back(*t);
    if (inputs.empty()) {  // every column but the target and the timestamps, as discover() takes them
        for (std::size_t j = 0; j < table.columns(); ++j)
            if (table.names[j] != target && !table.is_timestamp(j)) used.push_back(j);
    } else {
        for (const auto& name : inputs)
            if (auto j = table.column_index(name)) used.push_back(*j);
    }
    return used;
}

namespace {

// Where a column's unit text came from, for error messages.
struct UnitSource {
    std::string text;
    std::string file;
    std::size_t line = 0;
    std::size_t column = 0;  // 1-based column of the text's first character; 0 = not known
};

// The header's unit texts, where the table says they are. A table built by hand does not
// know: its texts are reported as "unit of column 'a'", by character within the text.
std::vector<UnitSource> header_units(const Table& table, std::string_view source) {
    std::vector<UnitSource> sources(table.columns());
    for (std::size_t j = 0; j < table.columns(); ++j) {
        if (j >= table.units.size() || table.units[j].empty()) continue;
        const std::size_t col = j < table.unit_columns.size() ? table.unit_columns[j] : 0;
        if (col > 0)
            sources[j] = {table.units[j], std::string(source), 1, col};
        else
            sources[j] = {table.units[j], "unit of column '" + table.names[j] + "'", 1, 1};
    }
    return sources;
}

// Adds the side file's units to `sources`; a column may appear in both only with the same text.
void add_side_file_units(const Table& table, std::string_view source, const std::string& path,
                         std::vector<UnitSource>& sources) {
    for (const grammar::ColumnUnit& cu : grammar::read_column_units(path)) {
        const std::string where = path + ":" + std::to_string(cu.line) + ":1: ";
        const InputPosition position{path, cu.line, 1};
        auto j = table.column_index(cu.column);
        if (!j)
            throw InputError(where + "no column '" + cu.column + "' in " + std::string(source), position, cu.column);
        UnitSource& s = sources[*j];
        if (!s.text.empty() && s.text != cu.unit_text)
            throw InputError(where + "column '" + cu.column + "' has two units: '" + cu.unit_text + "' here and '" +
                                 s.text + "' in the header of " + std::string(source),
                             position, cu.column);
        s = {cu.unit_text, path, cu.line, cu.column_in_line};
    }
}

}  // namespace

std::optional<TableUnits> resolve_units(const Table& table, std::string_view source, const UnitChoice& choice,
                                        const std::vector<std::size_t>& used) {
    std::size_t parsing = table.columns();  // the column whose unit is being parsed, for the error
    try {
        std::vector<UnitSource> sources = header_units(table, source);
        if (!choice.file.empty()) add_side_file_units(table, source, choice.file, sources);
        bool any = false;
        for (const auto& s : sources) any = any || !s.text.empty();
        if (!any) return std::nullopt;  // no units at all: dimensional analysis off

        UnitSystem system = grammar::load_unit_system(choice.system);
        TableUnits units;
        units.columns.resize(table.columns());
        for (std::size_t j = 0; j < table.columns(); ++j) {
            const UnitSource& s = sources[j];
            if (s.text.empty()) continue;
            parsing = j;
            units.columns[j] = grammar::parse_unit(s.text, system, s.file, s.line, s.column > 0 ? s.column - 1 : 0);
        }
        parsing = table.columns();
        for (std::size_t j : used)
            if (sources[j].text.empty())
                throw InputError(std::string(source) + ":1:1: column '" + table.names[j] +
                                     "' has no unit while other columns have one; give it one ([1] for a pure "
                                     "number) or give none at all",
                                 {std::string(source), 1, 1}, table.names[j]);
        units.system = std::move(system);
        return units;
    } catch (const grammar::ParseError& e) {
        throw InputError(e, parsing < table.columns() ? table.names[parsing] : std::string());
    }
}

namespace {

// The largest denominator among a dimension's exponents (1 for whole exponents).
std::int32_t largest_denominator(const Dimension& d) {
    std::int32_t most = 1;
    for (const Rational& e : d.exponents()) most = std::max(most, e.den());
    return most;
}

}  // namespace

void check_exact_units(const Table& table, std::string_view source, const TableUnits& units,
                       const std::vector<std::size_t>& used) {
    if (used.empty()) return;
    std::string why;
    try {
        std::vector<Dimension> inputs;
        for (std::size_t k = 1; k < used.size(); ++k) inputs.push_back(units.columns[used[k]].dimension);
        (void)plan_dimensions(inputs, units.columns[used[0]].dimension, units.system);
        return;
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
    const std::size_t column =
        first < table.unit_columns.size() ? std::max<std::size_t>(1, table.unit_columns[first]) : 1;
    std::ostringstream message;
    message << source << ":1:" << column << ": the units of ";
    for (std::size_t i = 0; i < blamed.size(); ++i)
        message << (i ? ", " : "") << table.names[blamed[i]] << " [" << table.units[blamed[i]] << "]";
    message << " have exponents too fine for exact dimensional analysis (" << why
            << "); expected exponents with small denominators (like 1/2), or run with --no-units";
    throw InputError(message.str(), {std::string(source), 1, column}, table.names[first]);
}

}  // namespace kepler::api
