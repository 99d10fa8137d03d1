// The structure-guided split of a hard problem (AI Feynman's recursion, issue #6): a smooth
// surrogate of the table says whether the law is separable (y = g(x_A) * h(x_B) or
// g(x_A) + h(x_B), over any number of groups) or symmetric in a pair of inputs (y depends on
// x_i, x_j only through x_i - x_j, x_i + x_j, x_i * x_j or x_i / x_j); each smaller problem is
// solved by the enumerator (and split again, recursively), and the parts' formulas are put
// back together with all constants refitted on the original rows.
//
//   multiplicative / additive  each group's data come from the surrogate with the other inputs
//                              fixed at one central point (f(x_A, c_B) = g(x_A) * h(c_B)), so
//                              the parts see the surrogate's error (~1e-4 relative) and are
//                              searched on a time budget, not until an exact fit. The best few
//                              formulas of each part are combined (c * g * h, or
//                              c0 + c1 g + c2 h) and every constant is refitted by
//                              Levenberg-Marquardt on the original rows, so the surrogate's
//                              error does not stay in the result. A part that the combination
//                              still gets wrong is searched again on exact data from the real
//                              rows: y / (the other parts) or y - (the other parts).
//   symmetry                   a new table with the pair replaced by its combination (computed
//                              from the real rows: exact), solved recursively; the combination
//                              is substituted back.
//
// The result is a list of candidate formulas for y over X's columns (Var k = column k),
// constants folded in, for discover()'s pool: they compete on the front with every other
// stage's formulas, so a wrong split costs only time. Empty when the surrogate does not learn
// the table (relative validation error too poor for noise alone) or no structure holds.
#pragma once

#include <Eigen/Core>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/core/peers.hpp"
#include "kepler/search/search_options.hpp"
#include "kepler/structure/structure_tests.hpp"

namespace kepler {

struct StructureSplitOptions {
    double time_limit_seconds = 30.0;           // for the whole split, sub-searches included
    const std::atomic<bool>* cancel = nullptr;  // becomes true: stop soon, return what was found
    std::uint64_t seed = 1;
    int threads = 0;  // for the sub-searches; 0 = all cores
    // Candidates the sub-searches may evaluate, all together (0 = unlimited). With a limit
    // that is reached before the time limit the result is deterministic for the seed.
    std::size_t max_evaluations = 0;
    // Separability splits nested at most this deep (a part of a part of y). A symmetry does not
    // count: it removes an input, so it cannot recurse forever.
    int max_depth = 2;
    // The sub-searches' operators, max_nodes, sample_rows and memory cap. Its time limit,
    // cancel flag, seed, threads, max_evaluations, progress and dimensions are set here.
    SearchOptions search;
    // The whole problem's units (discover() passes its inputs' and target's dimensions), or
    // none for a table without units. With them, each part whose columns' dimensions are known
    // (inputs, and their products, quotients and like-dimension sums and differences that a
    // symmetry makes) is searched dimensionally typed: its own scale free, its values a pure
    // number. Every candidate returned is dimensionally consistent by
    // units/front_consistency.hpp (with the target's dimension): a combination, or a pruned
    // formula, that no units make consistent is dropped.
    std::optional<DimensionalConstraints> dimensions;
    // The surrogate and the structure tests.
    StructureOptions structure;
    // The surrogate learned nothing smooth when its relative validation error exceeds this and
    // is not explained by the noise it estimates: no split is tried.
    double max_validation_error = 1e-2;
    // A structure is acted on only when its test holds with at least this confidence
    // (StructureEvidence::confidence: 0 at the threshold, near 1 far below it).
    double min_confidence = 0.25;
    // Formulas of each part carried into the combinations.
    std::size_t candidates_per_part = 3;
    // Rows the split works on (an even spread of the table when there are more); the final
    // scores use every row.
    std::size_t max_rows = 2000;
    // The processes the split is spread over (kepler/core/peers.hpp), or null (one process).
    // With two ranks or more solve_by_structure is a collective: the levels of the split that
    // hold the whole problem run on every rank in step (their decisions on the clock taken
    // together, their enumerations dealt over the ranks), the parts a separable split reads
    // off the surrogate are dealt round robin (part g on rank g mod N, alone), and every rank
    // returns the same formulas and rank 0 the trace of every part. The same seed, rank count
    // and max_evaluations give the same formulas.
    Peers* peers = nullptr;
};

// One step of the split, for `kepler fit --explain`: depth 0 is the whole problem.
struct StructureStep {
    int depth = 0;
    std::string text;
};

struct StructureTrace {
    std::vector<StructureStep> steps;
    // The steps, one a line, indented two spaces per depth.
    std::string to_string() const;
};

// X: rows x inputs, y: the target (finite). Returns candidate formulas for y over X's columns,
// best (least total description length on all rows) first; empty if nothing was split.
// `trace` (may be null) receives the steps. Throws std::invalid_argument on mismatched sizes or
// non-finite values.
std::vector<Expression> solve_by_structure(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                           const StructureSplitOptions& options, StructureTrace* trace = nullptr);

}  // namespace kepler
