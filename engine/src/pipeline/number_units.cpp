// The units the best law's numbers carry (discover_stages.hpp: note_number_units).
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "discover_stages.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/units/front_consistency.hpp"

namespace kepler::pipeline {

namespace {

// The columns (target and inputs) whose unit texts can write a dimension.
struct UnitColumn {
    Dimension dimension;
    std::string unit;
};

// `d` as a product of the columns' units with exponents in -2..2, the fewest powers first
// ("kPa*mm/K"); "" if there is none. At most 6 columns are tried (5^6 products).
std::string in_column_units(const Dimension& d, const std::vector<UnitColumn>& columns) {
    if (columns.empty() || columns.size() > 6) return "";
    std::vector<int> e(columns.size(), -2), best;
    int best_cost = 1 << 30;
    for (;;) {
        int cost = 0;
        Dimension m;
        for (std::size_t k = 0; k < e.size(); ++k) {
            cost += std::abs(e[k]);
            if (e[k] != 0) m = m * columns[k].dimension.pow(Rational(e[k]));
        }
        if (cost < best_cost && m == d) {
            best_cost = cost;
            best = e;
        }
        std::size_t k = 0;
        while (k < e.size() && e[k] == 2) e[k++] = -2;
        if (k == e.size()) break;
        ++e[k];
    }
    if (best.empty()) return "";
    std::string up, down;
    int downs = 0;
    for (std::size_t k = 0; k < best.size(); ++k) {
        if (best[k] == 0) continue;
        std::string& side = best[k] > 0 ? up : down;
        if (!side.empty()) side += "*";
        side += columns[k].unit;
        if (std::abs(best[k]) > 1) side.append("^").append(std::to_string(std::abs(best[k])));
        downs += best[k] < 0;
    }
    if (up.empty()) up.push_back('1');
    if (down.empty()) return up;
    up.append(downs > 1 ? "/(" : "/").append(down).append(downs > 1 ? ")" : "");
    return up;
}

}  // namespace

void note_number_units(const RunState& run, DiscoveryResult& result) {
    const std::optional<DimensionalConstraints>& dims = run.search().dimensions;
    const FoundLaw* best = result.best_law();
    if (!dims || !best || !run.options.units) return;
    const TableUnits& units = *run.options.units;
    std::vector<UnitColumn> columns;
    bool coherent = units.columns[run.problem.target_column].scale == 1.0;
    columns.push_back({dims->target, run.table.units[run.problem.target_column]});
    for (std::size_t k = 0; k < run.problem.columns.size(); ++k) {
        const std::size_t c = run.problem.columns[k];
        coherent = coherent && units.columns[c].scale == 1.0;
        columns.push_back({dims->variables[k], run.table.units[c]});
    }
    for (const UnitColumn& c : columns)
        if (c.unit.empty()) return;
    const std::vector<std::optional<Dimension>> carried =
        number_dimensions(best->expression, dims->variables, dims->target);
    std::size_t j = 0;
    for (const Node& n : best->expression.nodes()) {
        if (n.op != Op::Const && n.op != Op::Param) continue;
        const std::optional<Dimension>& d = carried[j++];
        if (!d || d->dimensionless()) continue;
        std::string note = "the number ";
        note.append(format_number(n.value));
        bool known = false;
        const std::string prefix = note + " carries";
        for (const std::string& earlier : result.notes) known = known || earlier.rfind(prefix, 0) == 0;
        if (known) continue;
        std::string unit = in_column_units(*d, columns);
        if (unit.empty() && coherent) unit = units.system.format_in_units(*d);
        if (unit.empty())
            note.append(" carries the dimension ").append(units.system.format(*d)).append(" (in the table's units)");
        else
            note.append(" carries the unit ").append(unit);
        result.notes.push_back(std::move(note));
    }
}

}  // namespace kepler::pipeline
