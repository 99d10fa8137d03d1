// When may a fitted constant be replaced by a simpler value? The one rule that snapping
// (pipeline/snap_by_evidence.hpp) and the shortening of decimals (pipeline/tidy_constants.hpp)
// use: a restricted model, in which q of the free constants are fixed (to 1, to 1/3, to a
// decimal of fewer digits, to a common value) and the others refitted, is taken when the data
// do not say it is worse by more than the q constants are worth.
//
// The rule (BIC with the residual variance known): with n rows, the full fit's residual RMS
// r_f, the restricted fit's r_r and a residual variance s^2,
//     cost = n (r_r^2 - r_f^2) / s^2        (the likelihood-ratio statistic, chi^2 with q
//                                            degrees of freedom when the restricted model is true)
//     accept when cost <= q ln(n),
// the Bayesian information criterion's price of q parameters (Schwarz 1978), equivalently a
// two-part MDL code: a fitted constant costs (1/2) log2(n) bits, the worse fit costs
// cost / (2 ln 2) bits. At n = 1000 a single constant may move by sqrt(ln 1000) = 2.6 of its
// standard errors: at 1 % noise a coefficient fitted as 1.0006 +- 0.0003 becomes 1, while a
// real 1.37 at 0.1 % noise (+- 0.00004) is 1700 standard errors from 4/3 and stays. Unlike a
// fixed significance level, the price grows with n, so large tables do not snap more and more
// rarely as the errors shrink.
//
// The residual variance s^2 (why each bound):
//  - the full fit's own, r_f^2 n / (n - p): the noise as this formula sees it;
//  - but at most the table's noise estimate (structure/noise_estimate.hpp, the nearest-
//    neighbour estimate discover() reports), when one is given: a formula that fits far worse
//    than the noise would otherwise see every change drowned in its own misfit and snap
//    anything ("snap freely"); against the noise, a change that costs more than the noise can
//    explain is refused. The estimate errs upwards (more inputs, oscillating laws), so it only
//    bites when the formula is clearly worse than the noise;
//  - and at least the exact-fit bound (fitting/exact_fit.hpp, 1e-12 rms(y)), so round-off of
//    an exact fit (1e-16) does not make every change infinitely significant.
// Exact data: a restricted model that is itself exact (r_r <= 1e-12 rms(y)) is always taken:
// at that level the data cannot tell the difference, which is how 0.333333333333 snaps to 1/3
// and 8.314000000000002 shortens to 8.314; data that say 8.314 refuse R = 8.314462618 (5.6e-5
// off, far above the bound and, on the floored variance, far above q ln n).
//
// Magnitudes: everything is in ratios of RMS values computed at any magnitude
// (fitting/magnitude.hpp), so tables near 1e-300 or 1e300 are judged as at 1.
//
// Nothing throws; a non-finite restricted RMSE is refused.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <limits>

namespace kepler {

class SnapEvidence {
public:
    // full_rmse: the full fit's residual RMS on `rows` rows with `free_constants` fitted
    // constants; target_rms: rms(y) on those rows; noise_sd: the table's noise estimate in y's
    // units (NaN or <= 0: none).
    SnapEvidence(double full_rmse, Eigen::Index rows, Eigen::Index free_constants, double target_rms,
                 double noise_sd = std::numeric_limits<double>::quiet_NaN());

    // n (r_r^2 - r_f^2) / s^2 (+inf for a non-finite restricted RMSE).
    double cost(double restricted_rmse) const;
    // The rule above for q constants removed (q <= 0: only an exact or not worse fit passes).
    bool accepts(double restricted_rmse, int constants_removed) const;
    // Whether a change predicted (to first order) to cost `predicted_cost` might pass for q
    // removed: a cheap pre-filter before a refit, generous by `factor` (a cost up to factor
    // times the allowance, or a predicted RMSE up to factor/2 times the exact-fit bound).
    // factor = 1: predicted to pass (as accepts(), within a factor 2 on the exact bound).
    bool plausible(double predicted_cost, int constants_removed, double factor = 4.0) const;

    // s, the residual standard deviation the rule uses.
    double residual_sd() const { return sd_; }
    double full_rmse() const { return full_; }
    Eigen::Index rows() const { return n_; }
    // The exact-fit bound on the RMSE.
    double exact_rmse() const { return exact_; }
    // q ln n.
    double allowance(int constants_removed) const;

private:
    double full_ = 0.0;
    double sd_ = 0.0;
    double exact_ = 0.0;
    Eigen::Index n_ = 0;
};

// sqrt(mean((a - b)^2)) at any magnitude, +inf when not finite.
double residual_rms(const Eigen::Ref<const Eigen::VectorXd>& a, const Eigen::Ref<const Eigen::VectorXd>& b);

}  // namespace kepler
