// Special values: setting an input to 0 or 1 often removes a term or a factor (f at x = 0 of
// x*g + h is h). For each input whose data reach 0 or 1, the reduced table comes from the
// surrogate, and an input the reduced f no longer depends on (while f itself does) is reported
// as dropped. "Depends": the gradient across the input's probe range exceeds z times its
// expected error (the surrogate's posterior standard deviation of that gradient component).
#include <cmath>
#include <random>

#include "kepler/structure/structure_tests.hpp"

namespace kepler {

namespace {

constexpr double kReach = 0.02;

// For each input: RMS over the rows of P of the gradient times the input's probe range.
Eigen::VectorXd sensitivity(const StructureModel& model, const Eigen::MatrixXd& P) {
    const Eigen::MatrixXd G = model.surrogate().gradient(P);
    const Eigen::VectorXd width = model.upper() - model.lower();
    Eigen::VectorXd s(G.cols());
    for (Eigen::Index k = 0; k < G.cols(); ++k)
        s[k] = std::sqrt(G.col(k).squaredNorm() / static_cast<double>(G.rows())) * width[k];
    return s;
}

}  // namespace

std::vector<SpecialValueResult> special_values(const StructureModel& model, std::size_t rows) {
    std::vector<SpecialValueResult> results;
    const std::size_t n = model.inputs();
    const StructureOptions& options = model.options();
    std::mt19937_64 rng(options.seed * 0x9E3779B97F4A7C15ULL + 97);
    const Eigen::MatrixXd general = model.sample(options.probes, rng);
    const Eigen::VectorXd general_sensitivity = sensitivity(model, general);
    const Eigen::VectorXd width = model.upper() - model.lower();
    const Eigen::VectorXd error = model.gradient_error().cwiseProduct(width);

    for (std::size_t i = 0; i < n; ++i) {
        const auto column = static_cast<Eigen::Index>(i);
        for (double value : {0.0, 1.0}) {
            // "Reached": inside the data range, or within kReach of its width (sampled data
            // seldom contain the end point itself).
            const double margin = kReach * (model.data_max()[column] - model.data_min()[column]);
            if (!(model.data_min()[column] - margin <= value && value <= model.data_max()[column] + margin)) continue;
            SpecialValueResult r;
            r.input = i;
            r.value = value;
            Eigen::MatrixXd P = model.sample(rows, rng);
            P.col(column).setConstant(value);
            r.y = model.predict(P);
            const Eigen::VectorXd reduced_sensitivity = sensitivity(model, P);
            r.X.resize(P.rows(), static_cast<Eigen::Index>(n - 1));
            r.constant = true;
            for (std::size_t k = 0; k < n; ++k) {
                if (k == i) continue;
                const auto c = static_cast<Eigen::Index>(k);
                r.X.col(static_cast<Eigen::Index>(r.remaining.size())) = P.col(c);
                r.remaining.push_back(k);
                const double threshold = options.z * error[c];
                const bool depends_here = reduced_sensitivity[c] > threshold;
                if (depends_here) r.constant = false;
                if (!depends_here && general_sensitivity[c] > threshold) r.dropped.push_back(k);
            }
            results.push_back(std::move(r));
        }
    }
    return results;
}

}  // namespace kepler
