// Discovery on a wide log: screen the channels (screen/screen.hpp), then run discover() on the
// proposed subsets, most likely first, within one time limit, and keep the best law.
//
// Budget: screening comes out of search.time_limit_seconds; of what is left, the first subset
// gets first_share and every later one an equal part of what remains when its turn comes
// (time a subset does not use passes on); search.max_evaluations is shared the same way.
// Stopping early: after a subset whose best law is exact (is_exact_fit, exact_fit.hpp), or fits at
// least as well as the response surface of every subset still to try (rmse <= 1.05 times
// theirs): no later subset could then explain the target better.
// Choosing: each subset's best law is rescored on the rows where the target and every channel
// tried has a value, and the least total description length wins (fewer complexity bits on a
// tie). The result is that subset's discovery (its front, its inputs).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/screen/screen.hpp"

namespace kepler {

// When a caller gives no --inputs and no explicit choice, screening runs if the table has more
// than this many candidate inputs: the enumeration's bank grows with every variable, and past
// about eight it spends its time on channels that do not matter.
inline constexpr std::size_t kScreenAboveInputs = 8;
inline bool screening_by_default(std::size_t candidate_inputs) { return candidate_inputs > kScreenAboveInputs; }

// The channels screening chooses from: `inputs` if given (names; throws std::invalid_argument
// for an unknown one or the target), else every column but the target and timestamp columns.
std::vector<std::size_t> candidate_columns(const Table& table, std::size_t target,
                                           const std::vector<std::string>& inputs);

struct ScreenedDiscoverOptions {
    // inputs: the candidate channels (empty = every column but the target and timestamps).
    // search.time_limit_seconds and max_evaluations: for the whole run, screening included.
    // search.peers is not used: the screening and the subsets' shares rest on the clock, so
    // under mpirun every rank runs a screened search alone (the same one: rank 0's is printed).
    // search.progress: as discover() reports it, with Var k = candidate_columns()[k] and
    // seconds and evaluations counted from the start of the whole run.
    DiscoverOptions discover;
    ScreenOptions screen;
    double first_share = 0.6;
};

struct SubsetAttempt {
    std::vector<std::string> inputs;
    std::string formula;  // the best law found ("" if none)
    double rmse = 0.0;
    double r2 = 0.0;
    double complexity_bits = 0.0;
    double total_bits = 0.0;  // on the common rows (see above); infinity if none
    double seconds = 0.0;
    std::size_t evaluations = 0;
    std::string outcome;  // why the run went on or stopped after it, in words
};

struct ScreenedDiscoveryResult {
    // The chosen subset's discovery (front and inputs are that subset's); evaluations, seconds
    // and the flags are for the whole run, as in discover(): cancelled if any subset was, the
    // time and evaluation limits as the last subset searched reached them.
    DiscoveryResult discovery;
    ScreenReport screening;
    std::vector<SubsetAttempt> attempts;  // in the order tried
    std::size_t chosen = 0;               // index into attempts
    // Each input of the chosen law with the readings that could stand in for it.
    std::vector<std::pair<std::string, std::vector<std::string>>> interchangeable;
};

// With fewer than options.screen.min_readings rows with a target value there is nothing to
// screen on: every candidate is searched, as without screening, and the report says so.
// Throws std::invalid_argument as discover() does, when screening leaves no channel, and
// for options.discover.on_stage_done or resume_from (checkpoints are discover()'s alone).
ScreenedDiscoveryResult screened_discover(const Table& table, std::string_view target,
                                          const ScreenedDiscoverOptions& options = {});

}  // namespace kepler
