// The built-in unit systems: each parses; its bases are the documented ones; every constant has
// the dimension physics says it has; values agree with each other (eps0 mu0 c^2 = 1, ...); and
// the feynman system gives every variable of the Feynman database (units.csv) its dimension.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numbers>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"

namespace {

using kepler::Dimension;
using kepler::Rational;
using kepler::ScaledDimension;
using kepler::UnitSystem;
using kepler::grammar::builtin_unit_system_names;
using kepler::grammar::is_unit_symbol;
using kepler::grammar::load_unit_system;
using kepler::grammar::parse_unit;

const UnitSystem& system_named(const std::string& name) {
    static std::map<std::string, UnitSystem> cache;
    auto it = cache.find(name);
    if (it == cache.end()) it = cache.emplace(name, load_unit_system(name)).first;
    return it->second;
}

std::vector<std::string> base_symbols(const UnitSystem& s) {
    std::vector<std::string> out;
    for (const auto& b : s.bases) out.push_back(b.symbol);
    return out;
}

std::vector<std::string> base_units(const UnitSystem& s) {
    std::vector<std::string> out;
    for (const auto& b : s.bases) out.push_back(b.unit);
    return out;
}

// The dimension of constant `symbol` in the system's notation.
std::string constant_dim(const UnitSystem& s, const std::string& symbol) {
    const kepler::PhysicalConstant* c = s.find_constant(symbol);
    if (c == nullptr) return "<no constant " + symbol + ">";
    return s.format(c->value.dimension);
}

double constant_value(const UnitSystem& s, const std::string& symbol) {
    const kepler::PhysicalConstant* c = s.find_constant(symbol);
    EXPECT_NE(c, nullptr) << symbol;
    return c == nullptr ? 0.0 : c->value.scale;
}

void expect_near_rel(double actual, double expected, double rel, const std::string& what) {
    EXPECT_NEAR(actual / expected, 1.0, rel) << what << ": " << actual << " vs " << expected;
}

TEST(BuiltinUnitSystems, EveryOneParsesAndIsWellFormed) {
    for (const std::string& name : builtin_unit_system_names()) {
        SCOPED_TRACE(name);
        const UnitSystem& s = system_named(name);
        EXPECT_EQ(s.name, name);
        EXPECT_FALSE(s.bases.empty());
        EXPECT_FALSE(s.constants.empty());
        for (const auto& u : s.units) {
            EXPECT_TRUE(is_unit_symbol(u.symbol)) << u.symbol;
            EXPECT_TRUE(std::isfinite(u.value.scale) && u.value.scale > 0.0) << u.symbol;
            // Each unit reads back as itself.
            ScaledDimension v = parse_unit(u.symbol, s);
            EXPECT_EQ(v.scale, u.value.scale) << u.symbol;
            EXPECT_EQ(v.dimension, u.value.dimension) << u.symbol;
        }
        for (const auto& c : s.constants) {
            EXPECT_TRUE(std::isfinite(c.value.scale) && c.value.scale > 0.0) << c.symbol;
            EXPECT_NE(c.name, c.symbol) << "constant " << c.symbol << " has no descriptive name";
        }
        // Base units are coherent: scale 1, dimension the base itself.
        for (std::size_t i = 0; i < s.bases.size(); ++i) {
            std::optional<ScaledDimension> u = s.find_unit(s.bases[i].unit);
            ASSERT_TRUE(u.has_value()) << s.bases[i].unit;
            EXPECT_EQ(u->scale, 1.0);
            EXPECT_EQ(u->dimension, Dimension::base(i));
        }
        for (const auto& p : s.prefixes) EXPECT_GT(p.factor, 0.0) << p.symbol;
    }
}

TEST(BuiltinUnitSystems, EmbeddedTextIsTheFileText) {
    for (const std::string& name : builtin_unit_system_names()) {
        const std::string path = std::string(KEPLER_SOURCE_DIR) + "/datasets/unit-systems/" + name + ".units";
        std::ifstream in(path, std::ios::binary);
        ASSERT_TRUE(in) << path;
        std::stringstream buffer;
        buffer << in.rdbuf();
        std::optional<std::string_view> text = kepler::grammar::builtin_unit_system_text(name);
        ASSERT_TRUE(text.has_value()) << name;
        EXPECT_EQ(*text, buffer.str()) << name << ": rebuild to re-embed " << path;
    }
}

TEST(BuiltinUnitSystems, Si) {
    const UnitSystem& s = system_named("si");
    EXPECT_EQ(base_symbols(s), (std::vector<std::string>{"M", "L", "T", "I", "Theta", "N", "J"}));
    EXPECT_EQ(base_units(s), (std::vector<std::string>{"kg", "m", "s", "A", "K", "mol", "cd"}));

    const std::map<std::string, std::string> expected = {
        {"c", "L T^-1"},
        {"G", "M^-1 L^3 T^-2"},
        {"h", "M L^2 T^-1"},
        {"hbar", "M L^2 T^-1"},
        {"k_B", "M L^2 T^-2 Theta^-1"},
        {"e", "T I"},
        {"eps0", "M^-1 L^-3 T^4 I^2"},
        {"mu0", "M L T^-2 I^-2"},
        {"N_A", "N^-1"},
        {"R", "M L^2 T^-2 Theta^-1 N^-1"},
        {"sigma_SB", "M T^-3 Theta^-4"},
        {"g_n", "L T^-2"},
        {"m_e", "M"},
        {"m_p", "M"},
        {"m_n", "M"},
        {"alpha", "1"},
    };
    for (const auto& [symbol, dim] : expected) EXPECT_EQ(constant_dim(s, symbol), dim) << symbol;
    EXPECT_EQ(s.constants.size(), expected.size());

    EXPECT_EQ(constant_value(s, "c"), 299792458.0);
    EXPECT_EQ(constant_value(s, "h"), 6.62607015e-34);
    EXPECT_EQ(constant_value(s, "k_B"), 1.380649e-23);
    EXPECT_EQ(constant_value(s, "e"), 1.602176634e-19);
    EXPECT_EQ(constant_value(s, "N_A"), 6.02214076e23);
    EXPECT_EQ(constant_value(s, "G"), 6.67430e-11);

    // The values hang together (to the CODATA 2018 precision of the measured ones).
    const double c = constant_value(s, "c");
    expect_near_rel(constant_value(s, "eps0") * constant_value(s, "mu0") * c * c, 1.0, 1e-9, "eps0 mu0 c^2");
    expect_near_rel(constant_value(s, "hbar"), constant_value(s, "h") / (2 * std::numbers::pi), 1e-15, "hbar");
    expect_near_rel(constant_value(s, "R"), constant_value(s, "N_A") * constant_value(s, "k_B"), 1e-9, "R");
    const double e = constant_value(s, "e");
    expect_near_rel(e * e / (4 * std::numbers::pi * constant_value(s, "eps0") * constant_value(s, "hbar") * c),
                    constant_value(s, "alpha"), 1e-9, "alpha");
    // sigma = 2 pi^5 k^4 / (15 h^3 c^2), from the exact h.
    const double pi = std::numbers::pi, kB = constant_value(s, "k_B"), h = constant_value(s, "h");
    expect_near_rel(constant_value(s, "sigma_SB"),
                    2 * std::pow(pi, 5) * std::pow(kB, 4) / (15 * std::pow(h, 3) * c * c), 1e-9, "sigma_SB");

    // Derived and non-SI units.
    auto scale = [&](const char* text) { return parse_unit(text, s).scale; };
    auto dim = [&](const char* text) { return s.format(parse_unit(text, s).dimension); };
    EXPECT_EQ(dim("N"), "M L T^-2");
    EXPECT_EQ(dim("J"), "M L^2 T^-2");
    EXPECT_EQ(dim("W"), "M L^2 T^-3");
    EXPECT_EQ(dim("Pa"), "M L^-1 T^-2");
    EXPECT_EQ(dim("Hz"), "T^-1");
    EXPECT_EQ(dim("C"), "T I");
    EXPECT_EQ(dim("V"), "M L^2 T^-3 I^-1");
    EXPECT_EQ(dim("Ohm"), "M L^2 T^-3 I^-2");
    EXPECT_EQ(dim("Ω"), dim("Ohm"));
    EXPECT_EQ(dim("Ω"), dim("Ohm"));  // U+2126 ohm sign
    EXPECT_EQ(dim("S"), "M^-1 L^-2 T^3 I^2");
    EXPECT_EQ(dim("Wb"), "M L^2 T^-2 I^-1");
    EXPECT_EQ(dim("T"), "M T^-2 I^-1");
    EXPECT_EQ(dim("H"), "M L^2 T^-2 I^-2");
    EXPECT_EQ(dim("lm"), "J");
    EXPECT_EQ(dim("lx"), "L^-2 J");
    EXPECT_EQ(dim("Gy"), "L^2 T^-2");
    EXPECT_EQ(dim("Sv"), "L^2 T^-2");
    EXPECT_EQ(dim("kat"), "T^-1 N");
    EXPECT_EQ(dim("L"), "L^3");
    EXPECT_EQ(dim("sr"), "1");
    EXPECT_EQ(scale("eV"), 1.602176634e-19);
    EXPECT_DOUBLE_EQ(scale("L"), 1e-3);
    EXPECT_DOUBLE_EQ(scale("mL"), 1e-6);
    EXPECT_EQ(scale("min"), 60.0);
    EXPECT_EQ(scale("h"), 3600.0);
    EXPECT_EQ(scale("d"), 86400.0);
    EXPECT_DOUBLE_EQ(scale("deg"), std::numbers::pi / 180);
    EXPECT_EQ(scale("bar"), 1e5);
    EXPECT_DOUBLE_EQ(scale("mbar"), 100.0);
    EXPECT_EQ(scale("atm"), 101325.0);
    EXPECT_DOUBLE_EQ(scale("g"), 1e-3);
    EXPECT_EQ(scale("t"), 1000.0);
    EXPECT_EQ(scale("Da"), 1.66053906660e-27);
    EXPECT_DOUBLE_EQ(scale("kDa"), 1.66053906660e-24);
    for (const char* text : {"Qm", "Rm", "Ym", "Zm", "Em", "Pm", "Tm", "Gm", "Mm", "km", "hm", "dam", "dm",
                             "cm", "mm", "um", "µm", "μm", "nm", "pm", "fm", "am", "zm", "ym", "rm",  "qm"})
        EXPECT_EQ(dim(text), "L") << text;
    EXPECT_DOUBLE_EQ(scale("Qm"), 1e30);
    EXPECT_DOUBLE_EQ(scale("qm"), 1e-30);
}

TEST(BuiltinUnitSystems, SiAngle) {
    const UnitSystem& s = system_named("si-angle");
    EXPECT_EQ(base_symbols(s), (std::vector<std::string>{"M", "L", "T", "I", "Theta", "N", "J", "Angle"}));
    EXPECT_EQ(base_units(s), (std::vector<std::string>{"kg", "m", "s", "A", "K", "mol", "cd", "rad"}));
    auto dim = [&](const char* text) { return s.format(parse_unit(text, s).dimension); };
    EXPECT_EQ(dim("rad"), "Angle");
    EXPECT_EQ(dim("sr"), "Angle^2");
    EXPECT_EQ(dim("deg"), "Angle");
    EXPECT_DOUBLE_EQ(parse_unit("deg", s).scale, std::numbers::pi / 180);
    EXPECT_EQ(dim("mrad"), "Angle");
    EXPECT_EQ(dim("rad/s"), "T^-1 Angle");
    EXPECT_EQ(dim("Hz"), "T^-1");
    EXPECT_EQ(dim("lm"), "J Angle^2");
    EXPECT_EQ(dim("N"), "M L T^-2");

    const std::map<std::string, std::string> expected = {
        {"c", "L T^-1"},
        {"G", "M^-1 L^3 T^-2"},
        {"h", "M L^2 T^-1"},
        {"hbar", "M L^2 T^-1 Angle^-1"},  // h per radian: E = hbar*omega with omega in rad/s
        {"k_B", "M L^2 T^-2 Theta^-1"},
        {"e", "T I"},
        {"eps0", "M^-1 L^-3 T^4 I^2"},
        {"mu0", "M L T^-2 I^-2"},
        {"N_A", "N^-1"},
        {"R", "M L^2 T^-2 Theta^-1 N^-1"},
        {"sigma_SB", "M T^-3 Theta^-4"},
        {"g_n", "L T^-2"},
        {"m_e", "M"},
        {"m_p", "M"},
        {"m_n", "M"},
        {"alpha", "1"},
    };
    for (const auto& [symbol, dim_text] : expected) EXPECT_EQ(constant_dim(s, symbol), dim_text) << symbol;
    EXPECT_EQ(s.constants.size(), expected.size());
    // E = hbar * omega is an energy.
    const auto* hbar = s.find_constant("hbar");
    ASSERT_NE(hbar, nullptr);
    EXPECT_EQ(hbar->value.dimension * parse_unit("rad/s", s).dimension, parse_unit("J", s).dimension);
}

TEST(BuiltinUnitSystems, Gaussian) {
    const UnitSystem& s = system_named("gaussian");
    EXPECT_EQ(base_symbols(s), (std::vector<std::string>{"M", "L", "T", "Theta", "N"}));
    EXPECT_EQ(base_units(s), (std::vector<std::string>{"g", "cm", "s", "K", "mol"}));
    auto scale = [&](const char* text) { return parse_unit(text, s).scale; };
    auto dim = [&](const char* text) { return s.format(parse_unit(text, s).dimension); };

    EXPECT_EQ(dim("statC"), "M^1/2 L^3/2 T^-1");
    EXPECT_EQ(dim("Fr"), "M^1/2 L^3/2 T^-1");
    EXPECT_EQ(dim("esu"), "M^1/2 L^3/2 T^-1");
    EXPECT_EQ(dim("statA"), "M^1/2 L^3/2 T^-2");
    EXPECT_EQ(dim("statV"), "M^1/2 L^1/2 T^-1");
    EXPECT_EQ(dim("G"), "M^1/2 L^-1/2 T^-1");
    EXPECT_EQ(dim("G"), dim("statV/cm"));
    EXPECT_EQ(dim("Mx"), "M^1/2 L^3/2 T^-1");
    EXPECT_EQ(dim("statF"), "L");
    EXPECT_EQ(dim("statOhm"), "L^-1 T");
    EXPECT_EQ(dim("dyn"), "M L T^-2");
    EXPECT_EQ(dim("erg"), "M L^2 T^-2");
    // Coulomb's law without 4 pi eps0: statC^2/cm^2 is a force.
    EXPECT_EQ(parse_unit("statC^2/cm^2", s).dimension, parse_unit("dyn", s).dimension);

    EXPECT_EQ(scale("kg"), 1000.0);
    EXPECT_EQ(scale("m"), 100.0);
    EXPECT_DOUBLE_EQ(scale("km"), 1e5);
    EXPECT_DOUBLE_EQ(scale("mm"), 0.1);
    EXPECT_EQ(scale("N"), 1e5);
    EXPECT_EQ(scale("J"), 1e7);
    EXPECT_DOUBLE_EQ(scale("Pa"), 10.0);
    EXPECT_DOUBLE_EQ(scale("kG"), 1e3);
    EXPECT_DOUBLE_EQ(scale("eV"), 1.602176634e-12);

    const std::map<std::string, std::string> expected = {
        {"c", "L T^-1"},
        {"G", "M^-1 L^3 T^-2"},
        {"h", "M L^2 T^-1"},
        {"hbar", "M L^2 T^-1"},
        {"k_B", "M L^2 T^-2 Theta^-1"},
        {"e", "M^1/2 L^3/2 T^-1"},
        {"N_A", "N^-1"},
        {"R", "M L^2 T^-2 Theta^-1 N^-1"},
        {"sigma_SB", "M T^-3 Theta^-4"},
        {"g_n", "L T^-2"},
        {"m_e", "M"},
        {"m_p", "M"},
        {"m_n", "M"},
        {"alpha", "1"},
    };
    for (const auto& [symbol, dim_text] : expected) EXPECT_EQ(constant_dim(s, symbol), dim_text) << symbol;
    EXPECT_EQ(s.constants.size(), expected.size());
    EXPECT_EQ(s.find_constant("eps0"), nullptr);
    EXPECT_EQ(s.find_constant("mu0"), nullptr);

    EXPECT_EQ(constant_value(s, "c"), 2.99792458e10);
    expect_near_rel(constant_value(s, "e"), 4.80320471e-10, 1e-9, "e");
    EXPECT_EQ(constant_value(s, "g_n"), 980.665);
    // alpha = e^2/(hbar c) in Gaussian units.
    const double e = constant_value(s, "e");
    expect_near_rel(e * e / (constant_value(s, "hbar") * constant_value(s, "c")), constant_value(s, "alpha"), 1e-9,
                    "alpha");
    // The CGS values agree with the SI ones.
    const UnitSystem& si = system_named("si");
    for (const char* symbol : {"G", "h", "hbar", "k_B", "R", "sigma_SB", "g_n", "m_e", "m_p", "m_n"}) {
        const auto* cgs = s.find_constant(symbol);
        ASSERT_NE(cgs, nullptr) << symbol;
        // The constant's value in SI units, through the unit expression of its CGS dimension.
        std::string unit_text = s.format_in_units(cgs->value.dimension);
        ScaledDimension in_si = parse_unit(unit_text, si);
        expect_near_rel(cgs->value.scale * in_si.scale, constant_value(si, symbol), 1e-12, symbol);
    }
}

TEST(BuiltinUnitSystems, Natural) {
    const UnitSystem& s = system_named("natural");
    EXPECT_EQ(base_symbols(s), (std::vector<std::string>{"E"}));
    EXPECT_EQ(base_units(s), (std::vector<std::string>{"eV"}));
    auto scale = [&](const char* text) { return parse_unit(text, s).scale; };
    auto dim = [&](const char* text) { return s.format(parse_unit(text, s).dimension); };

    EXPECT_DOUBLE_EQ(scale("keV"), 1e3);
    EXPECT_DOUBLE_EQ(scale("MeV"), 1e6);
    EXPECT_DOUBLE_EQ(scale("GeV"), 1e9);
    EXPECT_DOUBLE_EQ(scale("TeV"), 1e12);
    EXPECT_DOUBLE_EQ(scale("meV"), 1e-3);
    EXPECT_EQ(dim("kg"), "E");
    expect_near_rel(scale("kg"), 5.60958860e35, 1e-9, "kg");
    EXPECT_DOUBLE_EQ(scale("g"), scale("kg") / 1000);
    EXPECT_EQ(dim("m"), "E^-1");
    expect_near_rel(scale("m"), 5.067730716e6, 1e-9, "m");
    EXPECT_EQ(dim("fm"), "E^-1");
    expect_near_rel(scale("fm") * 197.3269804e6, 1.0, 1e-12, "hbar c = 197.327 MeV fm");
    EXPECT_EQ(dim("s"), "E^-1");
    expect_near_rel(scale("s"), 1.519267447e15, 1e-9, "s");
    EXPECT_EQ(dim("K"), "E");
    expect_near_rel(scale("K"), 8.617333262e-5, 1e-12, "K");
    EXPECT_EQ(dim("J"), "E");
    EXPECT_EQ(dim("pb"), "E^-2");
    EXPECT_EQ(dim("m/s"), "1");  // velocities are dimensionless: c = 1
    expect_near_rel(scale("m/s") * 299792458.0, 1.0, 1e-9, "c = 1");
    expect_near_rel(scale("kg*m^2/s^2"), scale("J"), 1e-9, "J = kg m^2 s^-2");

    const std::map<std::string, std::string> expected = {
        {"c", "1"}, {"hbar", "1"}, {"h", "1"},        {"k_B", "1"}, {"eps0", "1"}, {"mu0", "1"}, {"alpha", "1"},
        {"e", "1"}, {"G", "E^-2"}, {"sigma_SB", "1"}, {"m_e", "E"}, {"m_p", "E"},  {"m_n", "E"},
    };
    for (const auto& [symbol, dim_text] : expected) EXPECT_EQ(constant_dim(s, symbol), dim_text) << symbol;
    EXPECT_EQ(s.constants.size(), expected.size());
    EXPECT_EQ(constant_value(s, "c"), 1.0);
    EXPECT_EQ(constant_value(s, "hbar"), 1.0);
    EXPECT_EQ(constant_value(s, "m_e"), 510998.95);
    expect_near_rel(constant_value(s, "e"), 0.302822, 1e-5, "e");
    const double e = constant_value(s, "e");
    expect_near_rel(e * e / (4 * std::numbers::pi), constant_value(s, "alpha"), 1e-12, "alpha = e^2/(4 pi)");
    expect_near_rel(constant_value(s, "G"), 6.70883e-57, 1e-9, "G");
    // The electron mass agrees with the SI one through the kg conversion.
    expect_near_rel(constant_value(s, "m_e"), 9.1093837015e-31 * scale("kg"), 1e-9, "m_e");
}

TEST(BuiltinUnitSystems, Feynman) {
    const UnitSystem& s = system_named("feynman");
    EXPECT_EQ(base_symbols(s), (std::vector<std::string>{"L", "T", "M", "Theta", "V"}));
    EXPECT_EQ(base_units(s), (std::vector<std::string>{"m", "s", "kg", "K", "V"}));
    auto dim = [&](const char* text) { return s.format(parse_unit(text, s).dimension); };
    EXPECT_EQ(dim("C"), "L^2 T^-2 M V^-1");
    EXPECT_EQ(dim("T"), "L^-2 T V");
    EXPECT_EQ(dim("A"), "L^2 T^-3 M V^-1");
    EXPECT_EQ(dim("J"), "L^2 T^-2 M");

    const std::map<std::string, std::string> expected = {
        {"c", "L T^-1"},
        {"G", "L^3 T^-2 M^-1"},
        {"h", "L^2 T^-1 M"},
        {"hbar", "L^2 T^-1 M"},
        {"k_B", "L^2 T^-2 M Theta^-1"},
        {"e", "L^2 T^-2 M V^-1"},
        {"eps0", "L T^-2 M V^-2"},
        {"mu0", "L^-3 T^4 M^-1 V^2"},
        {"sigma_SB", "T^-3 M Theta^-4"},
        {"g_n", "L T^-2"},
        {"m_e", "M"},
        {"m_p", "M"},
        {"alpha", "1"},
    };
    for (const auto& [symbol, dim_text] : expected) EXPECT_EQ(constant_dim(s, symbol), dim_text) << symbol;
    EXPECT_EQ(s.constants.size(), expected.size());
    // Same numbers as SI: the volt base changes dimensions, not values.
    const UnitSystem& si = system_named("si");
    for (const auto& c : s.constants) EXPECT_EQ(c.value.scale, constant_value(si, c.symbol)) << c.symbol;
    const double c = constant_value(s, "c");
    expect_near_rel(constant_value(s, "eps0") * constant_value(s, "mu0") * c * c, 1.0, 1e-9, "eps0 mu0 c^2");
}

// ---- the Feynman database's units table ----

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    for (char ch : line) {
        if (ch == ',') {
            cells.push_back(cell);
            cell.clear();
        } else if (ch != '\r') {
            cell += ch;
        }
    }
    cells.push_back(cell);
    return cells;
}

