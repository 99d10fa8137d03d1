// Fuzz target for the unit-expression grammar, in every built-in unit system. Property: a unit
// that parses, written as its canonical text (scale and coherent units, canonical_units.hpp),
// parses again to the same scale (bit for bit) and dimension. A ParseError on the input is
// expected; anything else is a failure.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "canonical_units.hpp"
#include "fuzz_check.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"

namespace {

using kepler::ScaledDimension;
using kepler::UnitSystem;
using kepler::grammar::ParseError;

const std::vector<UnitSystem>& systems() {
    static const std::vector<UnitSystem> all = [] {
        std::vector<UnitSystem> loaded;
        for (const std::string& name : kepler::grammar::builtin_unit_system_names())
            loaded.push_back(kepler::grammar::load_unit_system(name));
        return loaded;
    }();
    return all;
}

void check(std::string_view text, const UnitSystem& system) {
    ScaledDimension parsed;
    try {
        parsed = kepler::grammar::parse_unit(text, system);
    } catch (const ParseError&) {
        return;
    }
    const std::string canonical = kepler::fuzz::unit_text(system, parsed);
    ScaledDimension again;
    try {
        again = kepler::grammar::parse_unit(canonical, system);
    } catch (const ParseError& e) {
        kepler::fuzz::fail("the canonical text does not parse", "system " + system.name + ": " + e.what());
    }
    if (std::bit_cast<std::uint64_t>(again.scale) != std::bit_cast<std::uint64_t>(parsed.scale) ||
        !(again.dimension == parsed.dimension))
        kepler::fuzz::fail(
            "the canonical text parses to another unit",
            "system " + system.name + ": " + canonical + " gives " + kepler::fuzz::unit_text(system, again));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    return kepler::fuzz::run_checked([&] {
        for (const UnitSystem& system : systems()) check(text, system);
    });
}
