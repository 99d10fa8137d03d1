// Compositionality (AI Feynman's generalised symmetry): f = g(h(x_S), x_rest). Then the gradient
// of f restricted to S is g' times the gradient of h, so its direction depends on x_S only.
// Each probe takes two points that share x_S and differ in the rest and compares the
// normalised S-gradients (up to sign: g' may change sign with the rest).
//
// Gradients are compared in units of each input's probe range (a change of f across the range);
// their expected error per input is the surrogate's posterior standard deviation of that
// gradient component (StructureModel::gradient_error). The simpler estimate e / l (prediction
// error over the kernel length scale) came out about ten times too small on test laws.
#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <stdexcept>

#include "evidence.hpp"
#include "kepler/structure/structure_tests.hpp"

namespace kepler {

CompositionalityResult test_compositionality(const StructureModel& model, const std::vector<std::size_t>& inner) {
    const std::size_t n = model.inputs();
    std::vector<bool> in_inner(n, false);
    for (std::size_t k : inner) {
        if (k >= n) throw std::invalid_argument("test_compositionality: input index out of range");
        in_inner[k] = true;
    }
    const std::size_t size = static_cast<std::size_t>(std::count(in_inner.begin(), in_inner.end(), true));
    if (size < 2 || size >= n) throw std::invalid_argument("test_compositionality: needs 2 <= |S| < inputs");
    CompositionalityResult result;
    for (std::size_t k = 0; k < n; ++k)
        if (in_inner[k]) result.inner.push_back(k);

    const StructureOptions& options = model.options();
    std::uint64_t salt = 0;
    for (std::size_t k : result.inner) salt = salt * 131 + k + 1;
    std::mt19937_64 rng(options.seed * 0x9E3779B97F4A7C15ULL + 53 + salt);
    const Eigen::Index probes = static_cast<Eigen::Index>(options.probes);
    const Eigen::MatrixXd base = model.sample(options.probes, rng), other = model.sample(options.probes, rng);
    Eigen::MatrixXd P(2 * probes, base.cols());
    P.topRows(probes) = base;
    P.bottomRows(probes) = base;
    for (std::size_t k = 0; k < n; ++k)
        if (!in_inner[k]) P.col(static_cast<Eigen::Index>(k)).tail(probes) = other.col(static_cast<Eigen::Index>(k));
    const Eigen::MatrixXd G = model.surrogate().gradient(P);

    const Eigen::VectorXd width = model.upper() - model.lower();
    Eigen::VectorXd error_s(static_cast<Eigen::Index>(size));
    std::vector<Eigen::Index> columns;
    for (std::size_t k : result.inner) {
        const auto c = static_cast<Eigen::Index>(k);
        error_s[static_cast<Eigen::Index>(columns.size())] = model.gradient_error()[c] * width[c];
        columns.push_back(c);
    }
    const double gradient_error = error_s.norm();
    structure_detail::ProbeTally tally;
    for (Eigen::Index r = 0; r < probes; ++r) {
        Eigen::VectorXd g(static_cast<Eigen::Index>(size)), h(static_cast<Eigen::Index>(size));
        for (std::size_t c = 0; c < columns.size(); ++c) {
            g[static_cast<Eigen::Index>(c)] = G(r, columns[c]) * width[columns[c]];
            h[static_cast<Eigen::Index>(c)] = G(probes + r, columns[c]) * width[columns[c]];
        }
        const double gn = g.norm(), hn = h.norm();
        // Where f is flat in S at either point, the direction is noise: skip the probe.
        if (!(gn > options.z * gradient_error && hn > options.z * gradient_error)) continue;
        const Eigen::VectorXd u = g / gn, w = h / hn;
        const double v = u.dot(w) >= 0 ? (u - w).norm() : (u + w).norm();
        tally.add(v, 1.0);
        tally.error.push_back(std::hypot(gradient_error / gn, gradient_error / hn));
    }
    result.evidence = structure_detail::weigh(tally, options.z, options.probes / 4);
    return result;
}

std::vector<CompositionalityResult> find_compositionality(const StructureModel& model) {
    const std::size_t n = model.inputs();
    std::vector<CompositionalityResult> grown;
    if (n < 3) return grown;
    std::set<std::vector<std::size_t>> seen;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            CompositionalityResult current = test_compositionality(model, {i, j});
            if (current.evidence.verdict != StructureVerdict::holds) continue;
            // Grow by the input that keeps the test holding most confidently.
            while (current.inner.size() + 1 < n) {
                CompositionalityResult best;
                bool found = false;
                for (std::size_t k = 0; k < n; ++k) {
                    if (std::find(current.inner.begin(), current.inner.end(), k) != current.inner.end()) continue;
                    std::vector<std::size_t> larger = current.inner;
                    larger.push_back(k);
                    CompositionalityResult candidate = test_compositionality(model, larger);
                    if (candidate.evidence.verdict == StructureVerdict::holds &&
                        (!found || candidate.evidence.confidence > best.evidence.confidence)) {
                        best = candidate;
                        found = true;
                    }
                }
                if (!found) break;
                current = best;
            }
            if (seen.insert(current.inner).second) grown.push_back(current);
        }
    }
    // Keep maximal sets only.
    std::vector<CompositionalityResult> maximal;
    for (const CompositionalityResult& r : grown) {
        const bool contained = std::any_of(grown.begin(), grown.end(), [&](const CompositionalityResult& o) {
            return o.inner.size() > r.inner.size() &&
                   std::includes(o.inner.begin(), o.inner.end(), r.inner.begin(), r.inner.end());
        });
        if (!contained) maximal.push_back(r);
    }
    std::stable_sort(maximal.begin(), maximal.end(),
                     [](const CompositionalityResult& a, const CompositionalityResult& b) {
                         if (a.inner.size() != b.inner.size()) return a.inner.size() > b.inner.size();
                         return a.evidence.confidence > b.evidence.confidence;
                     });
    return maximal;
}

}  // namespace kepler
