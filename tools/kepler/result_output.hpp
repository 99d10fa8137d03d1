// How a discovery result is shown: a short human-readable report and the JSON result file.
#pragma once

#include <iosfwd>
#include <string>

#include "kepler/pipeline/discover.hpp"

namespace kepler::cli {

void print_report(std::ostream& out, const DiscoveryResult& result);
// Writes the JSON result (schema in README.md); throws std::runtime_error if it cannot.
void write_json(const std::string& path, const DiscoveryResult& result, const std::string& data_file);

}  // namespace kepler::cli
