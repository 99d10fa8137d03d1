// A sample of the rows a fit used, with the best law's prediction and residual on each, so a
// saved result can be plotted later (the law against the data, residuals against each input
// and against time: `kepler report`). Only the law's own inputs go in, so the sample of a
// 1,000-channel log is as small as that of a 3-column table.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

#include "kepler/core/table.hpp"
#include "kepler/pipeline/discover.hpp"

namespace kepler::api {

inline constexpr std::size_t kSampleRows = 1000;

// The "sample" object of the JSON result (schema in README.md): up to `max_rows` of the rows
// with a finite target and finite inputs (result.inputs), evenly spread in table order (all of
// them when there are no more), each with its data row number (1 = the first row after the
// header), the inputs' values, the measured target, the best law's prediction and the residual
// (measured - predicted), and the table's first timestamp column when it has one. Non-finite
// numbers are null; without a best law the prediction and residual are left out. Throws
// std::invalid_argument when the target or an input of `result` is not a column of `table`.
nlohmann::json row_sample_json(const Table& table, const DiscoveryResult& result, std::size_t max_rows = kSampleRows);

}  // namespace kepler::api
