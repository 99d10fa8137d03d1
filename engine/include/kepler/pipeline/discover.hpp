// The public entry point: a table and a target column in, the laws found out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/core/table.hpp"
#include "kepler/search/search_options.hpp"

namespace kepler {

struct DiscoverOptions {
    std::vector<std::string> inputs;  // columns the law may use; empty = every column but the target
    SearchOptions search;
};

// One formula of the Pareto front, with its scores on all rows used.
struct FoundLaw {
    Expression expression;  // Var k is inputs[k]
    std::string formula;    // infix text, e.g. "m*a"
    std::string latex;
    std::string sympy;
    double complexity_bits = 0.0;
    double error_bits = 0.0;
    double rmse = 0.0;
    double r2 = 0.0;
    double max_relative_error = 0.0;
};

struct DiscoveryResult {
    std::string target;
    std::vector<std::string> inputs;
    std::vector<FoundLaw> front;  // by increasing complexity; the non-dominated formulas
    std::size_t best = 0;         // index into front of the pick by minimum total description length
    std::size_t rows_used = 0;
    std::size_t rows_dropped = 0;  // rows left out because the target or an input was not finite
    std::size_t evaluations = 0;
    double seconds = 0.0;
    bool cancelled = false;  // stopped by SearchOptions::cancel (Ctrl-C)
    bool timed_out = false;  // stopped by the time limit
    std::vector<std::string> notes;

    const FoundLaw* best_law() const { return front.empty() ? nullptr : &front[best]; }
};

// Throws std::invalid_argument for an unknown target or input column, or a table with no
// usable rows.
DiscoveryResult discover(const Table& table, std::string_view target, const DiscoverOptions& options = {});

}  // namespace kepler
