// Evolutionary search: genetic programming on islands, for formulas too large to enumerate.
//
// The enumerator (enumerator.hpp) is complete up to some 7 to 9 nodes and then runs out of
// memory; laws of 9 to 30 nodes (x1*y1 + x2*y2 + x3*y3, m*(v^2 + u^2 + w^2)/2) need a search
// that samples instead. evolve_search() runs a fixed number of islands (8), each a population
// of expression trees (postfix Expressions, at most kMaxEvolvedNodes nodes) that evolves by
// tournament selection; a newcomer replaces the oldest member (regularized evolution), so no
// individual stays for ever, and each island keeps a hall of fame (the least error for each
// complexity). Between epochs each island sends its best and a few of its hall of fame to the
// next island in a ring.
//
// Fitness, on the sample rows. The formula f is cut into its additive terms (sums at the top
// are split, and products or quotients over a sum distributed: x*(y + z) is x*y + x*z, up to
// 8 terms), and T(y) ~ sum_j a_j * term_j + b is fitted by linear least squares for every
// applicable target transform T (target_transform.hpp), so that a partial sum of the right
// terms already fits well. The transform is chosen by the error in y itself (residual RMS of
// y = T^-1(...) over the standard deviation of y); then
//     fitness = bits(f) + 64 * log2(max(relative error, 1e-9))   (lower is better).
// Numeric constants are refitted with the coefficients by Levenberg-Marquardt
// (constant_fitting.hpp, a few steps) on a quarter of the offspring. An individual that enters
// its island's hall of fame becomes a full formula y = T^-1(sum_j a_j term_j + b), with the
// least-squares constants and with the simplest ones (linear_fit.hpp's rules for one term;
// constants within rounding of a simple fraction for several), is scored on all rows and
// offered to the island's ParetoFront. The islands' fronts are merged in island order.
//
// Variation (variation.hpp: mutation of a subtree, of one node or of a constant, hoisting a
// subtree, growing s into s + g or f(s), subtree crossover) keeps every sub-expression
// dimensionally consistent under SearchOptions::dimensions, and a formula is scored only
// through a transform whose scale is admissible as for the enumerator
// (DimensionalConstraints::scale), so every formula of the front has the target's dimension
// (the scale aside, as the enumerator's). Two rules more than the enumerator's: no function
// (exp, log, sin, ...) inside a function's argument, and no operator on constants alone.
// Against stagnation, besides the ageing: no two individuals of an island have the same fit
// (transform and relative error to 9 digits: a formula and its rearrangements count as one,
// and the one with fewer bits is kept), and each epoch a few random newcomers enter.
//
// Seeds: `seeds` (e.g. the enumerator's front: complete formulas with their constants folded
// in) enter every island as they are, and their subtrees are shared out among the islands;
// the rest of each population is random. Formulas over columns X does not have, or that break
// the dimensional rules, are ignored.
//
// Options honoured: time_limit_seconds, cancel (both seen between offspring, so the search
// stops within milliseconds), max_evaluations, threads (a tbb::task_arena; each island's epoch
// is one task), seed (the sample of rows, drawn as the enumerator draws it, and each island's
// random generator, from (seed, island)), operators, sample_rows, stop_when_exact (two more
// epochs after an exact formula, then stop), progress (from the calling thread, between
// epochs) and dimensions. max_nodes is the enumerator's: trees here grow to kMaxEvolvedNodes.
// max_memory_mb does not apply (the search holds under a thousand small trees).
//
// Evaluations are counted like the enumerator's: one array operation over the sample rows per
// operator node evaluated (each term's subtrees once, at least one per tree, plus one per
// factor distributed), and a Levenberg-Marquardt fit as 2 * (steps + 1) evaluations of the
// tree it fits. Each epoch gives every island a fixed quota, and an epoch is started only if
// its worst case fits in what max_evaluations leaves, so evaluations <= max_evaluations.
//
// Determinism: islands, quotas, migration and the merge of the fronts do not depend on the
// thread count, so with the same data, options and seeds the result is the same for any
// thread count whenever the search ends by max_evaluations or by an exact formula, rather
// than by the clock or a cancel (then it depends on how far the islands got).
//
// Peers (SearchOptions::peers, more than one rank): every rank runs its 8 islands, island i of
// rank r being island 8r + i of the job (its generator seeded from (seed, 8r + i), so one rank
// is exactly the search above). After each epoch the ranks exchange, in one all_gather, their
// evaluations, exact flags, whether they must stop (clock or cancel: any rank stopping stops
// all) and the migrants of their last island, which enter the first island of the next rank:
// the ring runs through the whole job. max_evaluations is the job's: each epoch's quota is what
// is left over all 8 * ranks islands. At the end the ranks' fronts are gathered and merged in
// rank order, so every rank returns the same report (evaluations summed). Migration happens at
// epoch ends, which are evaluation counts, never the clock: the same seed, rank count and
// max_evaluations give the same front.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/search/search_options.hpp"

namespace kepler {

// The largest tree the evolution builds, in nodes (before scale and offset).
inline constexpr std::size_t kMaxEvolvedNodes = 31;

// X: rows x inputs (Var k is column k), y: the target; both finite. The report's front,
// evaluations, seconds, cancelled, timed_out, exact and evaluation_limit_reached are filled
// as enumerate_search fills them (levels_completed, bank_entries and memory_limited stay 0).
// Throws std::invalid_argument as enumerate_search does.
SearchReport evolve_search(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SearchOptions& options,
                           const std::vector<Expression>& seeds = {});

}  // namespace kepler
