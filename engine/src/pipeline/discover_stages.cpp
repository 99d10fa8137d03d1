#include "discover_stages.hpp"

#include <oneapi/tbb/parallel_invoke.h>
#include <oneapi/tbb/task_arena.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "../search/wire_format.hpp"
#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/pipeline/structure_split.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/search/evolution.hpp"
#include "kepler/search/quick_fits.hpp"
#include "kepler/structure/noise_estimate.hpp"
#include "kepler/structure/noise_floor.hpp"
#include "angle_fit.hpp"
#include "binomial_root_fit.hpp"
#include "exponential_fit.hpp"
#include "monomial_fit.hpp"
#include "rational_fit.hpp"

namespace kepler::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

// Less time than this left after the enumeration: no evolution (it could not get far).
constexpr double kMinEvolutionSeconds = 0.2;
// The noise floor ends the search only on a formula with at most this many fitted reals (see
// check_noise_floor): the laws' own (a scale, an offset) and no more.
constexpr std::size_t kMaxFreeNumbersAtFloor = 2;
// The structure-guided split gets this share of the time the enumeration leaves; evolution the rest.
constexpr double kStructureShare = 0.4;

// A formula of the dimensionless search, f(groups), as y = monomial * f(groups) over the inputs.
Expression from_groups(const DimensionalPlan& plan, const Expression& f) {
    return Expression::binary(Op::Mul, *plan.monomial, substitute_variables(f, plan.groups));
}

Expression unchanged(const Expression& f) { return f; }

// One line of the explanation for a search stage.
std::string stage_line(const char* stage, const SearchReport& r) {
    std::string line = stage;
    line += ": ";
    line += std::to_string(r.evaluations);
    line += " evaluations in ";
    line += format_number(std::round(r.seconds * 100.0) / 100.0);
    line += " s";
    if (r.levels_completed > 0) {
        line += ", sizes up to ";
        line += std::to_string(r.levels_completed);
        line += " nodes complete";
    }
    if (r.exact) line += ", exact formula found";
    if (r.at_noise_floor) line += ", stopped at the noise floor";
    if (r.memory_limited) line += ", stopped at the memory cap";
    if (r.ranks > 1 && r.evaluations > 0) {
        line += ", dealt over ";
        line += std::to_string(r.ranks);
        line += " ranks (this rank ";
        line += std::to_string(static_cast<int>(std::round(100.0 * double(r.evaluations_on_this_rank) / double(r.evaluations))));
        line += " %)";
    }
    return line;
}

std::vector<Expression> seeds_of(const SearchReport& r) {
    std::vector<Expression> seeds;
    for (const Candidate& c : r.front.members()) seeds.push_back(c.expression);
    return seeds;
}

// The numbers of `f` (in the table's units) that are no simple value: fitted reals.
std::size_t free_numbers(const RunState& run, const Expression& f) {
    const ComplexityModel model;
    std::size_t count = 0;
    // Held by name: a range-for over simplify(...).nodes() would read a destroyed temporary.
    const Expression simple = simplify(run.in_table_units(f));
    for (const Node& n : simple.nodes())
        if (n.op == Op::Param || (n.op == Op::Const && model.constant_bits(n.value) >= ComplexityModel::kRealConstantBits))
            ++count;
    return count;
}

// The pool's formula of least RMSE on (X, y) among those with at most kMaxFreeNumbersAtFloor
// fitted reals, or null when none has a finite RMSE.
const Expression* best_formula(const RunState& run, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    Evaluator evaluate;
    double best = std::numeric_limits<double>::infinity();
    const Expression* out = nullptr;
    for (const Expression& f : run.pool.formulas) {
        if (free_numbers(run, f) > kMaxFreeNumbersAtFloor) continue;
        const double rmse = std::sqrt((evaluate(f, X) - y).squaredNorm() / static_cast<double>(y.size()));
        if (std::isfinite(rmse) && rmse < best) {
            best = rmse;
            out = &f;
        }
    }
    return out;
}

// The options of a search stage: the run's, with the current budget scope's time and
// evaluations and a progress callback for formulas that `to_inputs` maps to the inputs.
// The noise-floor check (structure/noise_floor.hpp) with the run's seed: the one rule of the
// check after the enumerations (check_noise_floor below) and of the enumerations' own stop.
NoiseFloorCheck noise_floor_check(const Eigen::MatrixXd& X, const Eigen::VectorXd& residuals, std::uint64_t seed) {
    NoiseEstimateOptions options;
    options.seed = seed;
    return check_residuals_are_noise(X, residuals, options);
}

