// kepler eval "FORMULA" DATA.csv --target COL: score a given formula on a table.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/fitting/fit_metrics.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/grammar/parse_error.hpp"
#include "kepler/units/dimension_check.hpp"
#include "table_loading.hpp"
#include "unit_resolution.hpp"

namespace kepler::cli {

namespace {

struct EvalArguments {
    std::string formula;
    std::string data;
    std::string target;
    UnitArguments units;
};

// Whether the formula's dimension is the target's, as one line; false if the formula is not
// dimensionally consistent at all (an error, printed).
bool check_dimensions(const Expression& formula, const Table& table, const TableUnits& units, std::size_t target,
                      std::string& line) {
    std::vector<Dimension> dims;
    for (const auto& c : units.columns) dims.push_back(c.dimension);
    try {
        const Dimension d = dimension_of(formula, dims, &units.system);
        const Dimension& want = units.columns[target].dimension;
        if (d == want) {
            line = "units:   consistent, " + units.system.format(d) + " as " + table.names[target] + " [" +
                   table.units[target] + "]";
        } else {
            line = "units:   MISMATCH: the formula is " + units.system.format(d) + ", the target " +
                   table.names[target] + " is " + units.system.format(want);
        }
        return true;
    } catch (const DimensionError& e) {
        std::cerr << "kepler: error: formula:1: dimensionally inconsistent: " << e.what() << "\n";
        return false;
    }
}

int run_eval(const EvalArguments& args) {
    auto table = load_table(args.data);
    if (!table) return kBadInput;
    if (!check_column(*table, args.data, args.target, "target")) return kBadInput;

    Expression formula;
    try {
        formula = grammar::parse_formula(args.formula, table->names, "formula");
    } catch (const grammar::ParseError& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return kBadInput;
    }
    const std::size_t target = *table->column_index(args.target);
    std::string units_line = "units:   none in the table (not checked)";
    if (!args.units.units_file.empty() ||
        std::any_of(table->units.begin(), table->units.end(), [](const std::string& u) { return !u.empty(); })) {
        std::vector<std::size_t> used{target};
        for (const Node& n : formula.nodes())
            if (n.op == Op::Var) used.push_back(n.index);
        ResolvedUnits units = resolve_units(*table, args.data, args.units, used);
        if (!units.ok) return kBadInput;
        if (units.units && !check_dimensions(formula, *table, *units.units, target, units_line)) return kBadInput;
    }
    // Rows with a missing value (NaN) or an infinite one in the target or in a column the formula
    // reads are left out, as `kepler fit` leaves them out.
    std::vector<std::size_t> columns_read{target};
    for (const Node& n : formula.nodes())
        if (n.op == Op::Var) columns_read.push_back(n.index);
    std::vector<Eigen::Index> keep;
    std::size_t with_infinity = 0;  // rows left out for an infinite value only
    for (Eigen::Index r = 0; r < table->data.rows(); ++r) {
        auto value = [&](std::size_t j) { return table->data(r, static_cast<Eigen::Index>(j)); };
        const bool missing =
            std::any_of(columns_read.begin(), columns_read.end(), [&](std::size_t j) { return std::isnan(value(j)); });
        const bool infinite =
            std::any_of(columns_read.begin(), columns_read.end(), [&](std::size_t j) { return std::isinf(value(j)); });
        if (!missing && !infinite)
            keep.push_back(r);
        else if (!missing)
            ++with_infinity;
    }
    if (keep.empty()) {
        std::cerr << "kepler: error: " << args.data << ": no row has values in " << args.target
                  << " and in every column the formula uses (missing and infinite values are left out)\n";
        return kBadInput;
    }
    const Eigen::VectorXd all_predicted = Evaluator{}(formula, table->data);
    Eigen::VectorXd predicted(static_cast<Eigen::Index>(keep.size())), observed(predicted.size());
    for (Eigen::Index i = 0; i < predicted.size(); ++i) {
        predicted(i) = all_predicted(keep[i]);
        observed(i) = table->data(keep[i], static_cast<Eigen::Index>(target));
    }
    const FitMetrics m = fit_metrics(observed, predicted);
    const std::size_t left_out = table->rows() - keep.size();

    std::cout << "formula: " << args.target << " = " << to_infix(formula, table->names) << "\n"
              << "rows:    " << keep.size();
    if (left_out > 0) {
        std::cout << " (" << left_out << " left out: ";
        if (with_infinity == 0)
            std::cout << "missing values)";
        else if (with_infinity == left_out)
            std::cout << "infinite values)";
        else
            std::cout << left_out - with_infinity << " with missing values, " << with_infinity
                      << " with infinite ones)";
    }
    std::cout << "\n"
              << std::setprecision(6) << "R2:      " << m.r2 << "\n"
              << "RMSE:    " << m.rmse << "\n"
              << "max relative error: " << m.max_relative_error << "\n"
              << units_line << "\n";
    if (m.non_finite > 0) std::cout << "note: the formula is not finite on " << m.non_finite << " rows\n";
    return kSuccess;
}

}  // namespace

Runner add_eval_command(CLI::App& app) {
    auto args = std::make_shared<EvalArguments>();
    CLI::App* eval = app.add_subcommand("eval", "Score a formula on a table: R2, RMSE, max relative error");
    eval->add_option("formula", args->formula, "Formula in Kepler's infix syntax, e.g. \"m*a\"")->required();
    eval->add_option("data", args->data, "CSV table")->required();
    eval->add_option("-t,--target", args->target, "Column the formula should give")->required();
    add_unit_options(*eval, args->units);
    return [args] { return run_eval(*args); };
}

}  // namespace kepler::cli
