#include "kepler/pipeline/discover.hpp"

#include <cmath>
#include <stdexcept>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/pipeline/tidy_constants.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/search/fit_metrics.hpp"

namespace kepler {

namespace {

std::string column_list(const Table& table) {
    std::string list;
    for (const auto& n : table.names) list += (list.empty() ? "" : ", ") + n;
    return list;
}

std::size_t require_column(const Table& table, std::string_view name, std::string_view role) {
    if (auto j = table.column_index(name)) return *j;
    throw std::invalid_argument("unknown " + std::string(role) + " column '" + std::string(name) +
                                "'; the table has: " + column_list(table));
}

}  // namespace

DiscoveryResult discover(const Table& table, std::string_view target, const DiscoverOptions& options) {
    DiscoveryResult result;
    result.target = std::string(target);
    const std::size_t target_column = require_column(table, target, "target");

    std::vector<std::size_t> columns;
    if (options.inputs.empty()) {
        for (std::size_t j = 0; j < table.columns(); ++j)
            if (j != target_column) columns.push_back(j);
    } else {
        for (const auto& name : options.inputs) {
            std::size_t j = require_column(table, name, "input");
            if (j == target_column) throw std::invalid_argument("the target '" + name + "' cannot also be an input");
            columns.push_back(j);
        }
    }
    if (columns.empty()) throw std::invalid_argument("no input columns besides the target '" + result.target + "'");
    for (std::size_t j : columns) result.inputs.push_back(table.names[j]);

    // Keep the rows where the target and every input are finite numbers.
    std::vector<Eigen::Index> keep;
    keep.reserve(table.rows());
    for (Eigen::Index r = 0; r < table.data.rows(); ++r) {
        bool ok = std::isfinite(table.data(r, static_cast<Eigen::Index>(target_column)));
        for (std::size_t j : columns) ok = ok && std::isfinite(table.data(r, static_cast<Eigen::Index>(j)));
        if (ok) keep.push_back(r);
    }
    result.rows_used = keep.size();
    result.rows_dropped = table.rows() - keep.size();
    if (keep.empty()) throw std::invalid_argument("no row has finite values in the target and every input");
    if (result.rows_dropped > 0)
        result.notes.push_back(std::to_string(result.rows_dropped) + " rows left out: non-finite target or input");

    Eigen::MatrixXd X(static_cast<Eigen::Index>(keep.size()), static_cast<Eigen::Index>(columns.size()));
    Eigen::VectorXd y(static_cast<Eigen::Index>(keep.size()));
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        y(i) = table.data(keep[i], static_cast<Eigen::Index>(target_column));
        for (std::size_t c = 0; c < columns.size(); ++c)
            X(i, static_cast<Eigen::Index>(c)) = table.data(keep[i], static_cast<Eigen::Index>(columns[c]));
    }
    result.notes.push_back("no units used: dimensional analysis is off");

    SearchReport report = enumerate_search(X, y, options.search);
    result.evaluations = report.evaluations;
    result.seconds = report.seconds;
    result.cancelled = report.cancelled;
    result.timed_out = report.timed_out;

    const auto& members = report.front.members();
    const Candidate* best = members.empty() ? nullptr : &report.front.best();
    for (const Candidate& c : members) {
        FoundLaw law;
        law.expression = tidy_constants(c.expression, X, y);
        law.formula = to_infix(law.expression, result.inputs);
        law.latex = to_latex(law.expression, result.inputs);
        law.sympy = to_sympy(law.expression, result.inputs);
        law.complexity_bits = c.complexity_bits;
        law.error_bits = c.error_bits;
        const FitMetrics m = fit_metrics(y, Evaluator{}(law.expression, X));
        law.rmse = m.rmse;
        law.r2 = m.r2;
        law.max_relative_error = m.max_relative_error;
        if (best == &c) result.best = result.front.size();
        result.front.push_back(std::move(law));
    }
    return result;
}

}  // namespace kepler
