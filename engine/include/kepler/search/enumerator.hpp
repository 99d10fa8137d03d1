// Bottom-up enumeration of formulas by size, with observational equivalence.
//
// Sub-expressions are built level by level (level n = n nodes) from those of smaller levels
// and kept in a bank as a DAG: each entry records its operator and child ids plus its values
// on a subsample of rows, so a new candidate costs one array operation over those rows. Two
// candidates with the same values (to ~9 significant digits) are one entry: x*y and y*x, x/x
// and 1, sqrt(x*x) and x appear once, which shrinks each level by a large factor.
//
// Every new entry f is scored against the target through each applicable transform T
// (target_transform.hpp): T(y) ~ a*f + b by least squares. Promising fits become formulas
// y = T^-1(a*f + b) with simple constants (linear_fit.hpp), scored on all rows, and offered
// to a Pareto front of complexity bits against RMSE.
//
// Pruning before evaluation (each removes formulas that have a plainer twin):
//   - commutative operators (+ *) take their operands in id order only;
//   - no unary function of a constant leaf, no binary operator of two constant leaves;
//   - no x - x or x / x;
//   - no exp(log x), log(exp x), and no sin/cos/tan directly inside sin/cos/tan;
//   - no square(sqrt x), sqrt(square x), square(-x) or square(|x|);
//   - no exp(c*log u) or exp(log(u)/c) for a constant leaf c: powers read as u*u, sqrt(u)
//     (enable Op::Pow for other exponents);
//   - sub-expressions that are constant (after the leaves), not finite, or beyond 1e150 in
//     magnitude on some sample row are dropped.
//
// Parallelism and determinism: each level is cut into tiles of candidate pairs in a fixed
// order and tiles are grouped into chunks of a fixed size. Within a chunk all tiles are
// evaluated in parallel and deduplicated through a concurrent table in which the candidate
// with the fewest bits, then the earliest position, wins; entries of earlier chunks always
// win. Scoring also runs per tile, and per-tile Pareto fronts are merged in tile order. The
// result therefore depends on the data, the options and the seed, never on the thread count
// (unless the time limit or cancellation cuts the search short).
//
// Peers (SearchOptions::peers, more than one rank): the tiles of each chunk are dealt over the
// ranks, and every rank runs enumerate_search together (a collective: same data and options).
// Per chunk the ranks exchange their claims in the dedup table and then their tiles' survivors
// and fronts, so every rank keeps the whole bank and the de-duplication stays exact: the
// result is the one process's, on every rank, with the work shared. A stop request (clock,
// cancel) on any rank stops all after that chunk.
//
// Progress: SearchOptions::progress is called from the calling thread after the leaves and
// after each chunk (rate-limited), with the front's best formula so far.
#pragma once

#include <Eigen/Core>
#include <cstddef>

#include "kepler/search/pareto_front.hpp"
#include "kepler/search/search_options.hpp"

namespace kepler {

struct SearchReport {
    ParetoFront front;
    // Sub-expressions evaluated on the sample rows (one array operation each); with peers, by
    // all ranks, and by this rank alone.
    std::size_t evaluations = 0;
    std::size_t evaluations_on_this_rank = 0;
    std::size_t ranks = 1;  // the processes the enumeration was dealt over
    double seconds = 0.0;
    bool cancelled = false;                 // SearchOptions::cancel was set
    bool timed_out = false;                 // the time limit was reached
    bool exact = false;                     // a formula fits to rmse <= 1e-12 rms(y) on all rows
    bool at_noise_floor = false;            // SearchOptions::residuals_are_noise said so (not exact)
    std::size_t levels_completed = 0;       // sizes 1..levels_completed were enumerated in full
    std::size_t bank_entries = 0;           // distinct sub-expressions stored for reuse
    bool memory_limited = false;            // stopped after the level that reached max_memory_mb
    bool evaluation_limit_reached = false;  // stopped by SearchOptions::max_evaluations
    // Promising formulas scored on all rows, and how many of them the sequential test
    // (sequential_scoring.hpp) dropped before the last row.
    std::size_t finalist_scorings = 0;
    std::size_t early_rejections = 0;
};

// X: rows x inputs (Var k is column k), y: the target, one value per row. Both finite.
// Throws std::invalid_argument if the sizes disagree or a value is not finite.
SearchReport enumerate_search(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SearchOptions& options);

}  // namespace kepler
