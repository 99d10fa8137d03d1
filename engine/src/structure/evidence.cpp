#include "evidence.hpp"

#include <algorithm>
#include <cmath>

namespace kepler::structure_detail {

namespace {

double rms(const std::vector<double>& v) {
    if (v.empty()) return 0.0;
    double s = 0.0;
    for (double x : v) s += x * x;
    return std::sqrt(s / static_cast<double>(v.size()));
}

}  // namespace

void add_errors(const StructureModel& model, const Eigen::MatrixXd& P, Eigen::Index probes,
                const std::vector<Eigen::Index>& used, const std::vector<Eigen::Index>& blocks,
                const std::vector<double>& weights, bool log, ProbeTally& tally) {
    const Eigen::Index count = static_cast<Eigen::Index>(std::min(used.size(), model.options().error_probes));
    const Eigen::Index terms = static_cast<Eigen::Index>(blocks.size());
    Eigen::MatrixXi index(count, terms);
    Eigen::MatrixXd weight(count, terms);
    for (Eigen::Index g = 0; g < count; ++g)
        for (Eigen::Index p = 0; p < terms; ++p) {
            index(g, p) =
                static_cast<int>(blocks[static_cast<std::size_t>(p)] * probes + used[static_cast<std::size_t>(g)]);
            weight(g, p) = weights[static_cast<std::size_t>(p)];
        }
    const Eigen::VectorXd error = model.combination_error(P, index, weight, log);
    tally.error.assign(error.data(), error.data() + error.size());
}

StructureEvidence weigh(const ProbeTally& tally, double z, std::size_t min_probes) {
    StructureEvidence e;
    e.probes = tally.violation.size();
    const double violation = rms(tally.violation), error = rms(tally.error), reference = rms(tally.reference);
    if (reference > 0) {
        e.score = violation / reference;
        e.threshold = z * error / reference;
    }
    if (e.probes < std::max<std::size_t>(min_probes, 1) || !(reference > z * error)) return e;
    e.verdict = e.score <= e.threshold ? StructureVerdict::holds : StructureVerdict::fails;
    const double ratio = e.threshold > 0 ? e.score / e.threshold : (e.score > 0 ? INFINITY : 0.0);
    e.confidence = ratio > 0 && std::isfinite(ratio) ? 1.0 - std::min(ratio, 1.0 / ratio) : 1.0;
    return e;
}

}  // namespace kepler::structure_detail
