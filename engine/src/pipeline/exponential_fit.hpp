// The exponential quick fit over the dimensionless groups: y = k * monomial * g^a / (exp(b*z) + s)
// with z = g^e a monomial of the groups and s one of three statistics' constants:
//   s = -1, Bose-Einstein's and Planck's 1/(exp(hbar*omega/(k_B*T)) - 1);
//   s = +1, Fermi-Dirac's 1/(exp((E - mu)/(k_B*T)) + 1);
//   s =  0, Boltzmann's exp(-E/(k_B*T)) (written k * monomial * g^a * exp(-b*z));
// and a level pair's exp(b*z) + exp(-b*z) in place of exp(b*z) + s: a spin 1/2 in a field,
// n_0/(exp(mu*B/(k_B*T)) + exp(-mu*B/(k_B*T))); and the pair's polarisation, the difference of
// its populations over their sum, y = k * monomial * g^a * tanh(b*z): a paramagnet's
// n*mu*tanh(mu*B/(k_B*T)), which the search (no tanh among its operators) writes in 22 nodes.
// At noise the enumeration stops at the noise floor with a shorter look-alike of these before it
// reaches the law: k_B*T*exp(-0.082*h*omega/(k_B*T)) or 2*pi*k_B*T/(h*omega) - 0.5 for the
// mean energy of an oscillator, a Rayleigh-Jeans-like polynomial for Planck's radiance.
//
// How: for fixed a, e, s and b the law is linear in k, so each is one scalar least squares on
// the subsample; b, the one nonlinear constant, is found by a grid over |b| in 1e-3..1e3 (both
// signs) refined by golden-section search on log|b|. The best a and e of each s is then refitted
// on y itself by Levenberg-Marquardt. A denominator that changes sign on the rows (a pole inside
// the data, Bose's with b*z of both signs) is refused.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "kepler/pipeline/dimensional_plan.hpp"
#include "kepler/search/quick_fits.hpp"

namespace kepler::pipeline {

// One fit for each factor (Boltzmann, Bose, Fermi, level pair, polarisation) whose best is finite on every
// row; a of degree at most 2 (1 with three groups), e any monomial of group_terms.hpp but 1, or
// the square of a product or ratio of two groups (a Gaussian's argument, (theta/sigma)^2), or
// the square of the difference of two groups that are inputs over another's square
// (((theta - theta1)/sigma)^2).
// None without a monomial, with no groups or more than three, or when the monomial or a group
// is not finite and nonzero on every row. Var k of the formulas is column k of X.
std::vector<QuickFit> exponential_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

}  // namespace kepler::pipeline
