#include "kepler/units/unit_system.hpp"

namespace kepler {

namespace {

const Unit* exact_unit(const std::vector<Unit>& units, std::string_view symbol) {
    for (const Unit& u : units) {
        if (u.symbol == symbol) return &u;
    }
    return nullptr;
}

// Shared by format and format_in_units: `symbol_of(out, i)` appends the name of base slot i,
// `power(out, e)` the exponent (never called for exponent 1), `separator` joins the factors.
// (Strings are built by appending: g++ 12 gives a false -Wrestrict on "literal" + std::string.)
template <class SymbolOf, class Power>
std::string join_factors(const Dimension& d, SymbolOf symbol_of, Power power, char separator) {
    std::string s;
    for (std::size_t i = 0; i < kMaxBaseDimensions; ++i) {
        const Rational e = d.exponent(i);
        if (e.is_zero()) continue;
        if (!s.empty()) s += separator;
        symbol_of(s, i);
        if (e != Rational(1)) power(s, e);
    }
    if (s.empty()) s.push_back('1');
    return s;
}

void append_slot(std::string& out, std::size_t i) {
    out += 'e';
    out += std::to_string(i);
}

}  // namespace

std::optional<ScaledDimension> UnitSystem::find_unit(std::string_view symbol) const {
    if (const Unit* u = exact_unit(units, symbol)) return u->value;
    // Longest prefix first ("da" before "d"), and only in front of a prefixable unit.
    const Prefix* best = nullptr;
    const Unit* best_unit = nullptr;
    for (const Prefix& p : prefixes) {
        if (p.symbol.empty() || p.symbol.size() >= symbol.size()) continue;
        if (symbol.substr(0, p.symbol.size()) != p.symbol) continue;
        if (best != nullptr && best->symbol.size() >= p.symbol.size()) continue;
        const Unit* u = exact_unit(units, symbol.substr(p.symbol.size()));
        if (u == nullptr || !u->prefixable) continue;
        best = &p;
        best_unit = u;
    }
    if (best == nullptr) return std::nullopt;
    ScaledDimension v = best_unit->value;
    v.scale *= best->factor;
    return v;
}

const PhysicalConstant* UnitSystem::find_constant(std::string_view symbol) const {
    for (const PhysicalConstant& c : constants) {
        if (c.symbol == symbol) return &c;
    }
    return nullptr;
}

std::optional<std::size_t> UnitSystem::base_index(std::string_view base_symbol) const {
    for (std::size_t i = 0; i < bases.size(); ++i) {
        if (bases[i].symbol == base_symbol) return i;
    }
    return std::nullopt;
}

// A slot the system does not declare (only reachable through a Dimension built by hand) is
// printed as "e<index>" rather than throwing: these strings end up in error messages.
std::string UnitSystem::format(const Dimension& d) const {
    return join_factors(
        d,
        [this](std::string& out, std::size_t i) {
            if (i < bases.size()) {
                out += bases[i].symbol;
            } else {
                append_slot(out, i);
            }
        },
        [](std::string& out, Rational e) {
            out += '^';
            out += e.to_string();
        },
        ' ');
}

std::string UnitSystem::format_in_units(const Dimension& d) const {
    return join_factors(
        d,
        [this](std::string& out, std::size_t i) {
            if (i >= bases.size()) {
                append_slot(out, i);
            } else {
                out += bases[i].unit.empty() ? bases[i].symbol : bases[i].unit;
            }
        },
        // "s^-2" for integers; "^(3/2)" in parentheses so that the text reads back as a unit
        // expression ("g^3/2" would parse as (g^3)/2).
        [](std::string& out, Rational e) {
            out += '^';
            if (e.is_integer()) {
                out += e.to_string();
            } else {
                out += '(';
                out += e.to_string();
                out += ')';
            }
        },
        '*');
}

}  // namespace kepler
