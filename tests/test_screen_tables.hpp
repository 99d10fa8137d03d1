// Wide synthetic tables for the screening tests: y = x3*x7/x12 among 40 channels with a
// constant channel, an exact duplicate of x7, a redundant noisy copy of x3, distractors
// correlated with the law's channels and with the target, and gaps.
#pragma once

#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/pipeline/discover.hpp"

namespace kepler::testing {

struct WideTableSpec {
    std::size_t rows = 1500;
    double noise = 0.01;             // relative noise of y
    bool gaps = true;                // 3% missing in x3 and x12, 2% in y
    bool kelvin_copy_of_x7 = false;  // x1 [K] = 50*x7 exactly (an earlier column than x7)
    bool winch_copy_of_x7 = false;   // x2 [m] = 6 - x7 exactly, and x7 gets 3% gaps (x2 none)
    std::uint64_t seed = 11;
};

// Columns: y [W], then x0..x39. The law: y = x3 [N] * x7 [m] / x12 [s].
inline Table wide_table(const WideTableSpec& spec = {}) {
    const std::size_t channels = 40;
    const char* units[] = {"m", "s", "kg", "N", "K", "A", "V", "Pa"};
    Table t;
    t.names.push_back("y");
    t.units.push_back("W");
    for (std::size_t j = 0; j < channels; ++j) {
        t.names.push_back(std::string("x") + std::to_string(j));
        t.units.push_back(units[(j * 5 + 1) % 8]);
    }
    auto col = [](std::size_t j) { return static_cast<Eigen::Index>(j + 1); };
    t.units[col(0)] = "kPa";
    t.units[col(3)] = "N";
    t.units[col(7)] = "m";
    t.units[col(12)] = "s";
    t.units[col(25)] = "cm";  // the duplicate of x7
    t.units[col(30)] = "N";   // the noisy copy of x3
    t.units[col(15)] = "N";   // follows x3
    t.units[col(16)] = "s";   // follows x12
    t.units[col(17)] = "W";   // follows the target (30% noise: not a reading of it)
    if (spec.kelvin_copy_of_x7) t.units[col(1)] = "K";
    if (spec.winch_copy_of_x7) t.units[col(2)] = "m";

    const auto n = static_cast<Eigen::Index>(spec.rows);
    t.data.resize(n, static_cast<Eigen::Index>(channels + 1));
    std::mt19937_64 rng(spec.seed);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    std::normal_distribution<double> g(0.0, 1.0);
    std::uniform_real_distribution<double> p(0.0, 1.0);
    for (Eigen::Index r = 0; r < n; ++r) {
        for (std::size_t j = 0; j < channels; ++j) t.data(r, col(j)) = u(rng);
        const double x3 = t.data(r, col(3)), x7 = t.data(r, col(7)), x12 = t.data(r, col(12));
        const double truth = x3 * x7 / x12;
        t.data(r, 0) = truth * (1.0 + spec.noise * g(rng));
        t.data(r, col(0)) = 101.3;
        t.data(r, col(25)) = 200.0 * x7 + 50.0;
        t.data(r, col(30)) = x3 * (1.0 + 0.005 * g(rng));
        t.data(r, col(15)) = x3 + 0.8 * g(rng) + 3.0;
        t.data(r, col(16)) = x12 + 0.9 * g(rng) + 3.0;
        t.data(r, col(17)) = truth * (1.0 + 0.3 * std::abs(g(rng)));
        if (spec.kelvin_copy_of_x7) t.data(r, col(1)) = 50.0 * x7;
        if (spec.winch_copy_of_x7) t.data(r, col(2)) = 6.0 - x7;
        if (spec.gaps) {
            const double nan = std::numeric_limits<double>::quiet_NaN();
            if (p(rng) < 0.03) t.data(r, col(3)) = nan;
            if (p(rng) < 0.03) t.data(r, col(12)) = nan;
            if (p(rng) < 0.02) t.data(r, 0) = nan;
            if (spec.winch_copy_of_x7 && p(rng) < 0.03) t.data(r, col(7)) = nan;
        }
    }
    return t;
}

inline TableUnits si_units(const Table& t) {
    TableUnits u;
    u.system = grammar::load_unit_system("si");
    for (const auto& text : t.units) u.columns.push_back(grammar::parse_unit(text, u.system));
    return u;
}

inline std::vector<std::size_t> all_but(const Table& t, std::size_t target) {
    std::vector<std::size_t> c;
    for (std::size_t j = 0; j < t.columns(); ++j)
        if (j != target) c.push_back(j);
    return c;
}

}  // namespace kepler::testing
