// How a discovery result is shown: a short human-readable report and the JSON result file.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

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
// given, atomically (write_file_atomically); throws std::runtime_error if it cannot. Text that
// is not valid UTF-8 (a column name, a path) is written with U+FFFD in place of the bad bytes.
// The document is kepler::api::result_json's (kepler/api/result_json.hpp).
void write_json(const std::string& path, const DiscoveryResult& result, const std::string& data_file,
                const nlohmann::json& options, const ScreenedDiscoveryResult* screened = nullptr);
// Writes a JSON document built already (the result with its row sample, kepler/api/row_sample.hpp)
// as the overload above does.
void write_json(const std::string& path, const nlohmann::json& doc);

// Writes `text` to `path` through a temporary file in the same folder that is then renamed
// over it: the path holds its old content or the whole new one, never a part, even if the
// process is killed or the disk fills. Throws std::runtime_error naming the path.
void write_file_atomically(const std::string& path, std::string_view text);

// Why `path` cannot take an output file, checked before any work is done: it is one of
// `inputs` (the same file, by any name), a folder, or its folder is missing or not writable.
// Empty if none of these.
std::string output_path_problem(const std::string& path, std::span<const std::string> inputs);

}  // namespace kepler::cli
