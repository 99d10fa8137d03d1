// After the constants are polished, a physicist writes x1*y1 + x2*y2, not
// 1.0006*x1*y1 + 0.9988*x2*y2, and 1/(1/(n*alpha) - 1/3), not ... - 0.333333333333: a fitted
// constant whose simple value the data cannot tell from the fit is that value. This step
// replaces constants by simple values (simple_values.hpp: integers, p/q with q <= 12, forms of
// pi), and groups of them at once (every coefficient of a sum +-1; every coefficient of a sum
// one common refitted value), whenever the snapping rule (fitting/snap_evidence.hpp) accepts the
// restricted model with the remaining free constants refitted.
//
// How: the free constants (fitting/constant_uncertainty.hpp) and their standard errors at the
// fit; for each, the simple values within reach (about 2 sqrt(ln n) standard errors, or what
// an exact fit allows), each cheaper in bits (ComplexityModel) than the constant stated to its
// precision, 2 + log2(1 + |c| / se) bits (a constant known to 3 digits is not "simpler" as
// 27/(2*pi^2), 28 bits), or a plain value (p/q times a power of pi, |p|, q <= 4) at most 8
// bits above it (0.158 known to 1 part in 175, 9.5 bits, is 1/(2*pi), 17 bits); and the groups
// of each sum. They are tried greedily, the largest saving in
// complexity bits first (then the smallest predicted cost): a move is kept when the rule
// accepts it, judged on the substituted values first and, when that fails, after refitting the
// constants still free by Levenberg–Marquardt (fit_constants); after each accepted move the
// list is made again from the new fit. A constant for which two simple values of different
// value are both predicted to pass, within 8 bits of each other, is ambiguous and left alone
// (the data cannot tell 3/2 from 1 and 2). The rule counts every constant removed so far, so
// the restricted model is always compared with the full fit.
//
// Rows: those polish_constants fits on (at most kPolishRows). A formula that already has
// Param nodes is returned unchanged. Deterministic for a seed; nothing throws beyond
// std::invalid_argument for y and X of different row counts.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <limits>

#include "kepler/core/complexity.hpp"
#include "kepler/core/expression.hpp"

namespace kepler {

struct SnapByEvidenceOptions {
    // The table's noise estimate in y's units (DiscoveryResult::noise_estimate); NaN: none.
    double noise_sd = std::numeric_limits<double>::quiet_NaN();
    std::uint64_t seed = 1;
    int max_denominator = 12;
    // Levenberg–Marquardt refits at most, all moves together (each costs one fit).
    int max_refits = 40;
};

// `e` with snapped constants (not simplified: a coefficient 1 leaves 1*x).
Expression snap_by_evidence(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                            const Eigen::Ref<const Eigen::VectorXd>& y, const ComplexityModel& model,
                            const SnapByEvidenceOptions& options = {});

}  // namespace kepler
