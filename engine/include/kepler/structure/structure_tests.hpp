// Tests for structure in a table y = f(x), asked of a smooth surrogate of the data (AI Feynman's
// idea: a law that is symmetric, separable or compositional splits into smaller laws):
//
//   symmetry          f depends on x_i, x_j only through x_i - x_j, x_i + x_j, x_i * x_j or x_i / x_j
//   separability      f = g(x_S) + h(x_rest)   or   f = g(x_S) * h(x_rest)
//   compositionality  f = g(h(x_S), x_rest)
//   special values    f at x_i = 0 or 1 (where the data reach it): the reduced table, and the
//                     inputs it no longer depends on
//
// Every test compares a violation (a quantity that is zero when the structure holds, computed
// from surrogate predictions) with what the surrogate's own error could produce: the threshold
// is z times the expected error of that quantity (the surrogate's posterior standard deviation
// of it, which follows the noise level and the fit's validation error), never a fixed constant.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "kepler/structure/surrogate.hpp"

namespace kepler {

struct StructureOptions {
    SurrogateOptions surrogate;
    std::size_t probes = 200;    // random probe points (or quadruples) per test
    double z = 3.0;              // a violation must exceed z expected errors to count
    double log_range = 100.0;    // model log|y| when y is one-signed and the 95%/5% quantile ratio of |y| exceeds this
    double box_quantile = 0.05;  // probes stay in each input's [q, 1-q] quantile range
    std::size_t error_probes = 40;  // probes whose violation gets its exact error (O(rows^2) each)
    std::uint64_t seed = 1;
};

enum class StructureVerdict { holds, fails, inconclusive };
const char* to_string(StructureVerdict verdict) noexcept;

// One test's outcome. score: the violation's RMS relative to a reference change of the same
// points (0 when the structure holds exactly); threshold: the score the surrogate's error
// alone would give, times z. confidence: 1 - min(score/threshold, threshold/score), 0 at the
// threshold and near 1 far from it; 0 when inconclusive (the moves change f no more than the
// error, or too few probes are usable).
struct StructureEvidence {
    double score = 0.0;
    double threshold = 0.0;
    StructureVerdict verdict = StructureVerdict::inconclusive;
    double confidence = 0.0;
    std::size_t probes = 0;  // probes that entered the score
};

// The table seen through its surrogate: the model, the scale it is fitted on, the probe box.
class StructureModel {
public:
    // Fits the surrogate to y (or to log|y|, see StructureOptions::log_range). Throws
    // std::invalid_argument as Surrogate::fit does.
    static StructureModel fit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const StructureOptions& options = {});

    const Surrogate& surrogate() const noexcept { return surrogate_; }
    const StructureOptions& options() const noexcept { return options_; }
    std::size_t inputs() const noexcept { return surrogate_.inputs(); }
    // True when the surrogate models log|y| (then every y is of sign target_sign()).
    bool log_target() const noexcept { return log_target_; }
    double target_sign() const noexcept { return sign_; }
    // The probe box (quantile range of each input) and the full data range.
    const Eigen::VectorXd& lower() const noexcept { return lower_; }
    const Eigen::VectorXd& upper() const noexcept { return upper_; }
    const Eigen::VectorXd& data_min() const noexcept { return data_min_; }
    const Eigen::VectorXd& data_max() const noexcept { return data_max_; }
    // The expected error of one surrogate prediction on its own scale (y or log|y|): the
    // surrogate's posterior standard deviation, RMS over the probe box (what is left of the
    // validation error once the noise is taken out, estimated without differencing them).
    double prediction_error() const noexcept { return prediction_error_; }
    // The same for each component of the gradient (RMS of the posterior standard deviation of
    // df/dx_k over the probe box), per unit of x_k.
    const Eigen::VectorXd& gradient_error() const noexcept { return gradient_error_; }

    // f at the rows of P, in y's units.
    Eigen::VectorXd predict(const Eigen::MatrixXd& P) const;
    // Values on a scale: log == false: y; log == true: log|y|; and the slope of each value with
    // respect to the surrogate's output (1 on the surrogate's own scale).
    void values(const Eigen::MatrixXd& P, bool log, Eigen::VectorXd& value, Eigen::VectorXd& slope) const;
    // The expected error (the surrogate's posterior standard deviation) of each combination
    // sum_p weight(g, p) * value(P.row(index(g, p))), values on the scale chosen by `log`.
    Eigen::VectorXd combination_error(const Eigen::MatrixXd& P, const Eigen::MatrixXi& index,
                                      const Eigen::MatrixXd& weight, bool log) const;
    // Uniform random points in the probe box.
    Eigen::MatrixXd sample(std::size_t count, std::mt19937_64& rng) const;

private:
    StructureModel(Surrogate surrogate, const StructureOptions& options)
        : surrogate_(std::move(surrogate)), options_(options) {}
    Surrogate surrogate_;
    StructureOptions options_;
    bool log_target_ = false;
    double sign_ = 1.0;
    Eigen::VectorXd lower_, upper_, data_min_, data_max_;
    double prediction_error_ = 0.0;
    Eigen::VectorXd gradient_error_;
};

