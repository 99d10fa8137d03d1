// The benchmark suite behind `kepler bench feynman`: for each law of the Feynman database,
// generate a table, fit it with discover(), judge the formula against the truth, and keep
// the verdicts and timings. Results are written as JSON, CSV and a Markdown summary, and the
// JSON of several shards can be merged.
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>
#include <vector>

#include "kepler/grammar/law_file.hpp"
#include "uniform_table.hpp"

namespace kepler::bench {

// The laws of the Feynman database, compiled into the program (parsed once).
const std::vector<grammar::Law>& feynman_laws();
// What the table generator needs to sample `law`: its target, formula and input ranges with units.
datasets::LawSpec spec_of(const grammar::Law& law);

struct SuiteOptions {
    std::vector<std::string> only;  // law ids; empty = all
    // Target noise levels, each an sd as a fraction of rms(target): every law and seed runs at
    // each level (--noise 0,0.01,0.1), and the totals are given per level.
    std::vector<double> noise_levels{0.0};
    // Errors in the variables: noise sd on each varying input as a fraction of its rms (the
    // target computed from the exact inputs; datasets::uniform_table).
    double input_noise = 0.0;
    std::size_t rows = 1000;   // training rows per law
    double time_limit = 60.0;  // seconds per law (and per seed)
    // Evaluations per law (and per seed); 0 = no bound. A run bounded by evaluations rather
    // than the clock gives the same verdicts on a loaded or an idle machine.
    std::size_t max_evaluations = 0;
    int threads = 0;              // 0 = all cores
    std::size_t seeds = 1;        // repetitions with seeds first_seed..first_seed+K-1
    // The first seed: seeds run as separate jobs (--first-seed 2 --seeds 1, then 3) and
    // `bench merge` gives the same report as one run over all of them.
    std::uint64_t first_seed = 1;
    std::size_t shard_index = 1;  // run laws i with (i mod shard_count) == shard_index - 1
    std::size_t shard_count = 1;
    bool use_units = true;  // dimensional analysis (the laws' units in the feynman system)
    // Magnitudes: each base unit of the feynman system rescaled by 10^k, k an integer uniform
    // in -rescale..rescale drawn from (seed, law, base unit) (datasets/generators/rescale.hpp).
    int rescale = 0;
    // Columns that are physical constants of the unit system (c, G, h, k_B, eps0, ...) are
    // removed and fixed at their values, so the formula must bring the constant in itself. The
    // table is first carried into the units where each constant's range midpoint is its value
    // (real powers of ten, least norm), so every dimensionless group keeps its range; with
    // rescale as well, the constants are then rescaled like any column.
    bool constants = false;
};

// A found formula is "within the textbook's size" when its SymPy size (kepler/core/sympy_size.hpp)
// is at most 1.3 times that of the law as the Feynman table writes it.
inline constexpr double kTextbookSizeRatio = 1.3;

struct LawResult {
    std::string id;
    std::uint64_t seed = 1;
    double noise = 0.0;  // the target noise level of this run (SuiteOptions::noise_levels)
    std::size_t inputs = 0;
    std::string truth;  // in Kepler's syntax
    std::string found;  // "" if nothing was found
    bool exact = false;
    bool symbolic_solution = false;  // SRBench's rule (kepler/judge/symbolic_solution.hpp)
    bool accurate = false;
    std::size_t found_size = 0;                                    // SymPy node count of the found formula (0 if none)
    std::size_t truth_size = 0;                                    // SymPy node count of the law as the table writes it
    double form_error = std::numeric_limits<double>::quiet_NaN();  // the judge's form check (NaN: not run)
    double heldout_r2 = 0.0;
    double max_relative_error = 0.0;
    double seconds = 0.0;
    std::size_t evaluations = 0;
    bool interrupted = false;
    std::string reason;                  // the judge's one-line reason, or the error that stopped the fit
    std::vector<double> unit_exponents;  // --rescale: k per base unit (m, s, kg, K, V); empty if off
    // --constants: the unit-system symbols of the columns removed ("c", "k_B"); empty if none.
    std::vector<std::string> constants;
    // The found formula names every removed constant (in its text or as a constant discover()
    // introduced). False when nothing was removed.
    bool constant_named = false;
    // Units on: every member of the front is dimensionally consistent
    // (kepler/units/front_consistency.hpp) and discover()'s safety net dropped none (its
    // explanation has no "inconsistent formula" line). False with units off or no front.
    bool units_consistent = false;
};

struct SuiteReport {
    SuiteOptions options;
    std::string commit;  // filled by the caller if known
    std::vector<LawResult> results;
};

struct SuiteTotals {
    std::size_t runs = 0, exact = 0, symbolic_solution = 0, accurate = 0;
    std::size_t within_textbook_size = 0;                // found_size <= kTextbookSizeRatio * truth_size
    std::size_t with_constants = 0, constant_named = 0;  // runs that had constants removed; of those, named
    std::size_t units_consistent = 0;                    // runs whose whole front is consistent (LawResult)
    double median_seconds = 0.0, max_seconds = 0.0, median_seconds_exact = 0.0;
};

// Over seeds: each count of SuiteTotals taken per seed, then its mean, min and max.
struct SeedSpread {
    double mean = 0.0, min = 0.0, max = 0.0;
};
struct SeedTotals {
    std::size_t seeds = 0;  // distinct seeds among the results
    SeedSpread runs, exact, symbolic_solution, accurate, within_textbook_size, constant_named;
    // Laws exact on some seeds but not all, and the same for the SRBench rule, in result order.
    std::vector<std::string> exact_on_some_seeds, symbolic_on_some_seeds;
};
SeedTotals seed_totals(const std::vector<LawResult>& results);

// Laws of the database selected by `options` (only, shard), in database order.
std::vector<std::string> selected_law_ids(const SuiteOptions& options);

// Runs the suite. `progress` (may be null) gets one line per law; with `overwrite` each line
// replaces the last (a terminal). `stop` (may be null) ends the run after the law under way.
SuiteReport run_feynman_suite(const SuiteOptions& options, std::ostream* progress, bool overwrite,
                              const std::atomic<bool>* stop);

// The pieces of run_feynman_suite, for a caller that deals the runs out itself (`kepler bench`
// under mpirun): one task is one law, seed and noise level.
struct SuiteTask {
    std::size_t law = 0;  // index into feynman_laws()
    std::uint64_t seed = 1;
    double noise = 0.0;
};
// Throws std::invalid_argument for a bad shard or an unknown law id in `only`.
void check_suite_options(const SuiteOptions& options);
// The runs `options` select, by noise level (in the order given), then database order, then
// seed: the order of a run's results.
std::vector<SuiteTask> suite_tasks(const SuiteOptions& options);
// One run: generate, fit, judge. Never throws for a failed fit (LawResult::reason says why).
LawResult run_suite_task(const SuiteTask& task, const SuiteOptions& options, const std::atomic<bool>* stop);
// The progress line for the last of `so_far` (of `total` runs), as run_feynman_suite prints it.
void print_suite_progress(std::ostream& progress, bool overwrite, const std::vector<LawResult>& so_far,
                          std::size_t total);
// One result as a JSON object text (as in results.json) and back; law_result_from_text throws
// std::runtime_error on malformed text.
std::string law_result_text(const LawResult& r);
LawResult law_result_from_text(const std::string& text);

SuiteTotals totals(const std::vector<LawResult>& results);
// The noise levels of `results`, ascending, and the results at one of them (in their order).
std::vector<double> noise_levels_of(const std::vector<LawResult>& results);
std::vector<LawResult> at_noise(const std::vector<LawResult>& results, double noise);
// found_size / truth_size; NaN when nothing was found.
double size_ratio(const LawResult& r);

// results.json, results.csv, summary.md and report.html (kepler::report) in `directory` (created if needed). Throws
// std::runtime_error if a file cannot be written.
void write_suite_results(const SuiteReport& report, const std::string& directory);
// Reads a results.json written by write_suite_results; throws std::runtime_error naming the
// file on a missing or malformed file.
SuiteReport read_suite_results(const std::string& directory);
// The results of several shards as one report (options of the first, with the seeds and noise
// levels of all; runs of all, sorted by noise level, database order, then seed). Throws
// std::runtime_error if two shards ran the same law, seed and noise level.
SuiteReport merge_suite_results(const std::vector<SuiteReport>& shards);

}  // namespace kepler::bench
