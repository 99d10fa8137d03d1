#include "kepler/screen/screen.hpp"

#include <algorithm>
#include <chrono>

#include "screen_steps.hpp"

namespace kepler {

const char* to_string(ChannelVerdict verdict) {
    switch (verdict) {
        case ChannelVerdict::Kept:
            return "kept";
        case ChannelVerdict::Constant:
            return "constant";
        case ChannelVerdict::FewReadings:
            return "few readings";
        case ChannelVerdict::Duplicate:
            return "duplicate";
        case ChannelVerdict::Interchangeable:
            return "interchangeable";
        case ChannelVerdict::TargetReading:
            return "reads the target";
        case ChannelVerdict::Timestamp:
            return "timestamp";
    }
    return "?";
}

const ChannelScreen* ScreenReport::channel(std::size_t column) const {
    for (const ChannelScreen& c : channels)
        if (c.column == column) return &c;
    return nullptr;
}

std::vector<std::size_t> ScreenReport::ranking() const {
    std::vector<const ChannelScreen*> kept;
    for (const ChannelScreen& c : channels)
        if (c.verdict == ChannelVerdict::Kept) kept.push_back(&c);
    std::sort(kept.begin(), kept.end(),
              [](const ChannelScreen* a, const ChannelScreen* b) { return a->rank < b->rank; });
    std::vector<std::size_t> out;
    for (const ChannelScreen* c : kept) out.push_back(c->column);
    return out;
}

std::vector<std::size_t> ScreenReport::interchangeable_with(std::size_t column) const {
    for (const ChannelGroup& g : groups) {
        const bool rep = g.representative == column;
        const bool member = std::find(g.members.begin(), g.members.end(), column) != g.members.end();
        if (!rep && !member) continue;
        std::vector<std::size_t> out;
        if (!rep) out.push_back(g.representative);
        for (std::size_t m : g.members)
            if (m != column) out.push_back(m);
        return out;
    }
    return {};
}

// The steps are in screen_steps.hpp, each in its own file; screen.hpp's header comment says
// what screening does and why.
ScreenReport screen_channels(const Table& table, std::size_t target, const std::vector<std::size_t>& candidates,
                             const std::optional<TableUnits>& units, const ScreenOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    screening::ChannelScreening steps(table, target, candidates, units, options);  // checks, samples the rows
    steps.count_readings();             // 1. readings and gaps; constant channels
    steps.set_aside_target_readings();  // 2a. readings of the target itself
    steps.find_correlated_pairs();      // 2b. pairs that read one quantity
    steps.score_relevance();            // 3. relevance of the channels still in the running
    steps.choose_representatives();     // 4. one reading per quantity
    steps.rank_and_short_list();        // 5. ranking and short list
    steps.score_interactions();         // 6. the surrogate's interaction scores
    steps.propose_subsets();            // 7. subsets of the short list, by BIC and units
    steps.explain();                    // the reasons, in words
    ScreenReport report = steps.take_report();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

}  // namespace kepler
