// Unit expressions: "kg*m/s^2", "m s^-2", "W/(m^2*K^4)", "km/h", "µF", "cm^(3/2)", "1e-3 kg",
// "1". docs/UNITS.md documents the syntax for users; in short:
//
//   expression := factor { ('*' | '·' | '/' | juxtaposition) factor }   left to right
//   factor     := primary [ '^' exponent ]
//   primary    := unit symbol | positive number | '(' expression ')'
//   exponent   := [+-]digits | '(' [+-]digits [ '/' [+-]digits ] ')'
//
// - Juxtaposition is a product with the same precedence as '*' and '/', and everything is read
//   left to right: "J/kg/K" = J kg^-1 K^-1, "W/m^2*K" = (W/m^2)*K, "J/kg K" = (J/kg)*K. Write
//   "W/(m^2*K)" for the other reading.
// - A unit symbol is a run of letters: ASCII letters and any non-ASCII UTF-8 character (µ, μ,
//   Ω, Å, ...) except the middle dot '·', which is a product sign. No digits and no '_': "m2" is
//   an error (write "m^2"). A symbol is resolved through UnitSystem::find_unit: an exact symbol
//   first, else a prefix and a prefixable unit ("km", "uF", "µF", "hPa"; "h" alone is the hour
//   where the system defines one). "ms" is the millisecond; "m s" is metre times second.
// - Numbers (1, 2.5, .5, 1e-3, 2E+10) are scale factors: "1e-3 kg" = "g"; "1" is the
//   dimensionless unit of scale 1. A number may carry a power: "10^-3 m".
// - Rational exponents go in parentheses: "cm^(3/2)", "s^(-1/2)". An unparenthesised exponent
//   followed by '/' and a number ("cm^3/2") is refused as ambiguous rather than read either
//   way; write "cm^(3/2)" or "(cm^3)/2".
// - The scale of the result must be a positive, finite double.
#pragma once

#include <cstddef>
#include <string_view>

#include "kepler/grammar/parse_error.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler::grammar {

// The scale (in the system's coherent units) and dimension of `text`. Throws ParseError with
// source `source_name`, the given `line`, and column = column_offset + the 1-based character
// (UTF-8 code point) position in `text` of the problem, so that a caller that found the unit
// text on a line of a file passes the number of characters before it as `column_offset`.
// Messages say what was expected: "unknown unit 'furlong' in unit system 'si'",
// "expected a unit, found ')'", "expected an exponent after '^', found 'x'",
// "expected a unit, found end of unit" (also for empty text).
ScaledDimension parse_unit(std::string_view text, const UnitSystem& system, std::string_view source_name = "unit",
                           std::size_t line = 1, std::size_t column_offset = 0);

// Whether `symbol` has the form of a unit symbol (one or more letters as above), whether or not
// any system defines it.
bool is_unit_symbol(std::string_view symbol);

}  // namespace kepler::grammar
