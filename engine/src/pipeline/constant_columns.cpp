#include "constant_columns.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "discover_problem.hpp"
#include "group_constants.hpp"
#include "kepler/core/printer.hpp"
#include "name_constants.hpp"

namespace kepler::pipeline {

namespace {

// The problem's inputs and target in coherent units, for the test.
struct Coherent {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    std::vector<Dimension> inputs;
    Dimension target;
};

Coherent coherent_problem(const Problem& p, const TableUnits& units) {
    Coherent c{p.X, p.y, {}, units.columns[p.target_column].dimension};
    for (std::size_t j = 0; j < p.columns.size(); ++j) {
        const ScaledDimension& sd = units.columns[p.columns[j]];
        c.X.col(static_cast<Eigen::Index>(j)) *= sd.scale;
        c.inputs.push_back(sd.dimension);
    }
    c.y *= units.columns[p.target_column].scale;
    return c;
}

std::string ratio_text(double r) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", r);
    return buf;
}

std::string symbols(const std::vector<const PhysicalConstant*>& constants) {
    std::string s;
    for (const PhysicalConstant* c : constants) s += (s.empty() ? "" : ", ") + c->symbol;
    return s;
}

bool reads_variable(const Expression& e, std::size_t k) {
    return std::any_of(e.nodes().begin(), e.nodes().end(),
                       [&](const Node& n) { return n.op == Op::Var && n.index == k; });
}

}  // namespace

std::optional<WithConstantColumns> with_group_constants(const Table& table, std::string_view target,
                                                        const DiscoverOptions& options) {
    if (!options.units || !options.group_constants) return std::nullopt;
    const TableUnits& units = *options.units;
    if (units.columns.size() != table.columns()) return std::nullopt;  // discover() reports it
    DiscoveryResult scratch;
    const Problem problem = select_problem(table, target, options, scratch);
    const Coherent c = coherent_problem(problem, units);
    const auto chosen =
        constants_for_groups(c.X, c.y, c.inputs, c.target, units.system, table.names, options.search.seed);
    if (!chosen) return std::nullopt;

    WithConstantColumns with{table, options, problem.columns.size(), chosen->constants, {}};
    with.options.inputs = scratch.inputs;
    with.options.group_constants = false;
    const auto first = static_cast<Eigen::Index>(table.columns());
    with.table.data.conservativeResize(Eigen::NoChange, first + static_cast<Eigen::Index>(chosen->constants.size()));
    for (std::size_t j = 0; j < chosen->constants.size(); ++j) {
        const PhysicalConstant& k = *chosen->constants[j];
        with.table.names.push_back(k.symbol);
        with.table.units.push_back(units.system.format_in_units(k.value.dimension));
        if (!with.table.unit_columns.empty()) with.table.unit_columns.push_back(0);
        with.table.data.col(first + static_cast<Eigen::Index>(j)).setConstant(k.value.scale);
        with.options.units->columns.push_back({1.0, k.value.dimension});
        with.options.inputs.push_back(k.symbol);
    }
    with.notes.push_back(
        "brought in " + symbols(chosen->constants) + " as constant columns: the inputs' dimensionless groups leave " +
        ratio_text(chosen->unexplained_before) + " times the rows' own noise unexplained, with the constants' groups " +
        ratio_text(chosen->unexplained_after) + " times");
    return with;
}

DiscoveryResult without_constant_columns(DiscoveryResult found, const WithConstantColumns& with) {
    const std::size_t n = with.inputs, brought = with.constants.size();
    const UnitSystem& system = with.options.units->system;
    found.inputs.resize(n);
    for (const PhysicalConstant* c : with.constants)
        found.constants_introduced.push_back(describe_constant(*c, system) + ", for the dimensionless groups");
    // The namer's note that a column has a constant's name is about the table's columns, not these.
    std::erase_if(found.notes, [&](const std::string& note) {
        return std::any_of(with.constants.begin(), with.constants.end(), [&](const PhysicalConstant* c) {
            return note.starts_with("the column " + c->symbol + " has the name of the unit system's constant");
        });
    });
    found.notes.insert(found.notes.begin(), with.notes.begin(), with.notes.end());

    std::vector<Expression> numeric;  // each column of with.table's problem to its numeric form
    for (std::size_t k = 0; k < n; ++k) numeric.push_back(Expression::variable(static_cast<std::uint16_t>(k)));
    for (const PhysicalConstant* c : with.constants) numeric.push_back(Expression::constant(c->value.scale));
    for (FoundLaw& law : found.front) {
        // The brought-in constants this law reads, first among its named constants.
        std::vector<NamedConstant> named;
        std::vector<Expression> to_named(numeric.begin(), numeric.begin() + static_cast<std::ptrdiff_t>(n));
        for (std::size_t j = 0; j < brought; ++j) {
            const PhysicalConstant& c = *with.constants[j];
            const bool read =
                reads_variable(law.named_expression.empty() ? law.expression : law.named_expression, n + j);
            to_named.push_back(Expression::variable(static_cast<std::uint16_t>(n + named.size())));
            if (read) named.push_back(named_constant(c, system));
        }
        for (std::size_t i = 0; i < law.named_constants.size(); ++i)
            to_named.push_back(Expression::variable(static_cast<std::uint16_t>(n + named.size() + i)));
        const Expression& over_columns = law.named_expression.empty() ? law.expression : law.named_expression;
        if (!named.empty() || !law.named_constants.empty())
            law.named_expression = substitute_variables(over_columns, to_named);
        named.insert(named.end(), law.named_constants.begin(), law.named_constants.end());
        law.named_constants = std::move(named);
        law.expression = substitute_variables(law.expression, numeric);
        law.numeric_formula = to_infix(law.expression, found.inputs);
    }
    return found;
}

}  // namespace kepler::pipeline
