// The Feynman database's laws for the tests: looked up by id and turned into the table
// generator's spec the way `kepler bench` does (bench/suite's spec_of), without linking the
// bench suite into the tests.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "feynman_laws.hpp"
#include "kepler/grammar/law_file.hpp"
#include "uniform_table.hpp"

namespace kepler::testing {

// All 100 laws, parsed once.
inline const std::vector<grammar::Law>& feynman_laws() {
    static const auto laws = grammar::parse_law_file(datasets::feynman_laws_text(), "feynman.laws");
    return laws;
}

// Throws std::invalid_argument for an id the database does not have.
inline const grammar::Law& feynman_law(const std::string& id) {
    for (const auto& law : feynman_laws())
        if (law.id == id) return law;
    throw std::invalid_argument("no law " + id);
}

inline datasets::LawSpec spec_of(const grammar::Law& law) {
    datasets::LawSpec spec{law.target, law.target_unit, law.formula, {}};
    for (const auto& in : law.inputs) spec.inputs.push_back({in.name, in.low, in.high, in.unit});
    return spec;
}

}  // namespace kepler::testing
