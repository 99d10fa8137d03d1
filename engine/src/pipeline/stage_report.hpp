// What one stage of a run tells the run, and the one rule by which the run takes it in
// (private to the pipeline). discover() absorbs each of its stages; screened_discover()
// absorbs each subset's discovery.
//
// The rule, for the flags DiscoveryResult reports:
//   evaluations                adds up.
//   cancelled                  sticky: once a stage was cancelled, so was the run (and no
//                              stage runs after it).
//   timed_out,                 the latest search's word. Every stage but the last runs on a
//   evaluation_limit_reached   share, and what it leaves passes on to the next, so a stage
//                              that stopped at its share did not stop the run; the last
//                              search's limits say why the run ended. A stage that runs no
//                              limited search (the quick fits, the structure split) leaves
//                              them as they are.
#pragma once

#include <cstddef>
#include <optional>

#include "kepler/pipeline/discover.hpp"
#include "kepler/search/enumerator.hpp"

namespace kepler::pipeline {

// Why a search stopped against its share of the budget.
struct SearchLimits {
    bool timed_out = false;
    bool evaluation_limit_reached = false;
};

struct StageReport {
    std::size_t evaluations = 0;  // counted against the run's budget
    bool exact = false;           // a formula of the stage fits exactly (exact_fit.hpp)
    bool cancelled = false;
    std::optional<SearchLimits> limits;  // empty: the stage ran no limited search

    static StageReport of(const SearchReport& r) {
        return {r.evaluations, r.exact, r.cancelled, SearchLimits{r.timed_out, r.evaluation_limit_reached}};
    }
    static StageReport of(const DiscoveryResult& r) {
        return {r.evaluations, false, r.cancelled, SearchLimits{r.timed_out, r.evaluation_limit_reached}};
    }
    // A stage that searched with no limit of its own (the structure split): only a cancel.
    static StageReport without_limits(bool cancelled) {
        StageReport r;
        r.cancelled = cancelled;
        return r;
    }
    // A search stage skipped because the run had no evaluations left for it.
    static StageReport no_evaluations_left() {
        StageReport r;
        r.limits = SearchLimits{false, true};
        return r;
    }
};

// The rule above: `stage` into `run`'s evaluations and flags.
inline void absorb(DiscoveryResult& run, const StageReport& stage) {
    run.evaluations += stage.evaluations;
    run.cancelled = run.cancelled || stage.cancelled;
    if (stage.limits) {
        run.timed_out = stage.limits->timed_out;
        run.evaluation_limit_reached = stage.limits->evaluation_limit_reached;
    }
}

}  // namespace kepler::pipeline
