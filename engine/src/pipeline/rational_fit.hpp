// The rational quick fit over the dimensionless groups: y = k(g)/(1 + d(g)) times the target's
// monomial, where k has one or two terms and d one or two, each term a coefficient times a
// monomial of the groups (group_terms.hpp: degree at most 2, or one group's power up to 4 with
// at most two groups). Such laws are common and the
// searches build them slowly: Clausius-Mossotti's 1 + n*alpha/(1 - n*alpha/3), the relativistic
// sum of velocities (u + v)/(1 + u*v/c^2), a Doppler factor 1/(1 - v/c). At noise the
// enumeration stops at the noise floor with a look-alike of fewer nodes but fitted numbers
// (10/(pi - n*alpha) - 2.185), before it reaches the law.
//
// How: multiplied out, y*(1 + d(g)) = m*k(g) is linear in the coefficients, so every choice of
// terms is a linear least-squares problem (regressors m*g^e and -y*g^e). All choices are tried
// on a Gram matrix, as the polynomial quick fit does; the best of each shape is then refitted
// on y itself with Levenberg-Marquardt, because the regressors -y*g^e carry the target's noise
// and bias the linear coefficients. A denominator that changes sign on the rows (a pole inside
// the data) is refused: no law of the table has one.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "kepler/pipeline/dimensional_plan.hpp"
#include "kepler/search/quick_fits.hpp"

namespace kepler::pipeline {

// The best fit of each shape (numerator of 1 or 2 terms over 1 plus 1 or 2 terms, or two terms
// and no denominator: G*m1*m2*(1/r2 - 1/r1)) that improves on the smaller shapes, in order of
// increasing terms, up to the first exact one; none without a monomial, with no groups or
// more than three, or when the monomial or a group is not finite and nonzero on every row.
// Var k of the formulas is column k of X, as in the plan.
std::vector<QuickFit> rational_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

// The root quick fit: y = monomial * g^a * sqrt(R(g)) or monomial * g^a / sqrt(R(g)), R a
// fraction of the terms above, at most two on top and 1 plus at most one under them, or a sum
// of three terms; g^a a monomial of the groups within the same degree bound. The Lorentz
// factor's laws are of this form: m*c^2/sqrt(1 - v^2/c^2), omega_0*sqrt((1 + v/c)/(1 - v/c));
// so are a guide's wave number sqrt(omega^2/c^2 - pi^2/d^2) and a length sqrt(x^2 + y^2 + z^2). Each g^a and power is one linear fit of
// (y/(monomial*g^a))^(+-2) = R as above; the best of each shape on the subsample is refitted on
// y. Same order, stop and refusals as rational_fits; none when y/monomial changes sign.
std::vector<QuickFit> root_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

}  // namespace kepler::pipeline
