// kepler units "EXPR": the dimension and scale of a unit expression.
// kepler units --groups DATA.csv --target COL: the dimensionless groups a fit would search over.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/grammar/parse_error.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/pipeline/dimensional_plan.hpp"
#include "table_loading.hpp"
#include "unit_resolution.hpp"

namespace kepler::cli {

namespace {

struct UnitsCommandArguments {
    std::string expression;
    std::string groups_data;
    std::string target;
    std::vector<std::string> inputs;
    UnitArguments units;
};

int show_unit(const UnitsCommandArguments& args) {
    try {
        const UnitSystem system = grammar::load_unit_system(args.units.unit_system);
        const ScaledDimension u = grammar::parse_unit(args.expression, system, "unit");
        std::cout << system.format(u.dimension) << "\n"
                  << args.expression << " = " << format_number(u.scale) << " " << system.format_in_units(u.dimension)
                  << "  (unit system " << system.name << ")\n";
        return kSuccess;
    } catch (const grammar::ParseError& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return kBadInput;
    }
}

int show_groups(const UnitsCommandArguments& args) {
    auto table = load_table(args.groups_data);
    if (!table) return kBadInput;
    if (!check_column(*table, args.groups_data, args.target, "target")) return kBadInput;
    for (const auto& in : args.inputs)
        if (!check_column(*table, args.groups_data, in, "input")) return kBadInput;
    const std::vector<std::size_t> used = used_columns(*table, args.target, args.inputs);
    ResolvedUnits units = resolve_units(*table, args.groups_data, args.units, used);
    if (!units.ok) return kBadInput;
    if (!units.units) {
        std::cerr << "kepler: error: " << args.groups_data
                  << ":1:1: the table has no units; expected `name [unit]` headers or a --units file\n";
        return kBadInput;
    }
    const TableUnits& u = *units.units;
    if (!check_exact_units(*table, args.groups_data, u, used)) return kBadInput;
    std::vector<Dimension> dims;
    std::vector<std::string> names;
    for (std::size_t k = 1; k < used.size(); ++k) {
        dims.push_back(u.columns[used[k]].dimension);
        names.push_back(table->names[used[k]]);
    }
    const Dimension& target = u.columns[used[0]].dimension;
    const DimensionalPlan plan = plan_dimensions(dims, target, u.system);
    std::cout << "target " << args.target << " : " << u.system.format(target) << "\n";
    for (std::size_t k = 0; k < names.size(); ++k)
        std::cout << "input  " << names[k] << " : " << u.system.format(dims[k]) << "\n";
    std::cout << "rank of the inputs' dimension matrix: " << plan.pi.rank << "\n";
    if (plan.monomial) {
        std::cout << "target monomial: " << to_infix(simplify(*plan.monomial), names) << "\n";
    } else if (!plan.constants.empty()) {
        std::cout << "target monomial: none; constants that complete the target's dimension:";
        for (const PhysicalConstant* c : plan.constants) std::cout << " " << c->symbol << " (" << c->name << ")";
        std::cout << "\n";
    } else {
        std::cout << "target monomial: none; an unknown dimensional constant is needed\n";
    }
    std::cout << "dimensionless groups (" << plan.groups.size() << "):\n";
    for (const auto& g : plan.groups) std::cout << "  " << to_infix(simplify(g), names) << "\n";
    return kSuccess;
}

}  // namespace

Runner add_units_command(CLI::App& app) {
    auto args = std::make_shared<UnitsCommandArguments>();
    CLI::App* units = app.add_subcommand(
        "units", "Show the dimension of a unit expression, or (--groups) the dimensionless groups of a table");
    units->add_option("unit", args->expression, "Unit expression, e.g. \"kg*m/s^2\" or statC");
    units->add_option("--groups", args->groups_data, "CSV table whose dimensionless groups to show");
    units->add_option("-t,--target", args->target, "With --groups: the target column");
    units->add_option("-i,--inputs", args->inputs, "With --groups: the input columns (default: all others)")
        ->delimiter(',');
    add_unit_options(*units, args->units);
    return [args]() -> int {
        if (!args->groups_data.empty()) {
            if (args->target.empty()) {
                std::cerr << "kepler: error: units --groups needs --target COL\n";
                return kBadInput;
            }
            return show_groups(*args);
        }
        if (args->expression.empty()) {
            std::cerr << "kepler: error: units needs a unit expression or --groups DATA.csv --target COL\n";
            return kBadInput;
        }
        return show_unit(*args);
    };
}

}  // namespace kepler::cli
