// The options of `kepler fit`, and the two places they travel as JSON: the result's "options"
// object and a checkpoint's, from which `kepler fit --resume` takes them back.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "unit_resolution.hpp"

namespace kepler::cli {

struct FitArguments {
    std::string data;
    std::string target;
    std::vector<std::string> inputs;
    std::string json;
    std::string report;  // --report: the HTML report (kepler::report)
    double time_limit = 60.0;
    int threads = 0;
    std::uint64_t seed = 1;
    std::size_t max_nodes = 0;
    std::size_t max_evals = 0;
    std::size_t max_memory = 2048;  // --max-memory: megabytes any stage's working set may hold
    std::string ops;                // comma-separated operator names ("" = the engine's default set)
    std::size_t rows = 0;           // read only the first N rows (0 = all)
    std::size_t sample = 0;         // search on a random sample of N rows (0 = all)
    bool keep_spikes = false;
    UnitArguments units;
    bool no_units = false;
    bool quiet = false;
    bool screen = false;            // --screen: screen the channels even with few of them or with --inputs
    bool no_screen = false;         // --no-screen: never
    bool explain = false;           // --explain: print the steps taken before the result
    std::string checkpoint;         // --checkpoint: write the search state to this file
    std::string resume;             // --resume: go on from this checkpoint
    bool time_limit_given = false;  // --time-limit on the command line (with --resume)
    bool max_evals_given = false;   // --max-evals likewise
    bool max_memory_given = false;  // --max-memory likewise
    // Resumed: the seconds the runs before spent. time_limit is then this part's; the options
    // written (options_json) say the whole run's, time_limit + resumed_seconds.
    double resumed_seconds = 0.0;
};

// The options of this run as given (defaults included), for the JSON result and checkpoints.
nlohmann::json options_json(const FitArguments& args);

// The search options of a checkpoint (`options`, as options_json wrote them, from `path`) into
// `args`: target, inputs, seed, units, ...; time_limit and max_evals unless given on the command
// line. Throws api::InputError "PATH: field 'options.seed': expected ..." for a missing or bad one.
void take_checkpoint_options(FitArguments& args, const nlohmann::json& options, const std::string& path);

}  // namespace kepler::cli
