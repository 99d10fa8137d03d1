// Separability: f = g(x_S) + h(x_rest) (additive) or f = g(x_S) * h(x_rest) (multiplicative:
// additive in log|f|). The quadruple identity f(a,b) + f(a',b') = f(a,b') + f(a',b) holds for
// every a, a' (values of x_S) and b, b' (values of the rest) exactly when f separates.
//
// Search: for a smooth f on a box, f separates over S | rest exactly when no pair (i in S,
// j in rest) has a mixed partial derivative. So one mixed difference per pair and probe gives
// the graph of interacting inputs, and its connected components are the finest split: n(n-1)/2
// pair tests instead of 2^(n-1) partitions. Without a split, the Fiedler cut of the graph
// (weights: interaction strength) is the nearest candidate, reported as failing.
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

#include "evidence.hpp"
#include "kepler/structure/structure_tests.hpp"

namespace kepler {

namespace {

bool log_scale(Separation separation) { return separation == Separation::multiplicative; }

// Four rows per probe: (a,b), (a',b'), (a,b'), (a',b), where `swapped` marks the inputs of a.
void quadruple_tally(const StructureModel& model, Separation separation, const std::vector<bool>& swapped,
                     const Eigen::MatrixXd& base, const Eigen::MatrixXd& other, structure_detail::ProbeTally& tally) {
    const Eigen::Index probes = base.rows();
    Eigen::MatrixXd P(4 * probes, base.cols());
    P.topRows(probes) = base;
    P.middleRows(probes, probes) = base;
    P.middleRows(2 * probes, probes) = base;
    P.bottomRows(probes) = base;
    for (Eigen::Index k = 0; k < base.cols(); ++k) {
        if (swapped[static_cast<std::size_t>(k)]) {
            P.col(k).segment(probes, probes) = other.col(k);      // (a', b')
            P.col(k).segment(3 * probes, probes) = other.col(k);  // (a', b)
        } else {
            P.col(k).segment(probes, probes) = other.col(k);      // (a', b')
            P.col(k).segment(2 * probes, probes) = other.col(k);  // (a, b')
        }
    }
    Eigen::VectorXd f, slope;
    const bool log = log_scale(separation);
    model.values(P, log, f, slope);
    // On log|f| of a model of y, a value within the error of zero says nothing.
    const bool guard = log && !model.log_target();
    const auto usable = [&](Eigen::Index row) {
        return !guard || std::abs(slope[row]) * model.prediction_error() < 1.0;
    };
    std::vector<Eigen::Index> used;
    for (Eigen::Index r = 0; r < probes; ++r) {
        if (!usable(r) || !usable(probes + r) || !usable(2 * probes + r) || !usable(3 * probes + r)) continue;
        const double ab = f[r], ab2 = f[probes + r], a_b2 = f[2 * probes + r], a2_b = f[3 * probes + r];
        const double v = ab + ab2 - a_b2 - a2_b;
        // The main effects: moving a alone or b alone, from either corner.
        const double reference = std::sqrt(0.25 * ((ab - a2_b) * (ab - a2_b) + (a_b2 - ab2) * (a_b2 - ab2) +
                                                   (ab - a_b2) * (ab - a_b2) + (a2_b - ab2) * (a2_b - ab2)));
        if (!std::isfinite(v) || !std::isfinite(reference)) continue;
        tally.add(v, reference);
        used.push_back(r);
    }
    structure_detail::add_errors(model, P, probes, used, {0, 1, 2, 3}, {1.0, 1.0, -1.0, -1.0}, log, tally);
}

std::uint64_t stream(const StructureOptions& options, std::uint64_t salt) {
    return options.seed * 0x9E3779B97F4A7C15ULL + salt;
}

}  // namespace

const char* to_string(Separation separation) noexcept {
    return separation == Separation::additive ? "additive" : "multiplicative";
}

StructureEvidence test_separability(const StructureModel& model, Separation separation,
                                    const std::vector<std::size_t>& first) {
    const std::size_t n = model.inputs();
    std::vector<bool> in_first(n, false);
    for (std::size_t k : first) {
        if (k >= n) throw std::invalid_argument("test_separability: input index out of range");
        in_first[k] = true;
    }
    const std::size_t count = static_cast<std::size_t>(std::count(in_first.begin(), in_first.end(), true));
    if (count == 0 || count == n) throw std::invalid_argument("test_separability: both sides must be non-empty");
    const StructureOptions& options = model.options();
    std::mt19937_64 rng(stream(options, 17 + static_cast<std::uint64_t>(separation)));
    const Eigen::MatrixXd base = model.sample(options.probes, rng), other = model.sample(options.probes, rng);
    structure_detail::ProbeTally tally;
    quadruple_tally(model, separation, in_first, base, other, tally);
    return structure_detail::weigh(tally, options.z, options.probes / 4);
}

void interaction_matrix(const StructureModel& model, Separation separation, Eigen::MatrixXd& score,
                        Eigen::MatrixXd& threshold) {
    const std::size_t n = model.inputs();
    const StructureOptions& options = model.options();
    score = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    threshold = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    std::mt19937_64 rng(stream(options, 31 + static_cast<std::uint64_t>(separation)));
    const Eigen::MatrixXd base = model.sample(options.probes, rng), other = model.sample(options.probes, rng);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            // Only x_i and x_j change: base gets other's x_j as well, so (a,b) and (a',b') differ
            // in exactly these two inputs.
            Eigen::MatrixXd pair_other = base;
            pair_other.col(static_cast<Eigen::Index>(i)) = other.col(static_cast<Eigen::Index>(i));
            pair_other.col(static_cast<Eigen::Index>(j)) = other.col(static_cast<Eigen::Index>(j));
            std::vector<bool> swapped(n, false);
            swapped[i] = true;
            structure_detail::ProbeTally tally;
            quadruple_tally(model, separation, swapped, base, pair_other, tally);
            const StructureEvidence e = structure_detail::weigh(tally, options.z, options.probes / 4);
            const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
            score(a, b) = score(b, a) = e.score;
            // An inconclusive pair (f barely moves with x_i, x_j) counts as not interacting.
            threshold(a, b) = threshold(b, a) = e.verdict == StructureVerdict::inconclusive ? INFINITY : e.threshold;
        }
    }
}

