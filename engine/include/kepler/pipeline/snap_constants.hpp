// Constants that are really pi or a physical constant: after tidy_constants, a fitted
// 0.079577471546 is 1/(4*pi) and 6.283185307179586 is 2*pi. Each real constant is replaced by
// the simplest closed form that fits the data as well, so that after simplify() the law reads
// q1*q2/(4*pi*epsilon*r^2) and 2*pi*sqrt(L/g).
//
// The closed forms tried for a constant c:
//  - k*pi, k*pi^2, k/pi, k/pi^2 with k an integer or a simple rational p/q (q <= 12), written
//    as a subtree (2*pi, 1/(4*pi), 4*pi^2/3) whose pi stays symbolic;
//  - if `physical_constants` is given: k*pi^a*C^b for a constant C of the unit system (its
//    value in coherent units), a in -2..2, b in {+-1/2, +-1, +-3/2, +-2} and k as above (R,
//    1/(4*pi*eps0), hbar/2, 2*pi/sqrt(g_n), 1/c^2); with a = 0 and b = +-1, k may also be a
//    short decimal of at most 3 significant digits between 0.001 and 1000 (0.05*R: an amount
//    of 0.05 mol the table does not log). Dimensionless constants (alpha) take b = +-1 and
//    simple rationals only. In SnapResult::expression the replacement is one number, the
//    closed form's exact value; in SnapResult::named it is a subtree in which C is the
//    variable first_constant_variable + j (j its index in physical_constants), so the
//    printers write its symbol; SnappedConstant gives the form's text and structure. Only
//    pass the constants when the formula and X, y are in coherent units: in other units a
//    constant's number includes unit scales and would be snapped wrongly or not at all.
//
// Acceptance: the snapping rule of snap_by_evidence and tidy_constants (fitting/snap_evidence.hpp,
// BIC with the residual variance known): with the replacement (the other constants not
// refitted) the cost n*(r_form^2 - r^2)/s^2 is at most ln n, s the fit's residual spread, at
// most the table's noise estimate (noise_sd) and at least the exact-fit bound. On exact data a
// form is taken only when it agrees to about 1e-12 relative; on noisy data when it lies within
// about sqrt(ln n) standard errors of the fitted value (so 2*pi for a pendulum's 6.2822 at 1 %
// noise, and never R = 8.314462618 for data that say 8.314 exactly). Among the forms that pass, the one of fewest bits
// is taken (ComplexityModel::bits of the subtree; a physical constant is priced like the symbol pi). A pi form is only
// tried if it is cheaper than the real constant it replaces (kRealConstantBits); a physical form, which stays one real
// number in the formula, if it costs at most 8 bits more. If another form of a different value passes too and costs
// less than 8 bits more than the cheapest (a formula that hardly fits: its RMSE does not tell 46/pi from 14*pi/3), the
// data cannot identify the form and the constant is left as it is; a form that is 8 bits cheaper is 256 times as likely
// a priori and is taken (noisy pi beats 31/pi^2 = 3.14098). k = p/q has |p| <= 1000 (12 in a physical form) and q <=
// max_denominator. Constants that are already integers or simple rationals are left alone; forms further than 0.2% from
// c are not tried. An exponent (a power's right operand) is left alone too: x^(21/pi) is no law's form, and with a
// dimensioned base a pi form leaves units behind.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "kepler/core/complexity.hpp"
#include "kepler/core/expression.hpp"
#include "kepler/units/rational.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler {

struct SnapConstantsOptions {
    // The table's noise estimate in y's units (NaN: none), for the acceptance rule (SnapEvidence).
    double noise_sd = std::numeric_limits<double>::quiet_NaN();
    int max_denominator = 12;
    // Constants of the unit system to try; empty = pi forms only. See above: coherent units only.
    std::span<const PhysicalConstant> physical_constants;
    // Variable index of physical_constants[0] in SnapResult::named (the others follow); the
    // caller's name list for printing the named form is then the inputs, then the symbols.
    std::uint16_t first_constant_variable = 0;
    // When given, a physical form is tried only if this accepts SnapResult::named with the form
    // in place (the caller's dimension check: a named form must be dimensionally consistent).
    std::function<bool(const Expression& named)> admissible;
};

struct SnappedConstant {
    double original = 0.0;  // the constant as it was
    double value = 0.0;     // the closed form's value
    std::string form;       // "2*pi", "1/(4*pi)", "R", "1/(4*pi*eps0)"
    bool physical = false;  // a constant of the unit system is part of the form
    // A physical form's structure: value = k * pi^pi_power * C^power, C =
    // physical_constants[constant].
    double k = 1.0;
    int pi_power = 0;
    std::size_t constant = 0;
    Rational power{1};
};

struct SnapResult {
    Expression expression;                 // `e` with the snapped constants replaced (not simplified)
    Expression named;                      // the same with each physical constant a variable (see above)
    std::vector<SnappedConstant> snapped;  // in the order of the constants in `e`
};

// X: rows x variables (Var k is column k), y: the target; `model` prices the forms.
SnapResult snap_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                          const Eigen::Ref<const Eigen::VectorXd>& y, const ComplexityModel& model,
                          const SnapConstantsOptions& options = {});

}  // namespace kepler
