// Is a found formula the law's form up to its constants? The judge's check behind `exact`
// at noise > 0.
//
// With noise the judge's tolerance is loose (3e-3 at noise 0.01), and a formula of another
// form can stay within it on the whole fresh range: sqrt(0.5*sin(1/(pi*exp(theta^2)))) for
// exp(-theta^2/2)/sqrt(2*pi) (sin z ~ z for small z), (x - u*t)/cos(u/c) for the Lorentz
// factor (x - u*t)/sqrt(1 - u^2/c^2) (cos a ~ sqrt(1 - a^2) for small a). The constants of the
// law's form, by contrast, are what the noise moves. So every number of the found formula
// becomes a parameter (a Param node with the number as its start value; pi stays pi) and is
// refitted, with Levenberg–Marquardt (kepler/fitting/constant_fitting.hpp) and then a few
// Gauss-Newton steps, to the noise-free values of the truth at fresh points; the refitted
// formula must then match the truth to a relative kFormTolerance = 1e-6 at every fresh point
// (the judge's relative error, with its floor near zeros of the truth). Integers stay as they
// are: noise does not land on an integer, so an integer as printed is structure (the 2 of x^2),
// and an exponent moved off an integer would make a negative base undefined. A formula with no
// other number is compared as it is. 1e-6 because the refit of the right form reaches the
// truth to round-off (a zero-residual problem, where Gauss-Newton converges quadratically),
// while a wrong form keeps a shape error of the size that made it a look-alike under the
// noise (here 1e-4 to 1e-2).
#pragma once

#include <Eigen/Core>
#include <cstddef>

#include "kepler/core/expression.hpp"

namespace kepler {

inline constexpr double kFormTolerance = 1e-6;

struct FormCheck {
    bool matches = false;
    // max |f - t| / max(|t|, floor) of the refitted formula over the points; +inf where it is
    // not finite somewhere the truth is.
    double max_relative_error = 0.0;
    Expression refitted;  // the found formula with its refitted numbers (Const nodes)
};

// `found` with every Const that is not an integer turned into a Param (slots in node order
// after the existing ones; Param nodes stay parameters).
Expression numbers_to_parameters(const Expression& found);

// Refits the numbers of `found` on up to `fit_points` of the `points` (the first rows where
// `found` is finite) to `truth_values`, then compares on all points. `floor` is the judge's
// relative-error floor (1e-6 * median|t|). Throws std::invalid_argument if the sizes disagree.
FormCheck check_form(const Expression& found, const Eigen::Ref<const Eigen::MatrixXd>& points,
                     const Eigen::Ref<const Eigen::VectorXd>& truth_values, double floor, std::size_t fit_points = 500);

}  // namespace kepler
