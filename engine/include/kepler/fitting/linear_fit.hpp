// Scale and offset of a formula by linear least squares: t ~ a*f + b in closed form, then
// the simplest (a, b) that fits as well: a = 1 and b = 0 omitted, integers and small
// rationals p/q (q <= 12) preferred to arbitrary reals, because each costs fewer bits.
#pragma once

#include <span>
#include <vector>

#include "kepler/core/complexity.hpp"
#include "kepler/core/expression.hpp"

namespace kepler {

struct AffineFit {
    double scale = 1.0;   // a
    double offset = 0.0;  // b
    double sse = 0.0;     // sum of (t - a*f - b)^2
};

// Least squares t ~ a*f + b, computed on centred values (no cancellation for large means).
// A constant f gives a = 0, b = mean(t).
AffineFit fit_affine(std::span<const double> f, std::span<const double> t);
// Least squares t ~ a*f (b = 0).
AffineFit fit_scale(std::span<const double> f, std::span<const double> t);
double sum_squared_residuals(std::span<const double> f, std::span<const double> t, double a, double b);

// For each denominator q = 1..max_denominator the nearest p/q to v (in lowest terms, each
// value once), nearest first.
std::vector<double> simple_values_near(double v, int max_denominator = 12);

struct SnapOptions {
    int max_denominator = 12;
    // Rounding-level error relative to rms(t): differences below it do not count.
    double exact_floor = 1e-11;
    // False: b = 0 always (t has a dimension, so an offset would be a dimensional constant).
    bool allow_offset = true;
};

// The (a, b) of shortest two-part description: the bits of the constants as apply_affine
// writes them (priced by `model`) plus (n/2) log2 of the SSE relative to least squares (the
// Gaussian code length of the residuals; n = f.size()). So on exact data a constant is
// snapped only if the fit stays exact to rounding, and on noisy data when the change is
// within a few standard errors. Ties go to the option with fewer unsnapped constants.
AffineFit simplest_affine_fit(std::span<const double> f, std::span<const double> t, const ComplexityModel& model,
                              const SnapOptions& options = {});

// The constant model t ~ b (scale 0): the mean, or the simplest value near it, chosen alike.
AffineFit simplest_constant_fit(std::span<const double> t, const ComplexityModel& model,
                                const SnapOptions& options = {});

// a*f + b as a formula: a = 1 and b = 0 left out, a = -1 as negation (or b - f), a
// negative b as subtraction. Constants come first in products: 2*x, not x*2.
Expression apply_affine(const Expression& f, double a, double b);

}  // namespace kepler
