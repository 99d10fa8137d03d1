// What a search may use and when it must stop.
#pragma once

#include <Eigen/Core>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/core/peers.hpp"
#include "kepler/units/dimension.hpp"

namespace kepler {

// Dimensional analysis inside the search: every sub-expression carries a dimension and only
// consistent ones are built (+ and - between like dimensions, function arguments and
// exponents dimensionless), and a final formula y = T^-1(a*f + b) must have the target's
// dimension. Fitted constants are dimensionless, except the scale `a` where a dimensional
// constant was brought in on purpose (see `scale`).
struct DimensionalConstraints {
    std::vector<Dimension> variables;  // one per column of X
    Dimension target;
    enum class Scale {
        Dimensionless,    // a is a pure number: the inputs can make the target's dimension
        PowerOfConstant,  // a may carry C^k for one C of constant_dimensions (k = n/2, |k| <= 4)
        Free,             // a is an unknown dimensional constant: any dimension
    } scale = Scale::Dimensionless;
    std::vector<Dimension> constant_dimensions;  // for PowerOfConstant
};

// Whether `d` is a power the scale may carry under Scale::PowerOfConstant: constant^k with
// k = n/2, 0 < |k| <= 4. Throws std::overflow_error as Dimension::pow does.
bool is_constant_power(const Dimension& constant, const Dimension& d);

// What a running search reports to SearchOptions::progress.
struct SearchProgress {
    double seconds = 0.0;         // since the search started (discover(): since discover started)
    std::size_t evaluations = 0;  // so far, counted as SearchReport::evaluations
    bool has_best = false;        // false until some formula has been scored
    // The best formula so far (ParetoFront::best(): least total description length) and its
    // RMSE on all rows. enumerate_search: Var k is column k of X. discover(): Var k is
    // inputs[k], in the table's own units, simplified (constants not yet tidied).
    Expression best;
    double rmse = 0.0;
};

struct SearchOptions {
    double time_limit_seconds = 60.0;
    int threads = 0;             // 0 = all cores (the search runs in a tbb::task_arena of this size)
    std::uint64_t seed = 1;      // picks the subsample of rows the enumeration works on
    std::size_t max_nodes = 13;  // largest formula enumerated, in nodes, before scale and offset
    // Unary and binary operators the enumeration combines. Empty = + - * / sqrt square exp log
    // sin cos
    // (a negation is never needed at the top: the fitted scale carries the sign).
    std::vector<Op> operators;
    std::size_t sample_rows = 200;  // rows used while enumerating (0 = all); finalists are rescored on all rows
    const std::atomic<bool>* cancel = nullptr;  // becomes true (e.g. on SIGINT): stop soon, keep the front
    // 0 = unlimited; see SearchReport::evaluations. A chunk of work (up to 65,536 candidates)
    // is only started if it fits in what is left, so the search ends with evaluations <=
    // max_evaluations, up to one chunk short of it. discover() splits it across its stages.
    std::size_t max_evaluations = 0;
    // Memory the enumeration may hold (stored sub-expression values plus the dedup table). When
    // it is reached the size level under way is finished without storing and is the last.
    std::size_t max_memory_mb = 2048;
    // Once a formula fits exactly (is_exact_fit in kepler/fitting/exact_fit.hpp: rmse <= 1e-12
    // rms(y) on all rows), finish that size level and at most one more, then stop: smaller
    // formulas come first, so little is left to gain. The one more level is skipped when it
    // would cost over 4x the work done so far (and over 1e6 candidates): levels grow ~10x each,
    // and a second wait that long rarely pays.
    bool stop_when_exact = true;
    // The noise-floor rule (with stop_when_exact): after each completed size level that did not
    // fit exactly, called with the search's rows and the residuals y - f(X) of the front's
    // member with the least RMSE; true when those residuals are only noise (the pipeline asks
    // structure/noise_floor.hpp). The search then ends as on an exact fit, but after up to
    // three more levels, not one, each under the same work check (a look-alike may reach the
    // floor a few nodes before the law). On noisy data no fit is ever exact: without this rule
    // the enumeration runs to its clock although little larger can fit better than chance.
    // Empty = no such rule. Called from the calling thread; with peers every rank calls it on
    // the same front, and the ranks decide together.
    std::function<bool(const Eigen::MatrixXd& X, const Eigen::VectorXd& residuals)> residuals_are_noise;
    // Called now and then while the search runs (for a progress display): always from the
    // thread that called enumerate_search (or discover), between chunks of work, never from
    // inside the parallel tiles, and at most once per progress_interval_seconds. Keep it
    // quick; the search waits for it. Empty = no reports.
    std::function<void(const SearchProgress&)> progress;
    double progress_interval_seconds = 0.2;
    // Dimensional pruning; none = every formula is allowed (a table without units).
    std::optional<DimensionalConstraints> dimensions;
    // The processes this search is spread over (kepler/core/peers.hpp); null or one rank = this
    // process alone. evolve_search (its islands live on every rank; see evolution.hpp) and
    // enumerate_search (its tiles dealt over the ranks; see enumerator.hpp) use them: every rank
    // must then call it together, with the same data and options but for progress, the clock
    // and the cancel flag (a stop on any rank stops all). The other searches ignore it.
    Peers* peers = nullptr;
};

// The default operator set named above.
std::vector<Op> default_search_operators();

// The operators named in a comma-separated list, in formula-text names: `+ - * / ^` and the
// unary functions `sqrt square exp log sin cos tan asin acos atan tanh abs` (also `neg` for the
// unary minus; `-` is subtraction). Spaces around names are ignored, repeats are kept once.
// Throws std::invalid_argument naming the 1-based character position of an unknown or empty
// name and the names there are, e.g. "position 5: unknown operator 'cosh'; expected one of ...".
std::vector<Op> operators_from_names(std::string_view list);

}  // namespace kepler