SeparabilityResult find_separability(const StructureModel& model, Separation separation) {
    const std::size_t n = model.inputs();
    SeparabilityResult result;
    result.separation = separation;
    if (n < 2) {
        result.groups = {{0}};
        return result;
    }
    interaction_matrix(model, separation, result.interaction, result.interaction_threshold);

    // Connected components of the interaction graph (union-find).
    std::vector<std::size_t> parent(n);
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    const auto root = [&](std::size_t k) {
        while (parent[k] != k) k = parent[k] = parent[parent[k]];
        return k;
    };
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
            if (result.interaction(a, b) > result.interaction_threshold(a, b)) parent[root(j)] = root(i);
        }
    std::vector<std::vector<std::size_t>> groups;
    std::vector<std::size_t> group_of_root(n, n);
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t r = root(k);
        if (group_of_root[r] == n) {
            group_of_root[r] = groups.size();
            groups.emplace_back();
        }
        groups[group_of_root[r]].push_back(k);
    }
    result.groups = groups;

    std::vector<bool> in_first(n, false);
    if (groups.size() > 1) {
        for (std::size_t k : groups.front()) in_first[k] = true;
    } else {
        // Fiedler vector of the weighted Laplacian: the cut through the weakest interactions.
        Eigen::MatrixXd W = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
        for (Eigen::Index a = 0; a < W.rows(); ++a)
            for (Eigen::Index b = 0; b < W.cols(); ++b)
                if (a != b && std::isfinite(result.interaction(a, b))) W(a, b) = result.interaction(a, b);
        Eigen::MatrixXd L = -W;
        L.diagonal() = W.rowwise().sum();
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(L);
        const Eigen::VectorXd fiedler = eigen.eigenvectors().col(1);
        for (std::size_t k = 0; k < n; ++k)
            in_first[k] = (fiedler[static_cast<Eigen::Index>(k)] >= 0) == (fiedler[0] >= 0);
        if (std::all_of(in_first.begin(), in_first.end(), [](bool b) { return b; })) {
            in_first.assign(n, false);  // a degenerate vector (no interactions at all)
            in_first[0] = true;
        }
    }
    for (std::size_t k = 0; k < n; ++k) (in_first[k] ? result.first : result.second).push_back(k);
    result.evidence = test_separability(model, separation, result.first);
    return result;
}

}  // namespace kepler
