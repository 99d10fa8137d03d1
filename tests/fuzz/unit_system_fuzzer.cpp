// Fuzz target for unit-system files. Property: a system that parses, written back as a file
// (canonical_units.hpp: every unit and constant as scale and coherent units), parses again to
// the same system: the same name, bases and prefixes in the same order, and every unit and
// constant with the same scale (bit for bit), dimension and flags. A ParseError on the input is
// expected; anything else is a failure.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "canonical_units.hpp"
#include "fuzz_check.hpp"
#include "kepler/grammar/unit_system_parser.hpp"

namespace {

using kepler::ScaledDimension;
using kepler::UnitSystem;
using kepler::grammar::ParseError;

bool same_value(const ScaledDimension& a, const ScaledDimension& b) {
    return std::bit_cast<std::uint64_t>(a.scale) == std::bit_cast<std::uint64_t>(b.scale) && a.dimension == b.dimension;
}

const kepler::Unit* find_exact(const UnitSystem& system, const std::string& symbol) {
    for (const kepler::Unit& u : system.units)
        if (u.symbol == symbol) return &u;
    return nullptr;
}

// The first difference between `a` and `b`, or "" if there is none. Units are compared by
// symbol: the canonical text lists the bases' units first.
std::string difference(const UnitSystem& a, const UnitSystem& b) {
    if (a.name != b.name) return "name";
    if (a.bases.size() != b.bases.size()) return "number of bases";
    for (std::size_t i = 0; i < a.bases.size(); ++i)
        if (a.bases[i].symbol != b.bases[i].symbol || a.bases[i].name != b.bases[i].name ||
            a.bases[i].unit != b.bases[i].unit)
            return "base " + a.bases[i].symbol;
    if (a.prefixes.size() != b.prefixes.size()) return "number of prefixes";
    for (std::size_t i = 0; i < a.prefixes.size(); ++i)
        if (a.prefixes[i].symbol != b.prefixes[i].symbol ||
            std::bit_cast<std::uint64_t>(a.prefixes[i].factor) != std::bit_cast<std::uint64_t>(b.prefixes[i].factor))
            return "prefix " + a.prefixes[i].symbol;
    if (a.units.size() != b.units.size()) return "number of units";
    for (const kepler::Unit& u : a.units) {
        const kepler::Unit* v = find_exact(b, u.symbol);
        if (v == nullptr || !same_value(u.value, v->value) || u.prefixable != v->prefixable) return "unit " + u.symbol;
    }
    if (a.constants.size() != b.constants.size()) return "number of constants";
    for (std::size_t i = 0; i < a.constants.size(); ++i)
        if (a.constants[i].symbol != b.constants[i].symbol || a.constants[i].name != b.constants[i].name ||
            !same_value(a.constants[i].value, b.constants[i].value))
            return "constant " + a.constants[i].symbol;
    return "";
}

void check(std::string_view text) {
    UnitSystem parsed;
    try {
        parsed = kepler::grammar::parse_unit_system(text, "fuzz.units");
    } catch (const ParseError&) {
        return;
    }
    const std::string canonical = kepler::fuzz::unit_system_text(parsed);
    UnitSystem again;
    try {
        again = kepler::grammar::parse_unit_system(canonical, "canonical.units");
    } catch (const ParseError& e) {
        kepler::fuzz::fail("the canonical text does not parse", canonical + "\n" + e.what());
    }
    if (std::string diff = difference(parsed, again); !diff.empty())
        kepler::fuzz::fail("the canonical text parses to another system",
                           "first difference: " + diff + "\n" + canonical);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    return kepler::fuzz::run_checked([&] { check(text); });
}
