// kepler::report: a result as one HTML page a physicist looks at before reading: the law
// typeset, the Pareto front, the law against the data, the residuals against each input and
// against time, the screening of a wide log, the steps taken and the run's settings; or, for a
// benchmark run, the verdict counts, the time per law and the laws missed.
//
// The page is self-contained and makes no request: the plotting (Vega-Lite) and typesetting
// (KaTeX, MathML output, so no fonts) libraries are inlined, the result is embedded as JSON and
// the page draws itself from it, and a Content-Security-Policy of default-src 'none' blocks any
// request a library might still try. Every script error, console.error and blocked request is
// recorded in the page (#kepler-errors, and the data-errors attribute of <html>); when all
// plots are drawn <html> gets data-status="rendered", so a headless browser can check it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kepler::report {

// The report of one fit. `result` is the JSON result of `kepler fit --json`
// (kepler::api::result_json, with api::row_sample_json's "sample" for the plots of the fit and
// its residuals; without one the page says so and shows the rest). Throws
// std::invalid_argument naming the first missing or mistyped field when `result` is not a fit
// result ("target" a string, "front" an array).
std::string fit_report_html(const nlohmann::json& result);

// The report of a benchmark run: `results` is the results.json `kepler bench` writes. Throws
// std::invalid_argument when it has no "results" array or no "totals" object.
std::string bench_report_html(const nlohmann::json& results);

}  // namespace kepler::report