SearchOptions stage_options(RunState& run, ProgressRelay::Map to_inputs) {
    SearchOptions o = run.search();
    o.time_limit_seconds = run.budget.seconds_left();
    o.max_evaluations = run.budget.evaluation_limit();
    o.progress = run.progress(std::move(to_inputs));
    // An enumeration ends at the noise floor, by the rule of check_noise_floor() below.
    o.residuals_are_noise = [seed = o.seed](const Eigen::MatrixXd& X, const Eigen::VectorXd& residuals) {
        try {
            return noise_floor_check(X, residuals, seed).at_floor;
        } catch (const std::invalid_argument&) {  // too few rows to tell
            return false;
        }
    };
    return o;
}

// A search over a table: enumerate_search, or evolve_search with its seeds.
using SearchFunction =
    std::function<SearchReport(const Eigen::MatrixXd&, const Eigen::VectorXd&, const SearchOptions&)>;

SearchReport enumerate(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SearchOptions& options) {
    return enumerate_search(X, y, options);
}

// The groups of `plan` evaluated on the rows, and y / monomial; false if any is not finite.
bool groups_problem(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Eigen::MatrixXd& G,
                    Eigen::VectorXd& yg) {
    Evaluator evaluate;
    G.resize(X.rows(), static_cast<Eigen::Index>(plan.groups.size()));
    for (std::size_t g = 0; g < plan.groups.size(); ++g)
        G.col(static_cast<Eigen::Index>(g)) = evaluate(plan.groups[g], X);
    yg = y.cwiseQuotient(evaluate(*plan.monomial, X));
    return G.allFinite() && yg.allFinite();
}

// The search on the dimensionless problem: y / monomial = f(groups), with the current budget
// scope. Its formulas join the pool as monomial * f(groups), over the inputs; the report's
// front keeps them over the groups. The report is absorbed.
SearchReport search_over_groups(RunState& run, const DimensionalPlan& plan, const char* what,
                                const SearchFunction& search = enumerate) {
    SearchOptions options = stage_options(run, [&plan](const Expression& f) { return from_groups(plan, f); });
    options.dimensions.reset();  // every group and the scaled target are pure numbers
    Eigen::MatrixXd G;
    Eigen::VectorXd yg;
    SearchReport report;
    if (groups_problem(plan, run.X, run.y, G, yg)) report = search(G, yg, options);
    for (const Candidate& c : report.front.members()) run.pool.formulas.push_back(from_groups(plan, c.expression));
    run.absorb(StageReport::of(report));
    run.result.explanation.push_back(stage_line(what, report));
    return report;
}

bool may_split_or_evolve(const RunState& run) {
    return !run.result.cancelled && !run.at_noise_floor && run.budget.seconds_left() >= kMinEvolutionSeconds &&
           run.budget.has_evaluations_left();
}

}  // namespace

void run_quick_fits(RunState& run) {
    const Clock::time_point quick_start = Clock::now();
    QuickFitOptions qo;
    qo.dimensions = run.search().dimensions;
    qo.operators = run.search().operators;
    std::vector<QuickFit> fits = quick_fits(run.X, run.y, qo);
    // Buckingham Pi's power law in the target's space (monomial_fit.hpp), rational functions of
    // the groups and their square roots (rational_fit.hpp, binomial_root_fit.hpp), the statistics'
    // exponential factors (exponential_fit.hpp), sums with the cosine or sine of an angle
    // (angle_fit.hpp); not with --ops, whose operators they may not respect.
    if (run.plan && run.search().operators.empty()) {
        if (std::optional<QuickFit> m = monomial_fit(*run.plan, run.X, run.y)) fits.push_back(std::move(*m));
        // Independent of each other, so they run side by side (in the search's thread budget);
        // their candidates join in this order whatever the threads.
        std::vector<QuickFit> rational, root, binomial, exponential, angle;
        const DimensionalPlan& plan = *run.plan;
        tbb::task_arena arena(run.search().threads > 0 ? run.search().threads : tbb::task_arena::automatic);
        arena.execute([&] {
            tbb::parallel_invoke([&] { rational = rational_fits(plan, run.X, run.y); },
                                 [&] { root = root_fits(plan, run.X, run.y); },
                                 [&] { binomial = binomial_root_fits(plan, run.X, run.y); },
                                 [&] { exponential = exponential_fits(plan, run.X, run.y); },
                                 [&] { angle = angle_fits(plan, run.X, run.y); });
        });
        for (std::vector<QuickFit>* part : {&rational, &root, &binomial, &exponential, &angle})
            for (QuickFit& f : *part) fits.push_back(std::move(f));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - quick_start).count();
    std::string line = "stage 0, quick fits: ";
    line += std::to_string(fits.size());
    line += " candidates in ";
    line += format_number(std::round(seconds * 1000.0) / 1000.0);
    line += " s";
    const double rms = root_mean_square(run.y);
    StageReport report;
    for (QuickFit& f : fits) {
        line += "; ";
        line += f.kind;
        line += " RMSE ";
        line += format_number(f.rmse);
        if (is_exact_fit(f.rmse, rms)) {
            report.exact = true;
            line += " (exact)";
        }
        run.pool.formulas.push_back(std::move(f.formula));
    }
    run.result.explanation.push_back(std::move(line));
    run.absorb(report);
    // An exact quick fit ends the search (as an exact formula ends each stage): the
    // enumerations would only spend their time confirming it.
    run.quick_exact = run.exact && run.search().stop_when_exact;
}

