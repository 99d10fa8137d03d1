// kepler eval "FORMULA" DATA.csv --target COL: score a given formula on a table.
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/grammar/parse_error.hpp"
#include "kepler/search/fit_metrics.hpp"
#include "table_loading.hpp"

namespace kepler::cli {

namespace {

struct EvalArguments {
    std::string formula;
    std::string data;
    std::string target;
};

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
    const Eigen::VectorXd predicted = Evaluator{}(formula, table->data);
    const Eigen::VectorXd observed = table->data.col(static_cast<Eigen::Index>(*table->column_index(args.target)));
    const FitMetrics m = fit_metrics(observed, predicted);

    std::cout << "formula: " << args.target << " = " << to_infix(formula, table->names) << "\n"
              << "rows:    " << table->rows() << "\n"
              << std::setprecision(6) << "R2:      " << m.r2 << "\n"
              << "RMSE:    " << m.rmse << "\n"
              << "max relative error: " << m.max_relative_error << "\n";
    if (m.non_finite > 0)
        std::cout << "note: the formula is not finite on " << m.non_finite << " rows\n";
    return kSuccess;
}

}  // namespace

Runner add_eval_command(CLI::App& app) {
    auto args = std::make_shared<EvalArguments>();
    CLI::App* eval = app.add_subcommand("eval", "Score a formula on a table: R2, RMSE, max relative error");
    eval->add_option("formula", args->formula, "Formula in Kepler's infix syntax, e.g. \"m*a\"")->required();
    eval->add_option("data", args->data, "CSV table")->required();
    eval->add_option("-t,--target", args->target, "Column the formula should give")->required();
    return [args] { return run_eval(*args); };
}

}  // namespace kepler::cli
