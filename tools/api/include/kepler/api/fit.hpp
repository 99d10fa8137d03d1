// Kepler's library entry point: fit a law to a table whose columns carry unit texts.
//
//   kepler::Table table = ...;                  // names {"F", "m", "a"}, units {"N", "kg", "m/s^2"}
//   kepler::api::FitRequest request;
//   request.target = "F";
//   kepler::api::FitOutcome outcome = kepler::api::fit(table, request);
//   std::cout << outcome.discovery.best_law()->formula << "\n";   // m*a, dimensionally checked
//
// What it adds to kepler::discover(): the unit texts are resolved through a unit system (the
// engine takes resolved units only, since parsing lives in kepler::grammar), a wide table is
// screened first as `kepler fit` does, and bad input comes back as one typed error, InputError,
// with the CLI's message. `kepler fit` is this call plus argument parsing and printing.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kepler/api/input_error.hpp"
#include "kepler/api/unit_resolution.hpp"
#include "kepler/core/table.hpp"
#include "kepler/grammar/csv_reader.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/pipeline/screened_discover.hpp"

namespace kepler::api {

// Whether to screen the channels first (screened_discover) and search the few that matter.
enum class Screening {
    automatic,  // when no inputs are named and there are more than kScreenAboveInputs candidates
    on,         // always, also over named inputs
    off,        // never
};

// The search so far, for a progress display.
struct FitProgress {
    double seconds = 0.0;         // since the fit started
    std::size_t evaluations = 0;  // candidates evaluated so far
    bool has_best = false;        // false until some formula has been scored
    std::string best_formula;     // the best formula so far, infix, over the table's column names
    double rmse = 0.0;            // of best_formula
};

struct FitRequest {
    std::string target;               // the column the law should give
    std::vector<std::string> inputs;  // columns the law may use; empty = all others but timestamps
    UnitChoice units;                 // the unit system, and a side file of column units if any
    // false: the unit texts are still resolved (and their errors reported) but the search runs
    // without dimensional analysis (the CLI's --no-units).
    bool use_units = true;
    Screening screening = Screening::automatic;
    // The search settings. fit() sets options.inputs from `inputs` and options.units from the
    // resolved units; whatever the caller put there is replaced.
    DiscoverOptions options;
    // Called from the calling thread at most every options.search.progress_interval_seconds
    // while the search runs; when set, it replaces options.search.progress.
    std::function<void(const FitProgress&)> progress;
};

struct FitOutcome {
    DiscoveryResult discovery;  // the law and its front; discovery.dimensional_analysis says if units were used
    // The screening report, when the channels were screened first (discovery is then the
    // chosen subset's).
    std::optional<ScreenedDiscoveryResult> screened;
};

// Resolves the units, decides screening and runs screened_discover() or discover(). `source`
// names the table in messages (the CSV path, for the CLI). Throws InputError for every problem
// with the input, with the CLI's message (after "kepler: error: "): an unknown target or input
// column ("<source>:1:1: unknown target column 'G'; expected one of: F, m, a"), any problem of
// resolve_units() (unit_resolution.hpp), and what discover() refuses ("<source>: <reason>":
// too few usable rows, the target among the inputs, ...), and a screened run asked for
// checkpoints (options.on_stage_done or resume_from: discover()'s alone).
FitOutcome fit(const Table& table, const FitRequest& request, std::string_view source = "table");

// load_table(path, csv) and fit() it, with `path` as the source in messages. Throws InputError
// as both do.
FitOutcome fit_csv(const std::string& path, const FitRequest& request, const grammar::CsvOptions& csv = {});

}  // namespace kepler::api