void search_groups(RunState& run) {
    const std::optional<DimensionalPlan>& plan = run.plan;
    if (run.quick_exact || !plan || !plan->monomial || plan->groups.empty() ||
        plan->groups.size() >= run.problem.columns.size() || !run.budget.has_evaluations_left(0.5))
        return;
    const Budget::Scope half(run.budget, 0.5);
    const SearchReport r = search_over_groups(run, *plan, "stage 1, enumeration over the dimensionless groups");
    run.group_plan = *plan;
    run.group_seeds = seeds_of(r);
    // Not exact with Buckingham Pi's monomial: try the one that leaves the flattest rest
    // (balance_monomial), with what is left of the stage's time and evaluations.
    DimensionalPlan balanced = *plan;
    balance_monomial(balanced, run.X, run.y);
    // With peers the next enumeration is a collective: the ranks decide together (the clock).
    if (!all_agree(run.search().peers, !(r.exact || r.at_noise_floor || r.cancelled || r.evaluation_limit_reached ||
                                          run.budget.seconds_left() <= 0.0 ||
                                          balanced.monomial->hash() == plan->monomial->hash())))
        return;
    run.result.notes.push_back("also searched the groups over the monomial " +
                               to_infix(simplify(*balanced.monomial), run.result.inputs));
    const SearchReport b = search_over_groups(run, balanced, "stage 1b, the groups over the balanced monomial");
    run.group_plan = balanced;
    run.group_seeds = seeds_of(b);
}

void search_inputs(RunState& run) {
    if (!all_agree(run.search().peers, !(run.quick_exact || run.result.cancelled))) return;
    if (!run.budget.has_evaluations_left()) {
        // Nothing left for it: the run stopped at its evaluation limit.
        run.absorb(StageReport::no_evaluations_left());
        return;
    }
    const SearchReport r = enumerate_search(run.X, run.y, stage_options(run, unchanged));
    run.input_seeds = seeds_of(r);
    run.pool.add(r.front);
    run.absorb(StageReport::of(r));
    run.result.explanation.push_back(stage_line("stage 2, enumeration over the inputs (dimensionally typed)", r));
}

// The nearest-neighbour noise estimate of the target, in table units: reported with the result
// (DiscoveryResult::noise_estimate) as the yardstick of the fit.
void estimate_noise_level(RunState& run) {
    try {
        NoiseEstimateOptions options;
        options.seed = run.search().seed;
        const NoiseEstimate noise = estimate_noise(run.problem.X, run.problem.y, options);
        run.result.noise_estimate = noise.sd;
        run.result.explanation.push_back("noise estimate (local fits between neighbouring rows, table units): " +
                                         format_number(noise.sd));
    } catch (const std::invalid_argument& e) {  // too few rows: left NaN, and said
        run.result.explanation.push_back(std::string("noise estimate: none (") + e.what() + ")");
    }
}

