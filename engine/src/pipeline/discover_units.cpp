// The first step of discover() (discover_stages.hpp): work in the unit system's coherent
// units, where unit scales (km/h, mL) do not hide inside the constants and the constants of
// physics are known, and plan the dimensions.
#include <cmath>
#include <stdexcept>
#include <string>

#include "discover_stages.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/fitting/magnitude.hpp"

namespace kepler::pipeline {

namespace {

// Notes what the plan says about the target's dimension: the groups, the monomial, and the
// constants that complete it (or that an unknown one is fitted).
void describe_plan(const DimensionalPlan& plan, DiscoveryResult& result) {
    for (const auto& g : plan.groups) result.dimensionless_groups.push_back(to_infix(simplify(g), result.inputs));
    if (plan.monomial) result.target_monomial = to_infix(simplify(*plan.monomial), result.inputs);
    if (!plan.constants.empty()) {
        std::string list;
        for (const PhysicalConstant* c : plan.constants) list += (list.empty() ? "" : ", ") + c->symbol;
        result.notes.push_back("the inputs cannot make the target's dimension; constants that complete it: " + list);
    } else if (plan.unknown_constant) {
        result.constants_introduced.push_back("an unknown dimensional constant (fitted)");
        result.notes.push_back(
            "the inputs cannot make the target's dimension and no constant of the unit system completes it: "
            "the fitted scale is a dimensional constant");
    }
}

// Columns far from 1 (1e-150 kg, 1e299 N): each such column, and the target, multiplied by
// the power of two that brings its RMS near 1, so no sum of squares in the search underflows
// or overflows. Powers of two are exact, so in_table_units undoes them exactly; columns of
// ordinary magnitude keep a factor of exactly 1.
// Returns the powers of two: each input's, then the target's.
std::vector<int> scale_to_ordinary_magnitudes(Eigen::MatrixXd& X, Eigen::VectorXd& y, std::vector<double>& scales,
                                              double& target_scale, DiscoveryResult& result) {
    auto note = [&](const std::string& name, int k) {
        result.notes.push_back(name + " searched as " + name + "*2^" + std::to_string(k) +
                               " (its values are far from 1; the power of two is exact and mapped back)");
    };
    std::vector<int> powers(static_cast<std::size_t>(X.cols()) + 1, 0);
    for (Eigen::Index c = 0; c < X.cols(); ++c) {
        const int k = unit_scale_exponent(X.col(c).array());
        powers[static_cast<std::size_t>(c)] = k;
        if (k == 0) continue;
        const double f = std::ldexp(1.0, k);
        X.col(c) *= f;
        scales[static_cast<std::size_t>(c)] *= f;
        note(result.inputs[static_cast<std::size_t>(c)], k);
    }
    const int k = unit_scale_exponent(y.array());
    powers.back() = k;
    if (k == 0) return powers;
    const double f = std::ldexp(1.0, k);
    y *= f;
    target_scale *= f;
    note(result.target, k);
    return powers;
}

}  // namespace

void plan_units(RunState& run) {
    const Problem& p = run.problem;
    DiscoveryResult& result = run.result;
    Eigen::MatrixXd X = p.X;
    Eigen::VectorXd y = p.y;
    std::vector<double> scales(p.columns.size(), 1.0);
    if (!run.options.units) {
        result.notes.push_back("no units: dimensional analysis is off");
        double target_scale = 1.0;
        (void)scale_to_ordinary_magnitudes(X, y, scales, target_scale, result);
        run.set_coherent_units(std::move(X), std::move(y), std::move(scales), target_scale, std::nullopt);
        return;
    }
    const TableUnits& u = *run.options.units;
    const Table& table = run.table;
    if (u.columns.size() != table.columns()) throw std::invalid_argument("one unit per table column is needed");
    result.dimensional_analysis = true;
    result.unit_system = u.system.name;
    std::vector<Dimension> dims;
    for (std::size_t c = 0; c < p.columns.size(); ++c) {
        const ScaledDimension& sd = u.columns[p.columns[c]];
        dims.push_back(sd.dimension);
        scales[c] = sd.scale;
        X.col(static_cast<Eigen::Index>(c)) *= sd.scale;
        if (sd.scale != 1.0)
            result.scales_absorbed.push_back(table.names[p.columns[c]] + " [" + table.units[p.columns[c]] + "] = " +
                                             format_number(sd.scale) + " " + u.system.format_in_units(sd.dimension));
    }
    const ScaledDimension& ts = u.columns[p.target_column];
    y *= ts.scale;
    if (ts.scale != 1.0)
        result.scales_absorbed.push_back(result.target + " [" + table.units[p.target_column] + "] = " +
                                         format_number(ts.scale) + " " + u.system.format_in_units(ts.dimension));
    DimensionalPlan plan = plan_dimensions(dims, ts.dimension, u.system);
    describe_plan(plan, result);
    double target_scale = ts.scale;
    const std::vector<int> powers = scale_to_ordinary_magnitudes(X, y, scales, target_scale, result);
    undo_binary_scaling(plan, powers);
    run.set_coherent_units(std::move(X), std::move(y), std::move(scales), target_scale, std::move(plan));
}

}  // namespace kepler::pipeline
