// The safety net after finish (discover_stages.hpp: drop_inconsistent): with units, a front
// member that no units make consistent (units/front_consistency.hpp) is dropped and counted.
// The stages keep their formulas consistent at the source (the enumerations and the evolution
// are typed, the structure split types its parts and drops inconsistent combinations); this
// catches what the steps after them (simplifying, snapping, naming) might still break.
#include <algorithm>
#include <string>
#include <vector>

#include "discover_stages.hpp"
#include "kepler/units/front_consistency.hpp"

namespace kepler::pipeline {

void drop_inconsistent(const RunState& run, DiscoveryResult& result) {
    const std::optional<DimensionalConstraints>& dims = run.search().dimensions;
    if (!dims || result.front.empty()) return;
    std::vector<bool> consistent;
    for (const FoundLaw& law : result.front)
        consistent.push_back(dimensionally_consistent(law.expression, dims->variables, dims->target));
    const auto dropped = static_cast<std::size_t>(std::count(consistent.begin(), consistent.end(), false));
    if (dropped == 0) return;
    std::vector<FoundLaw> kept;
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < result.front.size(); ++i) {
        if (!consistent[i]) continue;
        if (i == result.best) best = kept.size();
        kept.push_back(std::move(result.front[i]));
    }
    if (!best && !kept.empty()) {  // the pick was dropped: the least total description length left
        best = 0;
        for (std::size_t i = 1; i < kept.size(); ++i)
            if (kept[i].complexity_bits + kept[i].error_bits < kept[*best].complexity_bits + kept[*best].error_bits)
                best = i;
    }
    result.front = std::move(kept);
    result.best = best.value_or(0);
    std::string line = std::to_string(dropped);
    line.append(dropped == 1 ? " inconsistent formula" : " inconsistent formulas")
        .append(" dropped (no units for their numbers make them dimensionally consistent)");
    result.explanation.push_back(std::move(line));
}

}  // namespace kepler::pipeline
