// Tables sampled from a known law: each input uniform in its range, the target computed
// from the law, optionally with Gaussian noise of standard deviation noise * rms(target)
// (the SRBench convention), and optionally with errors in the variables: after the target is
// computed from the exact inputs, each input column that varies gets Gaussian noise of
// standard deviation input_noise * rms(column) (a column fixed at one value, a constant of
// nature, gets none). Input noise is drawn after the target's, so a table with input_noise 0
// is the same as without it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/core/table.hpp"

namespace kepler::datasets {

struct InputRange {
    std::string name;
    double low = 1.0;
    double high = 5.0;
    std::string unit;  // header unit text, may be empty
};

struct LawSpec {
    std::string target;       // target column name
    std::string target_unit;  // header unit text, may be empty
    Expression law;           // in terms of Var k = inputs[k]
    std::vector<InputRange> inputs;
};

// Rows whose target is not finite are redrawn, so every row is usable.
Table uniform_table(const LawSpec& spec, std::size_t rows, std::uint64_t seed, double noise = 0.0,
                    double input_noise = 0.0);

// The table as CSV text with units in the header: `F [N],m [kg],a [m/s^2]`.
std::string to_csv(const Table& table);

}  // namespace kepler::datasets
