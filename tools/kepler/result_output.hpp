// How a discovery result is shown: a short human-readable report and the JSON result file.
#pragma once

#include <iosfwd>
#include <string>

#include "kepler/pipeline/discover.hpp"
#include "kepler/pipeline/screened_discover.hpp"

namespace kepler::cli {

void print_report(std::ostream& out, const DiscoveryResult& result);
// The steps the discovery took (DiscoveryResult::explanation), for `kepler fit --explain`.
void print_explanation(std::ostream& out, const DiscoveryResult& result);
// The screening report of a wide log, printed before the formulas: kept channels with their
// scores, dropped ones and why, duplicates, interchangeable readings, the subsets searched.
void print_screening(std::ostream& out, const Table& table, const ScreenedDiscoveryResult& result);
// Writes the JSON result (schema in README.md), with a "screening" object when `screened` is
// given; throws std::runtime_error if it cannot.
void write_json(const std::string& path, const DiscoveryResult& result, const std::string& data_file,
                const ScreenedDiscoveryResult* screened = nullptr);

}  // namespace kepler::cli