TEST(BuiltinUnitSystems, FeynmanSystemGivesEveryVariableItsDimension) {
    const std::string path = std::string(KEPLER_SOURCE_DIR) + "/../shared/feynman/units.csv";
    std::ifstream in(path, std::ios::binary);
    if (!in) GTEST_SKIP() << path << " is not there";
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);

    const UnitSystem& s = system_named("feynman");
    std::istringstream lines(text);
    std::string line;
    ASSERT_TRUE(std::getline(lines, line));
    std::vector<std::string> header = split_csv_line(line);
    // Columns m, s, kg, T (kelvin), V; the feynman system's unit symbols in the same order.
    const std::vector<std::string> csv_columns{"m", "s", "kg", "T", "V"};
    const std::vector<std::string> unit_symbols{"m", "s", "kg", "K", "V"};
    std::vector<std::size_t> at;
    for (const std::string& column : csv_columns) {
        auto it = std::find(header.begin(), header.end(), column);
        ASSERT_NE(it, header.end()) << "no column " << column;
        at.push_back(static_cast<std::size_t>(it - header.begin()));
    }
    // Named units for some of the quantity descriptions, checked on the way.
    const std::map<std::string, std::string> named = {
        {"Charge", "C"},
        {"Current Intensity", "A"},
        {"Capacitance", "F"},
        {"Inductance", "H"},
        {"Resistance", "Ohm"},
        {"Magnetic field", "T"},
        {"Energy", "J"},
        {"Force", "N"},
        {"Power", "W"},
        {"Pressure", "Pa"},
        {"Electric field", "V/m"},
        {"Frequency", "Hz"},
        {"Voltage", "V"},
        {"Temperature", "K"},
        {"Mass", "kg"},
        {"Newton's constant", "m^3/(kg*s^2)"},
        {"Boltzmann constant", "J/K"},
        {"Electric permitivity", "F/m"},
        {"Vector potential", "T*m"},
    };

    std::size_t rows = 0, named_checked = 0;
    while (std::getline(lines, line)) {
        std::vector<std::string> cells = split_csv_line(line);
        bool empty = true;
        for (const auto& cell : cells) empty = empty && cell.empty();
        if (empty) continue;
        ASSERT_GT(cells.size(), at.back()) << line;
        const std::string& variable = cells[0];
        Dimension expected;
        std::string unit_text;
        for (std::size_t k = 0; k < at.size(); ++k) {
            int exponent = std::stoi(cells[at[k]]);
            expected.set_exponent(k, Rational(exponent));
            if (!unit_text.empty()) unit_text += '*';
            unit_text += unit_symbols[k] + "^" + std::to_string(exponent);
        }
        ScaledDimension u = parse_unit(unit_text, s);
        EXPECT_EQ(u.scale, 1.0) << variable << ": " << unit_text;
        EXPECT_EQ(u.dimension, expected) << variable << ": " << unit_text;
        for (std::size_t k = 0; k < at.size(); ++k)
            EXPECT_EQ(u.dimension.exponent(k), Rational(std::stoi(cells[at[k]]))) << variable << " base " << k;
        auto it = named.find(cells[1]);
        if (it != named.end()) {
            EXPECT_EQ(parse_unit(it->second, s).dimension, expected) << variable << " (" << cells[1] << ")";
            ++named_checked;
        }
        ++rows;
    }
    EXPECT_GE(rows, 100u);
    EXPECT_GE(named_checked, 20u);
}

}  // namespace
