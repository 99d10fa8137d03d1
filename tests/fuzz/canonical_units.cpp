#include "canonical_units.hpp"

#include "kepler/core/printer.hpp"

namespace kepler::fuzz {

namespace {

const Unit* find_exact(const UnitSystem& system, const std::string& symbol) {
    for (const Unit& u : system.units)
        if (u.symbol == symbol) return &u;
    return nullptr;
}

bool is_base_unit(const UnitSystem& system, const std::string& symbol) {
    for (const BaseDimension& b : system.bases)
        if (b.unit == symbol) return true;
    return false;
}

}  // namespace

std::string unit_text(const UnitSystem& system, const ScaledDimension& value) {
    std::string text = format_number(value.scale);
    if (!value.dimension.dimensionless()) {
        text += ' ';
        text += system.format_in_units(value.dimension);
    }
    return text;
}

std::string unit_system_text(const UnitSystem& system) {
    std::string text = "system " + system.name + "\n";
    for (const BaseDimension& b : system.bases) {
        text += "base " + b.symbol + " \"" + b.name + "\" " + b.unit;
        const Unit* unit = find_exact(system, b.unit);
        if (unit != nullptr && !unit->prefixable) text += " noprefix";
        text += '\n';
    }
    for (const Prefix& p : system.prefixes) text += "prefix " + p.symbol + " = " + format_number(p.factor) + "\n";
    for (const Unit& u : system.units) {
        if (is_base_unit(system, u.symbol)) continue;
        text += "unit " + u.symbol + " = " + unit_text(system, u.value);
        if (!u.prefixable) text += " noprefix";
        text += '\n';
    }
    for (const PhysicalConstant& c : system.constants)
        text += "constant " + c.symbol + " = " + unit_text(system, c.value) + " \"" + c.name + "\"\n";
    return text;
}

}  // namespace kepler::fuzz
