#include "unit_resolution.hpp"

#include <iostream>

#include "kepler/grammar/column_units.hpp"
#include "kepler/grammar/parse_error.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"

namespace kepler::cli {

void add_unit_options(CLI::App& command, UnitArguments& args) {
    command
        .add_option("--unit-system", args.unit_system,
                    "Unit system: si, si-angle, gaussian, natural, feynman, or a unit-system file")
        ->capture_default_str();
    command.add_option("--units", args.units_file,
                       "File giving column units, one `name [unit]` per line (instead of, or besides, the header)");
}

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
    std::size_t column = 0;  // 1-based column of the text's first character
};

}  // namespace

ResolvedUnits resolve_units(const Table& table, const std::string& data_path, const UnitArguments& args,
                            const std::vector<std::size_t>& used) {
    ResolvedUnits out;
    auto fail = [&](const std::string& message) {
        std::cerr << "kepler: error: " << message << "\n";
        out.ok = false;
        return out;
    };
    try {
        std::vector<UnitSource> sources(table.columns());
        for (std::size_t j = 0; j < table.columns(); ++j) {
            if (table.units[j].empty()) continue;
            std::size_t col = j < table.unit_columns.size() ? table.unit_columns[j] : 0;
            sources[j] = {table.units[j], data_path, 1, col};
        }
        if (!args.units_file.empty()) {
            for (const grammar::ColumnUnit& cu : grammar::read_column_units(args.units_file)) {
                auto j = table.column_index(cu.column);
                std::string where = args.units_file + ":" + std::to_string(cu.line) + ":1: ";
                if (!j) return fail(where + "no column '" + cu.column + "' in " + data_path);
                UnitSource& s = sources[*j];
                if (!s.text.empty() && s.text != cu.unit_text)
                    return fail(where + "column '" + cu.column + "' has two units: '" + cu.unit_text + "' here and '" +
                                s.text + "' in the header of " + data_path);
                s = {cu.unit_text, args.units_file, cu.line, cu.column_in_line};
            }
        }
        bool any = false;
        for (const auto& s : sources) any = any || !s.text.empty();
        if (!any) return out;  // no units at all: dimensional analysis off

        UnitSystem system = grammar::load_unit_system(args.unit_system);
        TableUnits units;
        units.columns.resize(table.columns());
        for (std::size_t j = 0; j < table.columns(); ++j) {
            const UnitSource& s = sources[j];
            if (s.text.empty()) continue;
            units.columns[j] = grammar::parse_unit(s.text, system, s.file, s.line, s.column > 0 ? s.column - 1 : 0);
        }
        for (std::size_t j : used)
            if (sources[j].text.empty())
                return fail(data_path + ":1:1: column '" + table.names[j] +
                            "' has no unit while other columns have one; give it one ([1] for a pure number) or "
                            "give none at all");
        units.system = std::move(system);
        out.units = std::move(units);
        return out;
    } catch (const grammar::ParseError& e) {
        return fail(e.what());
    }
}

}  // namespace kepler::cli