// At the noise floor the search is done: when what the best formula so far leaves of the target
// is noise (structure/noise_floor.hpp: the residuals' RMS within 2/sqrt(m) of their own
// nearest-neighbour noise estimate), neither a split nor evolution can find a formula that beats
// it by more than chance. Only a formula with at most kMaxFreeNumbersAtFloor fitted reals
// counts: a family with more (a rational quick fit's four coefficients) fits any smooth rest to
// 1 % without being the law, and stopping on it lost II.6.15a and II.35.18, which the split
// and the evolution find later; the pick still weighs it against what they find.
void check_noise_floor(RunState& run) {
    if (run.result.cancelled || run.exact || run.budget.seconds_left() < kMinEvolutionSeconds) return;
    const Expression* best = best_formula(run, run.X, run.y);
    if (!best) return;
    const Eigen::VectorXd residuals = run.y - Evaluator()(*best, run.X);
    NoiseFloorCheck check;
    try {
        check = noise_floor_check(run.X, residuals, run.search().seed);
    } catch (const std::invalid_argument& e) {
        run.result.explanation.push_back(std::string("no noise-floor check (") + e.what() + ")");
        return;
    }
    std::string line = "noise floor: best formula so far RMSE ";
    line += format_number(check.rmse);
    line += ", noise estimate of its residuals ";
    line += format_number(check.noise_sd);
    line += ", ratio ";
    line += format_number(check.ratio);
    line += check.at_floor ? " <= " : " > ";
    line += format_number(check.threshold);
    run.result.explanation.push_back(std::move(line));
    if (check.at_floor) {
        run.at_noise_floor = true;
        run.result.notes.push_back("what the best formula leaves is noise: the search stops there");
    }
}

namespace {

// One structure split of (A, b) with `seconds` and half of the evaluations left (which the
// split does not report back: they are not counted in the run's). Its formulas, mapped to the
// inputs by `to_inputs`, join the pool; its steps go into the explanation. With `peers` (every
// rank calls it then) the split is spread over the ranks (structure_split.hpp).
void split_one(RunState& run, const Eigen::MatrixXd& A, const Eigen::VectorXd& b, double seconds, const char* what,
               const ProgressRelay::Map& to_inputs, const std::optional<DimensionalConstraints>& dimensions,
               Peers* peers) {
    const SearchOptions& search = run.search();
    StructureSplitOptions so;
    so.time_limit_seconds = seconds;
    so.cancel = search.cancel;
    so.seed = search.seed;
    so.threads = search.threads;
    so.search.operators = search.operators;
    so.search.max_memory_mb = search.max_memory_mb;
    so.max_evaluations = run.budget.evaluation_limit(0.5);
    so.dimensions = dimensions;  // parts typed, inconsistent combinations dropped
    so.peers = peers;
    StructureTrace trace;
    std::vector<Expression> found;
    try {
        found = solve_by_structure(A, b, so, &trace);
    } catch (const std::invalid_argument& e) {
        run.result.explanation.push_back(std::string("structure of ") + what + ": not tried (" + e.what() + ")");
        return;
    }
    std::string head = "structure of ";
    head += what;
    head += found.empty() ? ": no split" : ": split, " + std::to_string(found.size()) + " candidates";
    run.result.explanation.push_back(std::move(head));
    for (const StructureStep& step : trace.steps)
        run.result.explanation.push_back(std::string(2 * static_cast<std::size_t>(step.depth + 1), ' ') + step.text);
    for (const Expression& f : found) run.pool.formulas.push_back(to_inputs(f));
}

// With peers (two ranks or more) and both problems: the groups' split on rank 0 and the inputs'
// on rank 1 at the same time, each with the whole share of the time; what each added (its
// explanation lines, its formulas over the inputs) is gathered, and every rank takes both in,
// the groups' first, so every rank has the same pool. False (nothing done) without peers.
bool split_on_two_ranks(RunState& run, const Eigen::MatrixXd& G, const Eigen::VectorXd& yg, double share) {
    Peers* peers = run.search().peers;
    if (!peers || peers->size() < 2) return false;
    const std::size_t lines_before = run.result.explanation.size(), pool_before = run.pool.formulas.size();
    const DimensionalPlan& groups = *run.group_plan;
    if (peers->rank() == 0)
        split_one(
            run, G, yg, share, "the dimensionless groups",
            [&groups](const Expression& f) { return from_groups(groups, f); }, std::nullopt, nullptr);
    else if (peers->rank() == 1)
        split_one(run, run.X, run.y, share, "the inputs", unchanged, run.search().dimensions, nullptr);
    ByteWriter out;
    out.put<std::uint64_t>(run.result.explanation.size() - lines_before);
    for (std::size_t k = lines_before; k < run.result.explanation.size(); ++k)
        out.put_string(run.result.explanation[k]);
    out.put<std::uint64_t>(run.pool.formulas.size() - pool_before);
    for (std::size_t k = pool_before; k < run.pool.formulas.size(); ++k)
        detail::put_expression(out, run.pool.formulas[k]);
    const std::vector<std::string> all = peers->all_gather(out.take());
    run.result.explanation.resize(lines_before);
    run.pool.formulas.resize(pool_before);
    for (const std::string& bytes : all) {
        ByteReader in(bytes);
        for (auto n = in.get<std::uint64_t>(); n > 0; --n) run.result.explanation.push_back(in.get_string());
        for (auto n = in.get<std::uint64_t>(); n > 0; --n) run.pool.formulas.push_back(detail::get_expression(in));
    }
    return true;
}

}  // namespace

