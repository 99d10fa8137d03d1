#include "kepler/fitting/snap_evidence.hpp"

#include <algorithm>

#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/magnitude.hpp"

namespace kepler {

SnapEvidence::SnapEvidence(double full_rmse, Eigen::Index rows, Eigen::Index free_constants, double target_rms,
                           double noise_sd)
    : full_(full_rmse), exact_(exact_rmse_bound(target_rms)), n_(rows) {
    const Eigen::Index dof = std::max<Eigen::Index>(1, rows - free_constants);
    double s = full_rmse * std::sqrt(static_cast<double>(std::max<Eigen::Index>(rows, 1)) / static_cast<double>(dof));
    if (std::isfinite(noise_sd) && noise_sd > 0.0) s = std::min(s, noise_sd);
    if (!(s >= exact_)) s = exact_;  // also for a NaN full RMSE
    sd_ = s;
}

double SnapEvidence::allowance(int constants_removed) const {
    if (constants_removed <= 0 || n_ <= 1) return 0.0;
    return constants_removed * std::log(static_cast<double>(n_));
}

double SnapEvidence::cost(double restricted_rmse) const {
    if (!std::isfinite(restricted_rmse)) return std::numeric_limits<double>::infinity();
    if (!(sd_ > 0.0)) return restricted_rmse > full_ ? std::numeric_limits<double>::infinity() : 0.0;
    const double a = restricted_rmse / sd_, b = full_ / sd_;
    return static_cast<double>(n_) * (a - b) * (a + b);
}

bool SnapEvidence::accepts(double restricted_rmse, int constants_removed) const {
    if (!std::isfinite(restricted_rmse)) return false;
    if (restricted_rmse <= exact_) return true;
    return cost(restricted_rmse) <= allowance(constants_removed);
}

bool SnapEvidence::plausible(double predicted_cost, int constants_removed, double factor) const {
    if (!(predicted_cost >= 0.0)) return predicted_cost < 0.0;  // NaN: not plausible
    if (predicted_cost <= factor * allowance(constants_removed)) return true;
    // The RMSE the change is predicted to leave: within factor/2 of the exact bound, an exact fit may pass.
    if (!(sd_ > 0.0) || n_ <= 0) return false;
    const double f = full_ / sd_;
    const double predicted = sd_ * std::sqrt(f * f + predicted_cost / static_cast<double>(n_));
    return predicted <= 0.5 * factor * exact_;
}

double residual_rms(const Eigen::Ref<const Eigen::VectorXd>& a, const Eigen::Ref<const Eigen::VectorXd>& b) {
    const double r = rms_at_any_magnitude((a - b).array());
    return std::isfinite(r) ? r : std::numeric_limits<double>::infinity();
}

}  // namespace kepler
