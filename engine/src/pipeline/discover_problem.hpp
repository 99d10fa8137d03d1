// The columns and rows a discovery works on: the target, the inputs (named, or every column
// but the target and the timestamps) and the rows where all of them are finite, sampled when
// DiscoverOptions::sample_rows asks for it (private to the pipeline).
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <string_view>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/pipeline/discover.hpp"

namespace kepler::pipeline {

struct Problem {
    std::size_t target_column = 0;
    std::vector<std::size_t> columns;  // inputs, as table columns
    Eigen::MatrixXd X;                 // rows searched x inputs, in the table's units
    Eigen::VectorXd y;
    // With DiscoverOptions::sample_rows, X and y are the sample and these all usable rows, on
    // which the front is scored; otherwise empty (X and y are all usable rows).
    Eigen::MatrixXd X_all;
    Eigen::VectorXd y_all;
    const Eigen::MatrixXd& scoring_X() const { return X_all.size() > 0 ? X_all : X; }
    const Eigen::VectorXd& scoring_y() const { return y_all.size() > 0 ? y_all : y; }
};

// Fills result.inputs, rows_used, rows_dropped, rows_sampled and the notes on rows and
// timestamp columns. Throws std::invalid_argument for an unknown target or input, an input
// that is the target, no inputs, or no usable row.
Problem select_problem(const Table& table, std::string_view target, const DiscoverOptions& options,
                       DiscoveryResult& result);

}  // namespace kepler::pipeline
