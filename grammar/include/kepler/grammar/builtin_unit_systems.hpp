// The unit systems that ship inside the library: si, si-angle, gaussian, natural and feynman.
// Their text is that of datasets/unit-systems/<name>.units, embedded at build time (the build
// generates a source file from those files and regenerates it when one of them changes), so a
// built-in system needs no file at run time. Parse one with load_unit_system(name)
// (kepler/grammar/unit_system_parser.hpp).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kepler::grammar {

struct BuiltinUnitSystem {
    std::string_view name;  // "si"
    std::string_view text;  // the whole .units file
};

// Every built-in system, in a fixed order: si, si-angle, gaussian, natural, feynman.
std::span<const BuiltinUnitSystem> builtin_unit_systems();

// Their names, in the same order.
std::vector<std::string> builtin_unit_system_names();

// The file text of the built-in system `name`; nothing if there is none of that name.
std::optional<std::string_view> builtin_unit_system_text(std::string_view name);

}  // namespace kepler::grammar
