// discover() is a table of contents: each step is a stage of discover_stages.hpp over one
// run state (run_state.hpp), which takes in each stage's report in one place. A resumed run
// (DiscoverOptions::resume_from) takes in its checkpoint after the units and skips the stages
// done; each stage boundary is a checkpoint (kepler/pipeline/run_checkpoint.hpp). Constants
// the dimensionless groups need come in first, as columns (constant_columns.hpp).
#include "kepler/pipeline/discover.hpp"

#include <algorithm>
#include <chrono>

#include "constant_columns.hpp"
#include "discover_stages.hpp"
#include "run_state.hpp"

namespace kepler {

namespace {

DiscoveryResult discover_columns(const Table& table, std::string_view target, const DiscoverOptions& options) {
    pipeline::RunState run(table, target, options);
    pipeline::plan_units(run);
    run.start_or_resume();
    run.run_stage(RunStage::quick_fits, pipeline::run_quick_fits);
    run.run_stage(RunStage::search_groups, pipeline::search_groups);
    run.run_stage(RunStage::search_inputs, pipeline::search_inputs);
    run.run_stage(RunStage::estimate_noise_level, pipeline::estimate_noise_level);
    run.run_stage(RunStage::check_noise_floor, pipeline::check_noise_floor);
    run.run_stage(RunStage::split_by_structure, pipeline::split_by_structure);
    run.run_stage(RunStage::evolve, pipeline::evolve);
    DiscoveryResult result = pipeline::finish(run);
    result.seconds += run.seconds_before;
    pipeline::drop_inconsistent(run, result);
    pipeline::write_offsets_in_units(run, result);
    pipeline::note_number_units(run, result);
    return result;
}

}  // namespace

DiscoveryResult discover(const Table& table, std::string_view target, const DiscoverOptions& options) {
    // The test for constants counts against the time limit and in the seconds reported.
    const auto start = std::chrono::steady_clock::now();
    auto with = pipeline::with_group_constants(table, target, options);
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    DiscoverOptions rest = with ? with->options : options;
    rest.search.time_limit_seconds = std::max(0.0, options.search.time_limit_seconds - spent);
    DiscoveryResult result = discover_columns(with ? with->table : table, target, rest);
    if (with) result = pipeline::without_constant_columns(std::move(result), *with);
    result.seconds += spent;
    return result;
}

}  // namespace kepler
