// The simulated rigs behind generate_sensor_log (internal to kepler_datasets): each describes
// its channels, in the log's column order, as recipes that compute the channel's true values,
// plus the ground truth (hidden law, redundant pairs, constant and correlated channels).
// The generator adds the target's noise, the logger's resolution, gaps and padding.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sensor_log.hpp"
#include "sensor_log_signals.hpp"

namespace kepler::datasets::rigs {

struct RigContext {
    std::uint64_t seed = 1;
    std::size_t rows = 0;
    double dt = 1.0;     // sample period, seconds
    double noise = 0.0;  // the spec's target noise (a backup of the target must know it)
    // Sample times in seconds from the start, shared so that the channels' recipes can keep
    // the context without copying a gigabyte log's time axis each.
    std::shared_ptr<const signals::Series> times;
    const signals::Series& t() const { return *times; }
    std::string rig;  // streams are named after the rig too, so rigs do not share noise
    signals::RandomStream stream(std::string_view name) const {
        std::string full = rig;
        full += '/';
        full += name;
        return {seed, full};
    }
};

struct ChannelRecipe {
    std::string name;
    std::string unit;
    int decimals = 2;                         // the logger's resolution: 10^-decimals in the channel's unit
    bool in_law = false;                      // kept at every channel count
    std::function<signals::Series()> values;  // true values (computed only if the channel is kept)
};

struct RigRecipe {
    std::vector<ChannelRecipe> channels;  // column order
    std::string target;
    std::vector<std::string> law_inputs;
    std::string law;
    std::vector<ChannelRelation> relations;
    std::vector<std::string> constants;
    std::vector<std::string> correlated;
    std::vector<signals::Series> hidden_states;  // quantities padding distractors may follow
};

RigRecipe gas_piston(const RigContext& context);
RigRecipe heated_wire(const RigContext& context);
RigRecipe pendulum(const RigContext& context);

}  // namespace kepler::datasets::rigs