// The structure of the table (separability, symmetry) splits a problem the enumeration could
// not finish into smaller ones; on the groups problem when stage 1 ran, then on the inputs.
// Its formulas join the pool and compete there. With peers the ranks decide together whether
// to split (it rests on the clock); the two problems are split on two ranks at once, and one
// problem alone is split by all ranks together (its parts dealt over them).
void split_by_structure(RunState& run) {
    if (!all_agree(run.search().peers, !run.exact && may_split_or_evolve(run))) return;
    const double share = run.budget.seconds_left() * kStructureShare;
    const std::optional<DimensionalPlan>& groups = run.group_plan;
    Eigen::MatrixXd G;
    Eigen::VectorXd yg;
    const bool with_groups = groups && groups_problem(*groups, run.X, run.y, G, yg);
    if (with_groups && split_on_two_ranks(run, G, yg, share)) {
        run.absorb(StageReport::without_limits(run.budget.cancelled()));
        return;
    }
    // Here with peers only when there is no groups problem: the inputs' split spread over the ranks.
    Peers* peers = run.search().peers;
    if (with_groups)
        split_one(
            run, G, yg, share / 2.0, "the dimensionless groups",
            [&groups](const Expression& f) { return from_groups(*groups, f); }, std::nullopt, peers);
    if (all_agree(peers, !run.result.cancelled && run.budget.seconds_left() >= kMinEvolutionSeconds))
        split_one(run, run.X, run.y, std::min(run.budget.seconds_left(), groups ? share / 2.0 : share), "the inputs",
                  unchanged, run.search().dimensions, peers);
    run.absorb(StageReport::without_limits(run.budget.cancelled()));
}

// The enumeration usually ends early (its memory fills after 7 to 9 nodes); the time and
// evaluations it leaves go to the evolutionary search, seeded with its fronts: half on the
// groups problem (when stage 1 ran), the rest on the inputs. Skipped once a formula is exact
// (unless told to go on).
//
// With peers (SearchOptions::peers) every rank runs this stage and each evolve_search is one
// job over all ranks; whether each runs rests on the clock too, so the ranks decide together
// (all_agree: all run it, or none). The enumeration before is the same on every rank (same
// data, options and seed), so only the clock can make them differ.
void evolve(RunState& run) {
    Peers* peers = run.search().peers;
    auto may_run = [&run, peers] {
        return all_agree(peers, !(run.exact && run.search().stop_when_exact) && may_split_or_evolve(run));
    };
    if (!may_run()) return;
    const std::size_t evaluations_before = run.result.evaluations;
    const Clock::time_point evolution_start = Clock::now();
    if (all_agree(peers, run.group_plan && run.budget.has_evaluations_left(0.5))) {
        const Budget::Scope half(run.budget, 0.5);
        const std::vector<Expression>& seeds = run.group_seeds;
        search_over_groups(run, *run.group_plan, "stage 3, evolution over the dimensionless groups",
                           [&seeds](const Eigen::MatrixXd& G, const Eigen::VectorXd& yg, const SearchOptions& o) {
                               return evolve_search(G, yg, o, seeds);
                           });
    }
    if (may_run()) {
        const SearchReport r = evolve_search(run.X, run.y, stage_options(run, unchanged), run.input_seeds);
        run.pool.add(r.front);
        run.absorb(StageReport::of(r));
        run.result.explanation.push_back(stage_line("stage 3, evolution over the inputs", r));
    }
    std::string note = "evolutionary search after the enumeration: ";
    note +=
        format_number(std::round(std::chrono::duration<double>(Clock::now() - evolution_start).count() * 10.0) / 10.0);
    note += " s, ";
    note += std::to_string(run.result.evaluations - evaluations_before);
    note += " evaluations";
    run.result.notes.push_back(std::move(note));
}

}  // namespace kepler::pipeline
