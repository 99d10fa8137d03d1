// Functions the rows do not support, a check of discover()'s pick (discover_finish.cpp).
//
// A formula claims each of its functions: cos(v/c) says the law has a cosine. Where the
// function's argument stays in a stretch on which a quadratic in it matches the function to
// within what the noise can show, the rows are no evidence for that function: any curve as
// smooth would do. At 10 % noise v/c in 0.1-0.67 gives m_0/cos(v/c) (6 nodes) for the
// Lorentz factor m_0/sqrt(1 - v^2/c^2), which fits better but is longer; the brief's "sin(z)
// standing in for z". The pick then passes over such a stand-in when the front has a member
// without one.
//
// The test: each transcendental function f(z) (exp, log, trigonometric and their inverses,
// tanh) is replaced by the quadratic p(z) that fits it best over the rows (least squares), and,
// where z keeps one sign, by the quadratic in 1/z too (exp(-c/v) with c/v in 1.5-10 is one in
// v/c, and m_0/(1 - exp(-c/v)) a look-alike of the Lorentz factor), and the formula's
// predictions compared. If the sum over rows of their squared change is below
// kStandInChiSquare noise variances, the data cannot tell f from p, and f stands in. At noise 0
// the noise is rounding, and every function the formula fits with is supported. A function of
// a constant (its argument the same on every row) is a number, not a stand-in. Algebraic
// operations (roots, powers) are what the quadratic stands for, and are not tested. The pick
// passes over a stand-in only for a member that does not claim the same function of the same
// inputs (claims_same_function).
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler::pipeline {

// Changes in the predictions summed over rows, in noise variances, below which a function is
// a stand-in: about a two-sigma change of the fit's chi-square.
inline constexpr double kStandInChiSquare = 4.0;

// A function that stands in: printed with the table's inputs ("cos(v/c)"), its operator, and
// which inputs its argument uses (per column of X).
struct StandIn {
    std::string printed;
    Op op = Op::Exp;
    std::vector<bool> inputs;
};

// The first function of `e` that stands in on the rows X (column k is Var k) at noise standard
// deviation `noise_sd`; none when every function is supported, or when noise_sd is not positive
// and finite.
std::optional<StandIn> stand_in_function(const Expression& e, const Eigen::MatrixXd& X, double noise_sd,
                                         const std::vector<std::string>& inputs);

// Whether `e` has a function of the stand-in's operator whose argument uses the same inputs: it
// claims what the stand-in claims. Passing over a Gaussian, exp(-(theta - theta1)^2/(2*sigma^2))
// over a stretch where a quadratic matches it, for a Fermi-Dirac look-alike in
// exp(pi*(theta - theta1)^2/(4*sigma^2)), whose exponential escapes the test by a little, takes
// no claim back: the data say no more for one than for the other, and the pick decides.
bool claims_same_function(const Expression& e, const StandIn& stand_in);

}  // namespace kepler::pipeline
