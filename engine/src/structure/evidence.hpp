// Internal to engine/structure: turns per-probe violations, their expected errors and the
// reference changes into a StructureEvidence (score, threshold, verdict, confidence).
#pragma once

#include <cstddef>
#include <vector>

#include "kepler/structure/structure_tests.hpp"

namespace kepler::structure_detail {

struct ProbeTally {
    std::vector<double> violation;  // zero when the structure holds
    std::vector<double> reference;  // the change the same moves make without the structure
    std::vector<double> error;      // expected error of the violation (for some or all probes)

    void add(double v, double r) {
        violation.push_back(v);
        reference.push_back(r);
    }
};

// Probe r's points are the rows blocks[p] * probes + r of P; its violation is
// sum_p weights[p] * value(point p). Sets tally.error to the exact expected error (posterior
// standard deviation) of the violation for the first options.error_probes of `used`.
void add_errors(const StructureModel& model, const Eigen::MatrixXd& P, Eigen::Index probes,
                const std::vector<Eigen::Index>& used, const std::vector<Eigen::Index>& blocks,
                const std::vector<double>& weights, bool log, ProbeTally& tally);

// score = RMS(violation) / RMS(reference), threshold = z RMS(error) / RMS(reference).
// Inconclusive with fewer than min_probes probes or when the reference change is itself within
// z errors (the moves do not change f measurably).
StructureEvidence weigh(const ProbeTally& tally, double z, std::size_t min_probes);

}  // namespace kepler::structure_detail