// ---- symmetry ----

enum class Combination { difference, sum, product, ratio };
const char* to_string(Combination combination) noexcept;
// The new variable: x_i - x_j, x_i + x_j, x_i * x_j or x_i / x_j, elementwise.
Eigen::VectorXd combine(Combination combination, const Eigen::VectorXd& xi, const Eigen::VectorXd& xj);

struct SymmetryResult {
    std::size_t i = 0, j = 0;
    Combination combination = Combination::difference;
    StructureEvidence evidence;
};

// Moves (x_i, x_j) along a level set of the combination (others fixed) and compares the change
// in f with the change from moving x_i or x_j alone by the same step. product and ratio need
// x_i and x_j of one sign each in the box (inconclusive otherwise).
SymmetryResult test_symmetry(const StructureModel& model, std::size_t i, std::size_t j, Combination combination);
// Every pair and combination; those that hold, most confident first.
std::vector<SymmetryResult> find_symmetries(const StructureModel& model);

// ---- separability ----

enum class Separation { additive, multiplicative };
const char* to_string(Separation separation) noexcept;

struct SeparabilityResult {
    Separation separation = Separation::additive;
    std::vector<std::size_t> first, second;  // the split tested: f = g(x_first) (+|*) h(x_second)
    StructureEvidence evidence;
    // Finest split found: f = sum (or product) of one function per group. One group: none.
    std::vector<std::vector<std::size_t>> groups;
    // Pairwise interaction scores and their thresholds (inputs x inputs, symmetric, 0 on the
    // diagonal); H(i,j) > T(i,j): x_i and x_j interact (mixed difference of f or log|f|).
    Eigen::MatrixXd interaction, interaction_threshold;
};

// Quadruple test f(a,b) + f(a',b') = f(a,b') + f(a',b) with a, a' values of x_first and b, b'
// of the rest (multiplicative: the same on log|f|).
StructureEvidence test_separability(const StructureModel& model, Separation separation,
                                    const std::vector<std::size_t>& first);
// Pairwise interaction matrix (one mixed difference per pair and probe).
void interaction_matrix(const StructureModel& model, Separation separation, Eigen::MatrixXd& score,
                        Eigen::MatrixXd& threshold);
// Searches a split without enumerating subsets: the connected components of the graph of
// interacting pairs are the groups (a smooth f is additively separable over S and its
// complement exactly when no pair across the cut has a mixed partial derivative); with one
// component, the spectral (Fiedler) cut of the interaction graph is the candidate tested.
// `first` is then the group of the lowest input, `second` the rest.
SeparabilityResult find_separability(const StructureModel& model, Separation separation);

// ---- compositionality ----

struct CompositionalityResult {
    std::vector<std::size_t> inner;  // S in f = g(h(x_S), x_rest)
    StructureEvidence evidence;
};

// The gradient of f restricted to S, normalised, must not change when only x_rest changes
// (up to sign). Needs 2 <= |S| < inputs.
CompositionalityResult test_compositionality(const StructureModel& model, const std::vector<std::size_t>& inner);
// Pairs that hold, grown greedily by one input at a time while the test holds; maximal sets,
// largest first. Sets on which f does not depend (inconclusive) are not reported.
std::vector<CompositionalityResult> find_compositionality(const StructureModel& model);

// ---- special values ----

struct SpecialValueResult {
    std::size_t input = 0;
    double value = 0.0;                  // 0 or 1
    std::vector<std::size_t> remaining;  // the other inputs, columns of X
    Eigen::MatrixXd X;                   // the reduced problem: f(x_input = value, x_remaining)
    Eigen::VectorXd y;                   //   through the surrogate, y's units
    std::vector<std::size_t> dropped;    // remaining inputs f no longer depends on there
    bool constant = false;               // f(x_input = value) does not depend on any input
};

// For every input whose data range contains 0 or 1 (within 2% of the range's width): the reduced table (rows points,
// the other inputs uniform in the probe box) and which inputs it no longer depends on.
std::vector<SpecialValueResult> special_values(const StructureModel& model, std::size_t rows = 500);

}  // namespace kepler
