// The JSON result of a fit, as `kepler fit --json` writes it and `kepler.fit_csv` returns it
// (schema in README.md). Shared by the CLI and the Python module, so both give one document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "kepler/pipeline/discover.hpp"
#include "kepler/pipeline/screened_discover.hpp"

namespace kepler::api {

// The document starts with "schema_version" (raised when a field changes meaning or goes
// away), "kepler_version" and "options" (the run's options as given, the seed among them), so
// a result file says how to reproduce it. Non-finite numbers are null; a screened run adds a
// "screening" object. Version 3: a front member's "formula" names the unit system's
// constants ("2*pi*sqrt(L/g_n)"); "numeric_formula" and "named_constants" are new.
inline constexpr int kJsonSchemaVersion = 3;

nlohmann::json result_json(const DiscoveryResult& result, const std::string& data_file, const nlohmann::json& options,
                           const ScreenedDiscoveryResult* screened = nullptr);

}  // namespace kepler::api
