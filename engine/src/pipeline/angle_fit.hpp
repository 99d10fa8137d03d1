// The angle quick fit over the dimensionless groups:
//     y = monomial * (sum_i k_i*M_i + cos(theta)*N_1*l_1 [+ sin(theta)*N_2*l_2]),
// or y = monomial * sqrt(that sum), powers M_i, N_j of the other groups (exponents in halves,
// |e| summed at most 2) and one term (or a cosine and a sine term) in an angle theta: a group
// that is an input or a product of inputs (delta, k*d, omega*t), or the difference of two such
// (a phase difference theta1 - theta2). The root's shape is the law of cosines,
// sqrt(x1^2 + x2^2 - 2*x1*x2*cos(theta1 - theta2)) = x1*sqrt(1 + g^2 - 2*g*cos(theta1 - theta2)),
// which at 10 % noise the search missed on every seed (a 50-node look-alike); its sum is fitted
// to y^2 = monomial^2 * sum, where y is positive but where the noise changes its sign.
// Interference I = I1 + I2 + 2*sqrt(I1*I2)*cos(delta) is
// I1*(1 + g + 2*sqrt(g)*cos(delta)) in g = I2/I1: three terms, 13 nodes over the inputs,
// which the enumerations do not reach and the evolution found only near the time limit; on
// other samples it stopped at a look-alike, (I1 + I2)*(cos(delta) + 1). The other quick fits
// have integer powers of the groups and no function of one.
//
// How: every choice of terms is a linear least-squares problem in the k and l, scored on one
// Gram matrix (fitting/gram_subsets.hpp), simplest first; the best choice of each size is
// refitted on every row (Levenberg-Marquardt) and kept if it beats the smaller sizes.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "kepler/pipeline/dimensional_plan.hpp"
#include "kepler/search/quick_fits.hpp"

namespace kepler::pipeline {

// Per shape and angle, at most one fit per size (1 to 3 terms), each finite on every row and
// better than the smaller ones. None without a monomial, with no groups or more than three,
// with no group that is an angle, or when the monomial or a group is not finite and nonzero on
// every row; the root's shape only where the monomial is positive on every row. Var k of the
// formulas is column k of X.
std::vector<QuickFit> angle_fits(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

}  // namespace kepler::pipeline
