// The table seen through its surrogate: which scale is modelled (y or log|y|), where probes
// may go, and how large one prediction's error is expected to be.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "kepler/structure/structure_tests.hpp"

namespace kepler {

namespace {

// Points at which the surrogate's uncertainty is averaged (each costs O(rows^2)).
constexpr std::size_t kErrorProbes = 100;
constexpr std::size_t kGradientErrorProbes = 30;  // each costs O(inputs rows^2)

double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double position = q * static_cast<double>(v.size() - 1);
    const std::size_t below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, v.size() - 1);
    return v[below] + (position - static_cast<double>(below)) * (v[above] - v[below]);
}

}  // namespace

const char* to_string(StructureVerdict verdict) noexcept {
    switch (verdict) {
        case StructureVerdict::holds:
            return "holds";
        case StructureVerdict::fails:
            return "fails";
        case StructureVerdict::inconclusive:
            return "inconclusive";
    }
    return "?";
}

StructureModel StructureModel::fit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                   const StructureOptions& options) {
    if (X.rows() != y.size())
        throw std::invalid_argument("StructureModel::fit: X has a different number of rows than y");
    if (!y.allFinite()) throw std::invalid_argument("StructureModel::fit: y must be finite");
    // A target of one sign spanning decades is modelled as log|y|: a smooth model of y would
    // spend its accuracy on the largest values.
    bool log_target = false;
    double sign = 1.0;
    if (y.size() > 0) {
        const double lo = y.minCoeff(), hi = y.maxCoeff();
        if (lo > 0 || hi < 0) {
            // The range between the 5% and 95% quantiles of |y|: a few values near zero (a
            // factor x that reaches 0) do not make log|y| a good scale, decades in the bulk do.
            const Eigen::VectorXd magnitude = y.cwiseAbs();
            const std::vector<double> values(magnitude.data(), magnitude.data() + magnitude.size());
            log_target = quantile(values, 0.95) > options.log_range * quantile(values, 0.05);
            sign = hi < 0 ? -1.0 : 1.0;
        }
    }
    const Eigen::VectorXd modelled = log_target ? Eigen::VectorXd(y.array().abs().log()) : y;
    StructureModel model(Surrogate::fit(X, modelled, options.surrogate), options);
    model.log_target_ = log_target;
    model.sign_ = sign;

    const Eigen::Index d = X.cols();
    model.lower_.resize(d);
    model.upper_.resize(d);
    model.data_min_ = X.colwise().minCoeff().transpose();
    model.data_max_ = X.colwise().maxCoeff().transpose();
    const double q = std::clamp(options.box_quantile, 0.0, 0.49);
    for (Eigen::Index k = 0; k < d; ++k) {
        const std::vector<double> column(X.col(k).data(), X.col(k).data() + X.rows());
        model.lower_[k] = quantile(column, q);
        model.upper_[k] = quantile(column, 1.0 - q);
    }

    // The expected error of a prediction in the probe box: the model's posterior standard
    // deviation, RMS over random probe points. It tracks the actual error of the surrogate (the
    // validation error minus the noise) without the noise of that difference.
    std::mt19937_64 rng(options.seed * 0x9E3779B97F4A7C15ULL + 3);
    const Eigen::VectorXd sd = model.surrogate_.predictive_sd(model.sample(kErrorProbes, rng));
    model.prediction_error_ = std::sqrt(sd.squaredNorm() / static_cast<double>(sd.size()));
    const Eigen::MatrixXd gradient_sd = model.surrogate_.gradient_sd(model.sample(kGradientErrorProbes, rng));
    model.gradient_error_ =
        (gradient_sd.colwise().squaredNorm() / static_cast<double>(gradient_sd.rows())).cwiseSqrt().transpose();
    return model;
}

Eigen::VectorXd StructureModel::predict(const Eigen::MatrixXd& P) const {
    const Eigen::VectorXd raw = surrogate_.predict(P);
    return log_target_ ? Eigen::VectorXd(sign_ * raw.array().exp()) : raw;
}

void StructureModel::values(const Eigen::MatrixXd& P, bool log, Eigen::VectorXd& value, Eigen::VectorXd& slope) const {
    const Eigen::VectorXd raw = surrogate_.predict(P);
    if (log == log_target_) {
        value = raw;
        slope = Eigen::VectorXd::Ones(raw.size());
    } else if (log_target_) {  // y = s e^m
        value = sign_ * raw.array().exp();
        slope = value;
    } else {  // log|m|
        value = raw.array().abs().log();
        slope = raw.cwiseInverse();
    }
}

Eigen::VectorXd StructureModel::combination_error(const Eigen::MatrixXd& P, const Eigen::MatrixXi& index,
                                                  const Eigen::MatrixXd& weight, bool log) const {
    // Only the rows the combinations use, each weight times the slope of its value.
    Eigen::MatrixXd rows(index.size(), P.cols());
    Eigen::MatrixXi local(index.rows(), index.cols());
    for (Eigen::Index g = 0; g < index.rows(); ++g)
        for (Eigen::Index p = 0; p < index.cols(); ++p) {
            local(g, p) = static_cast<int>(g * index.cols() + p);
            rows.row(local(g, p)) = P.row(index(g, p));
        }
    Eigen::VectorXd value, slope;
    values(rows, log, value, slope);
    Eigen::MatrixXd scaled(weight.rows(), weight.cols());
    for (Eigen::Index g = 0; g < weight.rows(); ++g)
        for (Eigen::Index p = 0; p < weight.cols(); ++p) scaled(g, p) = weight(g, p) * slope[local(g, p)];
    return surrogate_.combination_sd(rows, local, scaled);
}

Eigen::MatrixXd StructureModel::sample(std::size_t count, std::mt19937_64& rng) const {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    Eigen::MatrixXd P(static_cast<Eigen::Index>(count), lower_.size());
    for (Eigen::Index r = 0; r < P.rows(); ++r)
        for (Eigen::Index k = 0; k < P.cols(); ++k) P(r, k) = lower_[k] + unit(rng) * (upper_[k] - lower_[k]);
    return P;
}

}  // namespace kepler
