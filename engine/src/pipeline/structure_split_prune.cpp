#include "structure_split_prune.hpp"

#include <cmath>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/pipeline/polish_constants.hpp"

namespace kepler::structure_split {

namespace {

double sse_of(const Expression& e, const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Evaluator& evaluate) {
    const Eigen::VectorXd v = evaluate(e, X);
    return v.allFinite() ? (v - y).squaredNorm() : INFINITY;
}

// Node positions of the numbers that may be made simpler: free constants (those
// constants_to_parameters would free: to 0 or their nearest integer) and nonzero simple ones
// (to 0: exp(1 - u) * c is exp(-u) * c' ), in node order.
std::vector<std::size_t> prunable_constants(const Expression& e) {
    std::vector<std::size_t> out;
    const auto nodes = e.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].op == Op::Const && nodes[i].value != 0.0) out.push_back(i);
    return out;
}

}  // namespace

Expression prune_constants(const Expression& e, const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::uint64_t seed,
                           const std::function<bool()>& stop) {
    constexpr int kMaxAttempts = 32;  // one LM fit each
    Evaluator evaluate;
    const double n = static_cast<double>(y.size());
    // Levenberg-Marquardt stops at a relative 1e-8 or so: (1e-8 rms(y))^2 per row is rounding.
    const double rounding = 1e-16 * y.squaredNorm();
    Expression current = simplify(e);
    double sse = sse_of(current, X, y, evaluate);
    if (!std::isfinite(sse)) return e;
    // Each pass tries the free constants in node order; a success restarts (positions move).
    for (int attempts = 0; attempts < kMaxAttempts;) {
        bool changed = false;
        for (std::size_t position : prunable_constants(current)) {
            const double value = current.nodes()[position].value;
            for (const double simple : {0.0, std::round(value)}) {
                if (simple == value || std::abs(simple) > 10.0) continue;
                if (++attempts > kMaxAttempts || stop()) return current;
                Expression trial = current;
                trial.mutable_nodes()[position].value = simple;
                trial = simplify(polish_constants(simplify(trial), X, y, seed));
                const double trial_sse = sse_of(trial, X, y, evaluate);
                if (trial_sse <= sse * (1.0 + 4.0 / n) + rounding) {
                    current = std::move(trial);
                    sse = trial_sse;
                    changed = true;
                    break;
                }
            }
            if (changed) break;
        }
        if (!changed) break;
    }
    return current;
}

}  // namespace kepler::structure_split
