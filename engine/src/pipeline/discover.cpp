// discover() is a table of contents: each step is a stage of discover_stages.hpp over one
// run state (run_state.hpp), which takes in each stage's report in one place.
#include "kepler/pipeline/discover.hpp"

#include "discover_stages.hpp"
#include "run_state.hpp"

namespace kepler {

DiscoveryResult discover(const Table& table, std::string_view target, const DiscoverOptions& options) {
    pipeline::RunState run(table, target, options);
    pipeline::plan_units(run);
    pipeline::run_quick_fits(run);
    pipeline::search_groups(run);
    pipeline::search_inputs(run);
    pipeline::estimate_noise_level(run);
    pipeline::check_noise_floor(run);
    pipeline::split_by_structure(run);
    pipeline::evolve(run);
    DiscoveryResult result = pipeline::finish(run);
    pipeline::drop_inconsistent(run, result);
    pipeline::write_offsets_in_units(run, result);
    pipeline::note_number_units(run, result);
    return result;
}

}  // namespace kepler
