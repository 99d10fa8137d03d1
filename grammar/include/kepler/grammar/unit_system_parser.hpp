// Unit-system files: base dimensions, prefixes, units and physical constants, one statement a
// line. docs/UNITS.md documents the syntax; the built-in systems (datasets/unit-systems/*.units)
// are examples of it. In short:
//
//   # comment (anywhere outside a quoted name)
//   system si
//   base M mass kg noprefix              base dimension symbol, name, coherent unit [noprefix]
//   base N "amount of substance" mol     (a name with spaces in double quotes)
//   prefix k = 1e3
//   unit g = 1e-3 kg                     any unit expression over the units defined above
//   unit min = 60 s noprefix
//   constant c = 299792458 m/s "speed of light in vacuum"
//
// The `system` statement comes first. Bases are numbered in the order they are declared (that
// is the order in which dimensions print), at most kMaxBaseDimensions of them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kepler/grammar/builtin_unit_systems.hpp"
#include "kepler/grammar/parse_error.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler::grammar {

// Parses unit-system text. Throws ParseError naming `source_name`, the 1-based line and column
// and what was expected: "unknown keyword 'unti'; expected one of: system, base, prefix, unit,
// constant", "unit 'N' is already defined on line 12", "unknown unit 'furlong' in unit system
// 'si'", "too many base dimensions (at most 8)", "expected '=', found end of line", ...
UnitSystem parse_unit_system(std::string_view text, std::string_view source_name);

// A built-in system by name (see builtin_unit_system_names()) or a unit-system file by path.
// A name that is neither a built-in nor an existing file, and does not look like a path (no '/'
// and no '.'), gives a ParseError with line 0 and column 0: "unknown unit system 'x'; expected
// one of: si, si-angle, gaussian, natural, feynman, or a file path". A path that cannot be read
// gives ParseError(path, 0, 0, "cannot open file"); a bad file, the ParseError of its contents.
UnitSystem load_unit_system(std::string_view name_or_path);

}  // namespace kepler::grammar
