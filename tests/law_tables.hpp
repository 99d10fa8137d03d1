// Tables of one law over named columns with units, and their fit in SI units, shared by the
// tests of named constants and of the constants the groups need: inputs uniform in their
// ranges, the target from the law.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "kepler/api/fit.hpp"
#include "kepler/core/table.hpp"

namespace kepler::testing {

struct Column {
    std::string name, unit;
    double low, high;
};

// 300 rows: the inputs uniform in their ranges, the target (first column) from `law`, with
// Gaussian noise of sd `noise` times the target's RMS.
inline Table law_table(const std::string& target, const std::string& target_unit, const std::vector<Column>& inputs,
                       const std::function<double(const std::vector<double>&)>& law, double noise, std::uint64_t seed) {
    Table table;
    table.names = {target};
    table.units = {target_unit};
    for (const Column& c : inputs) {
        table.names.push_back(c.name);
        table.units.push_back(c.unit);
    }
    const Eigen::Index rows = 300;
    table.data.resize(rows, static_cast<Eigen::Index>(inputs.size() + 1));
    std::mt19937_64 rng(seed);
    for (Eigen::Index r = 0; r < rows; ++r) {
        std::vector<double> x;
        for (std::size_t k = 0; k < inputs.size(); ++k) {
            x.push_back(std::uniform_real_distribution<double>(inputs[k].low, inputs[k].high)(rng));
            table.data(r, static_cast<Eigen::Index>(k + 1)) = x.back();
        }
        table.data(r, 0) = law(x);
    }
    const double rms = std::sqrt(table.data.col(0).squaredNorm() / static_cast<double>(rows));
    std::normal_distribution<double> unit(0.0, 1.0);
    for (Eigen::Index r = 0; r < rows; ++r) table.data(r, 0) += noise * rms * unit(rng);
    return table;
}

// A normal density about a mean, f = exp(-((x - mu)/s)^2/2)/(sqrt(2*pi)*s), over dimensionless
// s, x and mu in 1-3 (the quick fits' and the stand-in check's tests share it).
inline Table gaussian_about_a_mean(double noise, std::uint64_t seed) {
    return law_table(
        "f", "1", {{"s", "1", 1.0, 3.0}, {"x", "1", 1.0, 3.0}, {"mu", "1", 1.0, 3.0}},
        [](const std::vector<double>& v) {
            const double u = (v[1] - v[2]) / v[0];
            return std::exp(-u * u / 2.0) / (std::sqrt(2.0 * std::numbers::pi) * v[0]);
        },
        noise, seed);
}

// The law of `target` in a unit system ("si", "feynman") under an evaluation budget (the time
// limit does not decide).
inline DiscoveryResult fit_in_system(const Table& table, const std::string& target, const std::string& system,
                                     std::size_t max_evaluations) {
    api::FitRequest request;
    request.target = target;
    request.units.system = system;
    request.options.search.time_limit_seconds = 120;
    request.options.search.max_evaluations = max_evaluations;
    request.options.search.threads = 2;
    return api::fit(table, request).discovery;
}

// The law of `target` in SI units under an evaluation budget.
inline DiscoveryResult fit_in_si(const Table& table, const std::string& target, std::size_t max_evaluations) {
    return fit_in_system(table, target, "si", max_evaluations);
}

// The symbols of the law's named constants, in its order.
inline std::vector<std::string> constant_symbols(const FoundLaw& law) {
    std::vector<std::string> out;
    for (const NamedConstant& c : law.named_constants) out.push_back(c.symbol);
    return out;
}

// True for a line of the result's explanation that mentions `text` (a stage, a quick fit).
inline bool explains(const DiscoveryResult& result, const std::string& text) {
    for (const std::string& line : result.explanation)
        if (line.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace kepler::testing
