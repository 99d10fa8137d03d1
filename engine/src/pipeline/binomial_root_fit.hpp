// The binomial root quick fit over the dimensionless groups:
//     y = monomial * (k1*g^a + k2*g^b) / sqrt(1 + d*g^e),
// a sum of two terms over the square root of a binomial. The Lorentz transformation's laws are
// of this form, x' = (x - u*t)/sqrt(1 - u^2/c^2) and t' = (t - u*x/c^2)/sqrt(1 - u^2/c^2); the
// root fit (rational_fit.hpp) has a monomial on top, not a sum. At noise the enumeration stops
// with a look-alike of the Lorentz factor, (x - u*t)/cos(u/c), before it reaches the law.
//
// How: squared and multiplied out, y^2*(1 + d*g^e) = m^2*(A*g^(2a) + B*g^(a+b) + C*g^(2b)) is
// linear in A, B, C and d, so every choice of a, b and e is a least-squares problem of four
// columns, all scored on one Gram matrix (fitting/gram_subsets.hpp). Rows are weighed by 1/|y|:
// noise of one size on y is noise of size 2|y| on y^2, and unweighed the rows of large y chose
// a look-alike over the Lorentz law at 1 % noise. A choice whose linear fit is no square or
// has 1 + d*g^e negative on a row is not of the form. The linearised residual weighs each row
// by the choice's 1 + d*g^e, so it only shortlists: the 32 choices of least residual are each
// refitted and scored on y on 250 of the subsample's rows (at 10 % noise I.15.3x's law came
// 14th to 18th).
// A choice's linear coefficients give the start k1 = sqrt(A), k2 = B/(2*k1) of a
// Levenberg-Marquardt refit on y itself (B^2 = 4*A*C is not imposed on the linear fit).
#pragma once

#include <Eigen/Core>
#include <vector>

#include "kepler/pipeline/dimensional_plan.hpp"
#include "kepler/search/quick_fits.hpp"

namespace kepler::pipeline {

// The fits of this form, each finite on every row with 1 + d*g^e of one sign: of the choices
// shortlisted, the one of least RMSE on y refitted and the simplest within 1 % of it (at most
// four, group_terms.hpp's best_and_alike; on exact rows the
// one exact choice), each refitted; a, b and e
// within the groups' degree bound (group_terms.hpp), a != b, e != 0. None without a monomial,
// with no groups or more than three, when y is zero on a row, or when the monomial or a group
// is not finite and nonzero on every row. Var k of the formulas is column k of X.
std::vector<QuickFit> binomial_root_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X,
                                         const Eigen::VectorXd& y);

}  // namespace kepler::pipeline
