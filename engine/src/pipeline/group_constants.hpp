// Which constants of the unit system the law's dimensionless groups need (private to the
// pipeline; discover() brings them in as constant columns: constant_columns.hpp).
//
// Why: the dimensional plan brings a constant in only to complete the target's dimension
// (completing_constants.hpp). But a law can need a constant where two inputs meet: Planck's
// and Bose's laws hold omega and T only in hbar*omega/(k_B*T), the Lorentz factor holds v only
// in v/c. Without the constant no dimensionless group holds them, and a typed search cannot
// write the law at all (a number inside sqrt(1 - 1.1e-17*v^2) would have to carry s^2/m^2).
// Buckingham Pi cannot say which constant is missing, or whether one is: a law may depend on
// its inputs only through their groups, as every law does whose constants are all columns.
// The data can: the law is y = monomial * f(groups), so r = y/monomial is a function of the
// groups when they are complete, and is not when a group is missing.
//
// The test: sigma(r | groups), the noise left around a smooth function of the groups
// (structure/noise_estimate.hpp, groups as log|g| when of one sign; around a constant, read as a
// median like the estimate, when there are none; the inputs' own groups with log|monomial| as one
// more feature where the inputs leave room, since r's noise is y's over the monomial:
// with_monomial), against sigma(r | inputs), the same estimate
// over the inputs themselves, which any law of the inputs passes. The groups explain r when the
// first is at most kExplained times the second (or below kResolution of sd(r), where a
// noise-free table's local fits are exact enough to tell nothing). When the inputs' own groups
// (over the plan's monomial, or over each completing constant's) do not explain r, the sets of
// one constant, then of two, that add a group are tried, and the set that explains r best is
// chosen; none when no set explains it (a dimensional constant of the law's own, such as a
// piston's offset x0, is then fitted as before).
//
// A pair whose monomial of the target's dimension holds both constants is tried as well, even
// when it adds no group (eps0 and c in Larmor's q^2*a^2/(6*pi*eps0*c^3); hbar and eps0 in the
// Bohr radius, where mu0*q^2/m alone has the unit but not the law), but when the monomial
// alone is the law, only with a simple number in front (p/q or (p/q)*pi^a,
// pipeline/simple_values.hpp, within three standard errors): a product of two constants
// completes many a law's own constant (mu0*c is an impedance, so a resistor's U = 2.5*I would
// read as 0.00664*mu0*c*I).
//
// What a set may be: no constant whose symbol is a column's (the name is the column's), no
// dimensionless constant, and for two constants none whose product is dimensionless (h and
// hbar) or makes a group with one input (c^2/(g_n*x) is a length scale, not physics the data
// could show: any function of x alone would pass). Fewer constants win, a constant that
// completes the target's dimension counted; sets that explain r equally well (both at most as
// unexplained as the inputs themselves, or within kTie) are told apart by fewer groups, then by
// the monomial that writes the constants most plainly (mu0*q^2*a^2/c before
// q^2*a^2/(eps0*c^3)), then by the table's order, the later winning: the tables list the
// reduced constant after the plain one (hbar after h), and laws in an angular frequency, the
// usual variable, write hbar without 2*pi.
//
// Cost: two noise estimates per set read (on at most kMaxRows rows, ~10 ms each); a system of
// 16 constants has 136 pairs, most of which add nothing and are skipped unread. The pipeline
// subtracts the time from the run's limit.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kepler/units/dimension.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler::pipeline {

struct GroupConstants {
    std::vector<const PhysicalConstant*> constants;  // in the system's table order
    // sigma(r | groups) / sigma(r | inputs), without the constants and with them.
    double unexplained_before = 0.0;
    double unexplained_after = 0.0;
};

// X: rows x inputs and y in the system's coherent units; inputs: their dimensions;
// column_names: every column of the table (constants of those names are not brought in).
// Nothing when the inputs' groups explain the target, when no set of constants does, or when
// there are too few rows (under 24) to tell.
std::optional<GroupConstants> constants_for_groups(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                                   std::span<const Dimension> inputs, const Dimension& target,
                                                   const UnitSystem& system, std::span<const std::string> column_names,
                                                   std::uint64_t seed);

}  // namespace kepler::pipeline
