// How well predicted values match observed ones: the scores every report shows.
#pragma once

#include <Eigen/Core>

namespace kepler {

struct FitMetrics {
    double rmse = 0.0;
    double r2 = 0.0;                  // 1 - SSE/SST; 1 for a perfect fit
    double max_relative_error = 0.0;  // max |pred - obs| / max(|obs|, tiny)
    std::size_t non_finite = 0;       // rows where the prediction is NaN or infinite
};

// Rows where `predicted` is not finite make rmse and max_relative_error infinite and r2 -inf.
FitMetrics fit_metrics(const Eigen::Ref<const Eigen::VectorXd>& observed,
                       const Eigen::Ref<const Eigen::VectorXd>& predicted);

}  // namespace kepler
