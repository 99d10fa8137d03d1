#include "kepler/pipeline/discover.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "kepler/core/canonical.hpp"
#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/pipeline/dimensional_plan.hpp"
#include "kepler/pipeline/polish_constants.hpp"
#include "kepler/pipeline/snap_constants.hpp"
#include "kepler/pipeline/structure_split.hpp"
#include "kepler/pipeline/tidy_constants.hpp"
#include "kepler/search/candidate.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/search/evolution.hpp"
#include "kepler/search/fit_metrics.hpp"
#include "kepler/search/quick_fits.hpp"
#include "kepler/structure/noise_estimate.hpp"
#include "kepler/structure/surrogate.hpp"

namespace kepler {

namespace {

using Clock = std::chrono::steady_clock;

// The columns and rows a discovery works on.
struct Problem {
    std::size_t target_column = 0;
    std::vector<std::size_t> columns;  // inputs, as table columns
    Eigen::MatrixXd X;                 // rows searched x inputs, in the table's units
    Eigen::VectorXd y;
    // With DiscoverOptions::sample_rows, X and y are the sample and these all usable rows, on
    // which the front is scored; otherwise empty (X and y are all usable rows).
    Eigen::MatrixXd X_all;
    Eigen::VectorXd y_all;
    const Eigen::MatrixXd& scoring_X() const { return X_all.size() > 0 ? X_all : X; }
    const Eigen::VectorXd& scoring_y() const { return y_all.size() > 0 ? y_all : y; }
};

Problem select_problem(const Table& table, std::string_view target, const DiscoverOptions& options,
                       DiscoveryResult& result) {
    Problem p;
    p.target_column = table.require_column(target, "target");
    if (options.inputs.empty()) {
        for (std::size_t j = 0; j < table.columns(); ++j)
            if (j != p.target_column && !table.is_timestamp(j)) p.columns.push_back(j);
    } else {
        for (const auto& name : options.inputs) {
            std::size_t j = table.require_column(name, "input");
            if (j == p.target_column) throw std::invalid_argument("the target '" + name + "' cannot also be an input");
            p.columns.push_back(j);
        }
    }
    if (p.columns.empty()) throw std::invalid_argument("no input columns besides the target '" + result.target + "'");
    for (std::size_t j : p.columns) result.inputs.push_back(table.names[j]);

    // Keep the rows where the target and every input are finite numbers.
    std::vector<Eigen::Index> keep;
    keep.reserve(table.rows());
    const auto t = static_cast<Eigen::Index>(p.target_column);
    for (Eigen::Index r = 0; r < table.data.rows(); ++r) {
        bool ok = std::isfinite(table.data(r, t));
        for (std::size_t j : p.columns) ok = ok && std::isfinite(table.data(r, static_cast<Eigen::Index>(j)));
        if (ok) keep.push_back(r);
    }
    result.rows_used = keep.size();
    result.rows_dropped = table.rows() - keep.size();
    if (keep.empty()) throw std::invalid_argument("no row has finite values in the target and every input");
    if (result.rows_dropped > 0)
        result.notes.push_back(std::to_string(result.rows_dropped) +
                               " rows left out: missing or non-finite target or input");
    if (options.inputs.empty()) {
        for (std::size_t j = 0; j < table.columns(); ++j)
            if (j != p.target_column && table.is_timestamp(j)) {
                std::string note = "timestamp column '";
                note += table.names[j];
                note += "' is not an input unless named in the inputs";
                result.notes.push_back(std::move(note));
            }
    }

    auto gather = [&](const std::vector<Eigen::Index>& rows, Eigen::MatrixXd& X, Eigen::VectorXd& y) {
        X.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(p.columns.size()));
        y.resize(static_cast<Eigen::Index>(rows.size()));
        for (Eigen::Index i = 0; i < X.rows(); ++i) {
            y(i) = table.data(rows[i], t);
            for (std::size_t c = 0; c < p.columns.size(); ++c)
                X(i, static_cast<Eigen::Index>(c)) = table.data(rows[i], static_cast<Eigen::Index>(p.columns[c]));
        }
    };
    if (options.sample_rows > 0 && options.sample_rows < keep.size()) {
        // A uniform sample without replacement, in table order, so the seed alone fixes it.
        std::vector<Eigen::Index> sample;
        sample.reserve(options.sample_rows);
        std::mt19937_64 rng(options.search.seed);
        std::sample(keep.begin(), keep.end(), std::back_inserter(sample), options.sample_rows, rng);
        result.rows_sampled = sample.size();
        std::string note = "searched on a random sample of ";
        note += std::to_string(sample.size());
        note += " of the ";
        note += std::to_string(keep.size());
        note += " usable rows; the scores are on all of them";
        result.notes.push_back(std::move(note));
        gather(sample, p.X, p.y);
        gather(keep, p.X_all, p.y_all);
    } else {
        gather(keep, p.X, p.y);
    }
    return p;
}

// Candidates of every stage, as formulas over the inputs in coherent units.
struct Pool {
    std::vector<Expression> formulas;
    void add(const ParetoFront& front) {
        for (const Candidate& c : front.members()) formulas.push_back(c.expression);
    }
};

// RMSEs closer than this count as equal on the front: rounding-level differences of one fit.
double rmse_tie(const Eigen::VectorXd& y) { return 1e-12 * std::sqrt(y.squaredNorm() / static_cast<double>(y.size())); }

// Each input k as scales[k]*x_k (op Mul: from the table's units to coherent ones) or
// x_k/scales[k] (op Div: back), left bare where the scale is 1.
std::vector<Expression> scaled_inputs(const std::vector<double>& scales, Op op) {
    std::vector<Expression> out;
    for (std::size_t k = 0; k < scales.size(); ++k) {
        Expression x = Expression::variable(static_cast<std::uint16_t>(k));
        if (scales[k] == 1.0)
            out.push_back(x);
        else if (op == Op::Mul)
            out.push_back(Expression::binary(Op::Mul, Expression::constant(scales[k]), x));
        else
            out.push_back(Expression::binary(Op::Div, x, Expression::constant(scales[k])));
    }
    return out;
}

// Less time than this left after the enumeration: no evolution (it could not get far).
constexpr double kMinEvolutionSeconds = 0.2;
// The structure-guided split gets this share of the time the enumeration leaves; evolution the rest.
constexpr double kStructureShare = 0.4;
// A table whose smooth model misses by more than this fraction of its spread, and by no more
// than 1/kNoiseShare times the noise it estimates, is noisy.
constexpr double kNoisyTable = 1e-3;
constexpr double kNoiseShare = 0.5;
constexpr double kFloorMargin = 1.1;

double remaining(Clock::time_point deadline) {
    return std::max(0.0, std::chrono::duration<double>(deadline - Clock::now()).count());
}

// A formula of the dimensionless search, f(groups), as y = monomial * f(groups) over the inputs.
Expression from_groups(const DimensionalPlan& plan, const Expression& f) {
    return Expression::binary(Op::Mul, *plan.monomial, substitute_variables(f, plan.groups));
}

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
    if (r.memory_limited) line += ", stopped at the memory cap";
    return line;
}

// The least RMSE on (X, y) of the pool's formulas (infinity for an empty pool).
double best_rmse(const Pool& pool, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    Evaluator evaluate;
    double best = std::numeric_limits<double>::infinity();
    for (const Expression& f : pool.formulas) {
        const double rmse = std::sqrt((evaluate(f, X) - y).squaredNorm() / static_cast<double>(y.size()));
        if (std::isfinite(rmse)) best = std::min(best, rmse);
    }
    return best;
}

// A search over a table: enumerate_search, or evolve_search with its seeds.
using SearchFunction =
    std::function<SearchReport(const Eigen::MatrixXd&, const Eigen::VectorXd&, const SearchOptions&)>;

SearchReport enumerate(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SearchOptions& options) {
    return enumerate_search(X, y, options);
}

// The search on the dimensionless problem: y / monomial = f(groups). Its formulas come back as
// monomial * f(groups), over the inputs; the report's front keeps them over the groups.
SearchReport search_groups(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                           SearchOptions options, Pool& pool, const SearchFunction& search = enumerate) {
    Evaluator evaluate;
    Eigen::MatrixXd G(X.rows(), static_cast<Eigen::Index>(plan.groups.size()));
    for (std::size_t g = 0; g < plan.groups.size(); ++g)
        G.col(static_cast<Eigen::Index>(g)) = evaluate(plan.groups[g], X);
    const Eigen::VectorXd m = evaluate(*plan.monomial, X);
    const Eigen::VectorXd yg = y.cwiseQuotient(m);
    options.dimensions.reset();  // every group and the scaled target are pure numbers
    if (!G.allFinite() || !yg.allFinite()) return {};
    SearchReport report = search(G, yg, options);
    for (const Candidate& c : report.front.members()) pool.formulas.push_back(from_groups(plan, c.expression));
    return report;
}

// Turns a stage's progress reports into discover()'s: the stage's best formula is mapped to the
// inputs in the table's units, simplified and scored on the table, and kept on a front of its
// own, so the formula shown is the best of all stages so far. Runs on the calling thread (the
// stages call it between chunks), at most as often as the stages report.
class ProgressRelay {
public:
    using Map = std::function<Expression(const Expression&)>;

    ProgressRelay(const SearchOptions& options, Clock::time_point start, const Problem& problem,
                  const ComplexityModel& model, Map to_table)
        : callback_(options.progress),
          start_(start),
          problem_(problem),
          model_(model),
          to_table_(std::move(to_table)),
          front_(rmse_tie(problem.y)) {}

    // The callback for a stage whose formulas `to_inputs` maps to the inputs (coherent units),
    // after `evaluations_before` evaluations of the earlier stages. Empty if there is no callback.
    std::function<void(const SearchProgress&)> stage(Map to_inputs, std::size_t evaluations_before) {
        if (!callback_) return {};
        return [this, to_inputs = std::move(to_inputs), evaluations_before,
                last = std::optional<std::uint64_t>()](const SearchProgress& s) mutable {
            SearchProgress out;
            out.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
            out.evaluations = evaluations_before + s.evaluations;
            if (s.has_best && last != s.best.hash()) {
                last = s.best.hash();
                Expression e = simplify(to_table_(to_inputs(s.best)));
                if (auto c = score_candidate(std::move(e), problem_.X, problem_.y, model_, evaluator_))
                    front_.insert(std::move(*c));
            }
            if (!front_.empty()) {
                out.has_best = true;
                out.best = front_.best().expression;
                out.rmse = front_.best().rmse;
            }
            callback_(out);
        };
    }

private:
    std::function<void(const SearchProgress&)> callback_;
    Clock::time_point start_;
    const Problem& problem_;
    const ComplexityModel& model_;
    Map to_table_;
    ParetoFront front_;
    Evaluator evaluator_;
};

std::string describe_constant(const PhysicalConstant& c, const UnitSystem& system) {
    std::string s = c.symbol;
    s += " = ";
    s += format_number(c.value.scale);
    s += " ";
    s += system.format_in_units(c.value.dimension);
    if (!c.name.empty()) {
        s += " (";
        s += c.name;
        s += ")";
    }
    return s;
}

}  // namespace

DiscoveryResult discover(const Table& table, std::string_view target, const DiscoverOptions& options) {
    const Clock::time_point start = Clock::now();
    DiscoveryResult result;
    result.target = std::string(target);
    Problem p = select_problem(table, target, options, result);

    SearchOptions search = options.search;
    const Clock::time_point deadline =
        start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(std::max(0.0, search.time_limit_seconds)));

    // Work in the unit system's coherent units: unit scales (km/h, mL) would otherwise hide
    // inside the constants, and the constants of physics are known there.
    Eigen::MatrixXd X = p.X;
    Eigen::VectorXd y = p.y;
    std::vector<double> scales(p.columns.size(), 1.0);
    double target_scale = 1.0;
    std::optional<DimensionalPlan> plan;
    if (options.units) {
        const TableUnits& u = *options.units;
        if (u.columns.size() != table.columns()) throw std::invalid_argument("one unit per table column is needed");
        result.dimensional_analysis = true;
        result.unit_system = u.system.name;
        std::vector<Dimension> dims;
        for (std::size_t c = 0; c < p.columns.size(); ++c) {
            const ScaledDimension& sd = u.columns[p.columns[c]];
            dims.push_back(sd.dimension);
            scales[c] = sd.scale;
            X.col(static_cast<Eigen::Index>(c)) *= sd.scale;
            if (sd.scale != 1.0)
                result.scales_absorbed.push_back(table.names[p.columns[c]] + " [" + table.units[p.columns[c]] +
                                                 "] = " + format_number(sd.scale) + " " +
                                                 u.system.format_in_units(sd.dimension));
        }
        const ScaledDimension& ts = u.columns[p.target_column];
        target_scale = ts.scale;
        y *= ts.scale;
        if (ts.scale != 1.0)
            result.scales_absorbed.push_back(result.target + " [" + table.units[p.target_column] + "] = " +
                                             format_number(ts.scale) + " " + u.system.format_in_units(ts.dimension));
        plan = plan_dimensions(dims, ts.dimension, u.system);
        search.dimensions = plan->constraints;
        for (const auto& g : plan->groups) result.dimensionless_groups.push_back(to_infix(simplify(g), result.inputs));
        if (plan->monomial) result.target_monomial = to_infix(simplify(*plan->monomial), result.inputs);
        if (!plan->constants.empty()) {
            std::string list;
            for (const PhysicalConstant* c : plan->constants) list += (list.empty() ? "" : ", ") + c->symbol;
            result.notes.push_back("the inputs cannot make the target's dimension; constants that complete it: " +
                                   list);
        } else if (plan->unknown_constant) {
            result.constants_introduced.push_back("an unknown dimensional constant (fitted)");
            result.notes.push_back(
                "the inputs cannot make the target's dimension and no constant of the unit system completes it: "
                "the fitted scale is a dimensional constant");
        }
    } else {
        result.notes.push_back("no units: dimensional analysis is off");
    }

    // Back to the table's own units: x_coherent = s*x, y = y_coherent / s_y.
    const std::vector<Expression> to_table = scaled_inputs(scales, Op::Mul);
    auto in_table_units = [&](const Expression& f) {
        Expression e = substitute_variables(f, to_table);
        if (target_scale != 1.0) e = Expression::binary(Op::Div, e, Expression::constant(target_scale));
        return e;
    };
    ComplexityModel model;
    model.operator_count =
        static_cast<int>(search.operators.empty() ? default_search_operators().size() : search.operators.size());
    model.variable_count = static_cast<int>(p.columns.size());
    ProgressRelay relay(options.search, start, p, model, in_table_units);

    // The evaluation budget (0 = none) is shared like the time: stage 1 gets half of it, stage 2
    // what stage 1 left. A stage with nothing left is skipped, so the total never exceeds it.
    const std::size_t budget = options.search.max_evaluations;
    Pool pool;
    // What the evolution (stage 3) starts from: the groups problem searched last and the
    // enumerators' fronts, and whether some stage already found an exact formula.
    std::optional<DimensionalPlan> group_plan;
    std::vector<Expression> group_seeds, input_seeds;
    bool exact = false;
    bool at_noise_floor = false;  // see below: the best formula is as good as noise allows
    auto seeds_of = [](const SearchReport& r) {
        std::vector<Expression> seeds;
        for (const Candidate& c : r.front.members()) seeds.push_back(c.expression);
        return seeds;
    };
    // Stage 0: quick fits (a power law, a sparse low-degree polynomial): milliseconds, and forms
    // the searches reach slowly or not at all (quick_fits.hpp). They join the pool and compete.
    {
        const Clock::time_point quick_start = Clock::now();
        QuickFitOptions qo;
        qo.dimensions = search.dimensions;
        qo.operators = search.operators;
        std::vector<QuickFit> fits = quick_fits(X, y, qo);
        const double seconds = std::chrono::duration<double>(Clock::now() - quick_start).count();
        std::string line = "stage 0, quick fits: ";
        line += std::to_string(fits.size());
        line += " candidates in ";
        line += format_number(std::round(seconds * 1000.0) / 1000.0);
        line += " s";
        const double rms = std::sqrt(y.squaredNorm() / static_cast<double>(std::max<Eigen::Index>(1, y.size())));
        for (QuickFit& f : fits) {
            line += "; ";
            line += f.kind;
            line += " RMSE ";
            line += format_number(f.rmse);
            if (f.rmse <= 1e-12 * rms) {
                exact = true;
                line += " (exact)";
            }
            pool.formulas.push_back(std::move(f.formula));
        }
        result.explanation.push_back(std::move(line));
    }
    // Stage 1: the dimensionless problem, when Buckingham Pi removes variables. It gets half of
    // the time; the search over the inputs themselves (dimensionally pruned) gets the rest.
    // An exact quick fit ends the search (as an exact formula ends each stage): the
    // enumerations would only spend their time confirming it.
    const bool quick_exact = exact && search.stop_when_exact;
    if (!quick_exact && plan && plan->monomial && !plan->groups.empty() && plan->groups.size() < p.columns.size() &&
        (budget == 0 || budget / 2 > 0)) {
        SearchOptions half = search;
        half.time_limit_seconds = remaining(deadline) / 2.0;
        half.max_evaluations = budget / 2;
        half.progress = relay.stage([&](const Expression& f) { return from_groups(*plan, f); }, 0);
        SearchReport r = search_groups(*plan, X, y, half, pool);
        result.evaluations += r.evaluations;
        result.cancelled = result.cancelled || r.cancelled;
        result.evaluation_limit_reached = r.evaluation_limit_reached;
        exact = exact || r.exact;
        group_plan = *plan;
        group_seeds = seeds_of(r);
        result.explanation.push_back(stage_line("stage 1, enumeration over the dimensionless groups", r));
        // Not exact with Buckingham Pi's monomial: try the one that leaves the flattest rest
        // (balance_monomial), with what is left of the stage's time and evaluations.
        DimensionalPlan balanced = *plan;
        balance_monomial(balanced, X, y);
        const double left = half.time_limit_seconds - r.seconds;
        if (!r.exact && !r.cancelled && !r.evaluation_limit_reached && left > 0.0 &&
            balanced.monomial->hash() != plan->monomial->hash()) {
            result.notes.push_back("also searched the groups over the monomial " +
                                   to_infix(simplify(*balanced.monomial), result.inputs));
            SearchOptions rest = half;
            rest.time_limit_seconds = left;
            rest.max_evaluations = budget == 0 ? 0 : budget / 2 - r.evaluations;
            rest.progress =
                relay.stage([&](const Expression& f) { return from_groups(balanced, f); }, result.evaluations);
            SearchReport b = search_groups(balanced, X, y, rest, pool);
            result.evaluations += b.evaluations;
            result.cancelled = result.cancelled || b.cancelled;
            result.evaluation_limit_reached = b.evaluation_limit_reached;
            exact = exact || b.exact;
            group_plan = balanced;
            group_seeds = seeds_of(b);
            result.explanation.push_back(stage_line("stage 1b, the groups over the balanced monomial", b));
        }
    }
    if (!quick_exact && !result.cancelled && (budget == 0 || result.evaluations < budget)) {
        search.time_limit_seconds = remaining(deadline);
        search.max_evaluations = budget == 0 ? 0 : budget - result.evaluations;
        search.progress = relay.stage([](const Expression& f) { return f; }, result.evaluations);
        SearchReport r = enumerate_search(X, y, search);
        result.evaluations += r.evaluations;
        result.cancelled = r.cancelled;
        result.timed_out = r.timed_out;
        result.evaluation_limit_reached = r.evaluation_limit_reached;
        exact = exact || r.exact;
        input_seeds = seeds_of(r);
        pool.add(r.front);
        result.explanation.push_back(stage_line("stage 2, enumeration over the inputs (dimensionally typed)", r));
    } else if (!quick_exact && !result.cancelled) {
        result.evaluation_limit_reached = true;
    }
    // A model-free noise level, in the table's units of y: reported only, no stop uses it yet.
    try {
        NoiseEstimateOptions no;
        no.seed = search.seed;
        const NoiseEstimate noise = estimate_noise(p.X, p.y, no);
        result.noise_estimate = noise.sd;
        result.explanation.push_back("noise estimate (local fits between neighbouring rows, table units): " +
                                     format_number(noise.sd));
    } catch (const std::invalid_argument&) {}  // too few rows: left NaN
    // At the noise floor the search is done: when the table is noisy (a smooth model of it
    // misses by more than 1e-3 of its spread) and the best formula so far is as close to the
    // rows as that model is on rows it did not see, what is left is noise, and neither a split
    // nor evolution can find a formula that beats it by more than chance.
    std::optional<Surrogate> surrogate;
    if (!result.cancelled && !exact && remaining(deadline) >= kMinEvolutionSeconds) {
        SurrogateOptions so;
        so.seed = search.seed;
        try {
            surrogate = Surrogate::fit(X, y, so);
        } catch (const std::invalid_argument&) {}
        if (surrogate) {
            const double best = best_rmse(pool, X, y);
            std::string line = "surrogate: relative validation error ";
            line += format_number(surrogate->relative_validation_error());
            line += ", noise estimate ";
            line += format_number(surrogate->noise_estimate());
            line += ", best formula so far RMSE ";
            line += format_number(best);
            result.explanation.push_back(std::move(line));
            // Noisy means the surrogate's error is mostly the noise it estimates, not a poor
            // fit of a steep law (asin near 1 leaves a smooth model 1e-3 off with no noise at all).
            const bool noisy = surrogate->relative_validation_error() > kNoisyTable &&
                               surrogate->noise_estimate() >= kNoiseShare * surrogate->validation_rmse();
            // The held-out RMSE is itself an estimate (~320 rows: a few % spread), so a formula
            // within kFloorMargin of it is at the floor.
            if (noisy && best <= kFloorMargin * surrogate->validation_rmse()) {
                at_noise_floor = true;
                result.notes.push_back(
                    "the best formula fits as well as a smooth model of the table: the rest is noise");
            }
        }
    }
    // Stage 2b: the structure of the table (separability, symmetry) splits a problem the
    // enumeration could not finish into smaller ones; on the groups problem when stage 1 ran,
    // then on the inputs. A share of the time left; its formulas join the pool and compete there.
    if (!result.cancelled && !exact && !at_noise_floor && remaining(deadline) >= kMinEvolutionSeconds &&
        (budget == 0 || result.evaluations < budget)) {
        const double share = remaining(deadline) * kStructureShare;
        auto split = [&](const Eigen::MatrixXd& A, const Eigen::VectorXd& b, double seconds, const char* what,
                         const std::function<Expression(const Expression&)>& to_inputs) {
            StructureSplitOptions so;
            so.time_limit_seconds = seconds;
            so.cancel = search.cancel;
            so.seed = search.seed;
            so.threads = search.threads;
            so.search.operators = search.operators;
            so.search.max_memory_mb = search.max_memory_mb;
            so.max_evaluations = budget == 0 ? 0 : (budget - result.evaluations) / 2;
            StructureTrace trace;
            std::vector<Expression> found;
            try {
                found = solve_by_structure(A, b, so, &trace);
            } catch (const std::invalid_argument&) {
                return;
            }
            std::string head = "structure of ";
            head += what;
            head += found.empty() ? ": no split" : ": split, " + std::to_string(found.size()) + " candidates";
            result.explanation.push_back(std::move(head));
            for (const StructureStep& step : trace.steps)
                result.explanation.push_back(std::string(2 * static_cast<std::size_t>(step.depth + 1), ' ') +
                                             step.text);
            for (const Expression& f : found) pool.formulas.push_back(to_inputs(f));
        };
        if (group_plan) {
            Evaluator evaluate;
            Eigen::MatrixXd G(X.rows(), static_cast<Eigen::Index>(group_plan->groups.size()));
            for (std::size_t g = 0; g < group_plan->groups.size(); ++g)
                G.col(static_cast<Eigen::Index>(g)) = evaluate(group_plan->groups[g], X);
            const Eigen::VectorXd yg = y.cwiseQuotient(evaluate(*group_plan->monomial, X));
            if (G.allFinite() && yg.allFinite())
                split(G, yg, share / 2.0, "the dimensionless groups",
                      [&](const Expression& f) { return from_groups(*group_plan, f); });
        }
        if (!result.cancelled && remaining(deadline) >= kMinEvolutionSeconds)
            split(X, y, std::min(remaining(deadline), group_plan ? share / 2.0 : share), "the inputs",
                  [](const Expression& f) { return f; });
        if (search.cancel && search.cancel->load()) result.cancelled = true;
    }
    // Stage 3: the enumeration usually ends early (its memory fills after 7 to 9 nodes); the
    // time and evaluations it leaves go to the evolutionary search, seeded with its fronts:
    // half on the groups problem (when stage 1 ran), the rest on the inputs. Skipped once a
    // formula is exact (unless told to go on).
    auto evolution_may_run = [&] {
        return !result.cancelled && !(exact && search.stop_when_exact) && !at_noise_floor &&
               remaining(deadline) >= kMinEvolutionSeconds && (budget == 0 || result.evaluations < budget);
    };
    if (evolution_may_run()) {
        const std::size_t evaluations_before = result.evaluations;
        const Clock::time_point evolution_start = Clock::now();
        const std::size_t left = budget == 0 ? 0 : budget - result.evaluations;
        if (group_plan && (budget == 0 || left / 2 > 0)) {
            SearchOptions half = search;
            half.time_limit_seconds = remaining(deadline) / 2.0;
            half.max_evaluations = left / 2;
            half.progress =
                relay.stage([&](const Expression& f) { return from_groups(*group_plan, f); }, result.evaluations);
            const SearchFunction evolve = [&](const Eigen::MatrixXd& G, const Eigen::VectorXd& yg,
                                              const SearchOptions& o) { return evolve_search(G, yg, o, group_seeds); };
            SearchReport r = search_groups(*group_plan, X, y, half, pool, evolve);
            result.evaluations += r.evaluations;
            result.cancelled = r.cancelled;
            result.evaluation_limit_reached = r.evaluation_limit_reached;
            exact = exact || r.exact;
            result.explanation.push_back(stage_line("stage 3, evolution over the dimensionless groups", r));
        }
        if (evolution_may_run()) {
            search.time_limit_seconds = remaining(deadline);
            search.max_evaluations = budget == 0 ? 0 : budget - result.evaluations;
            search.progress = relay.stage([](const Expression& f) { return f; }, result.evaluations);
            SearchReport r = evolve_search(X, y, search, input_seeds);
            result.evaluations += r.evaluations;
            result.cancelled = r.cancelled;
            result.timed_out = r.timed_out;
            result.evaluation_limit_reached = r.evaluation_limit_reached;
            pool.add(r.front);
            result.explanation.push_back(stage_line("stage 3, evolution over the inputs", r));
        }
        std::string note = "evolutionary search after the enumeration: ";
        note += format_number(std::round(std::chrono::duration<double>(Clock::now() - evolution_start).count() * 10.0) /
                              10.0);
        note += " s, ";
        note += std::to_string(result.evaluations - evaluations_before);
        note += " evaluations";
        result.notes.push_back(std::move(note));
    }

    // Simplify (folding the unit scales into the constants), tidy the constants, snap those that
    // are closed forms of pi (or of the system's constants), and score on the table. The
    // system's constants are known in coherent units only: with any unit scale other than 1
    // the formula's numbers include the scales, so they are not tried then.
    SnapConstantsOptions snap;
    const bool coherent =
        target_scale == 1.0 && std::all_of(scales.begin(), scales.end(), [](double s) { return s == 1.0; });
    if (options.units && coherent) snap.physical_constants = options.units->system.constants;
    std::unordered_map<std::uint64_t, std::vector<SnappedConstant>> snapped;
    ParetoFront front(rmse_tie(p.scoring_y()));
    Evaluator evaluator;
    // The stages often find one formula twice (m*(a/m) over the groups and a over the inputs):
    // polish each canonical form once.
    std::unordered_set<std::uint64_t> seen;
    for (const Expression& f : pool.formulas) {
        Expression simplified = simplify(in_table_units(f));
        if (!seen.insert(canonical(simplified, true).hash()).second) continue;
        // Simplified again after tidying: a constant tidied to 1 or 0 leaves 1*x or x + 0.
        Expression e =
            simplify(tidy_constants(polish_constants(std::move(simplified), p.X, p.y, search.seed), p.X, p.y));
        std::vector<SnappedConstant> snaps;
        if (options.snap_constants) {
            SnapResult s = snap_constants(e, p.X, p.y, model, snap);
            if (!s.snapped.empty()) {
                e = simplify(s.expression);
                snaps = std::move(s.snapped);
            }
        }
        if (auto c = score_candidate(std::move(e), p.scoring_X(), p.scoring_y(), model, evaluator)) {
            const std::uint64_t h = c->expression.hash();
            if (front.insert(std::move(*c)) && !snaps.empty()) snapped[h] = std::move(snaps);
        }
    }

    const Candidate* best = front.empty() ? nullptr : &front.best();
    // Which constant of the table the best law's fitted scale stands for (in coherent units).
    if (best && plan && !plan->constants.empty()) {
        const Expression coherent = substitute_variables(best->expression, scaled_inputs(scales, Op::Div));
        if (const PhysicalConstant* c = constant_used(*plan, coherent)) {
            result.constants_introduced.push_back(describe_constant(*c, options.units->system));
            result.notes.push_back("brought in the constant " + c->symbol +
                                   "; its value is folded into the fitted constant");
        }
    }
    if (best) {
        if (auto it = snapped.find(best->expression.hash()); it != snapped.end()) {
            for (const SnappedConstant& sc : it->second) {
                std::string note = "the constant ";
                note += format_number(sc.original);
                note += " is ";
                note += sc.form;
                if (sc.physical) {
                    note += " = ";
                    note += format_number(sc.value);
                }
                result.notes.push_back(std::move(note));
            }
        }
    }
    for (const Candidate& c : front.members()) {
        FoundLaw law;
        law.expression = c.expression;
        law.formula = to_infix(c.expression, result.inputs);
        law.latex = to_latex(c.expression, result.inputs);
        law.sympy = to_sympy(c.expression, result.inputs);
        law.complexity_bits = c.complexity_bits;
        law.error_bits = c.error_bits;
        law.rmse = c.rmse;
        law.r2 = c.r2;
        law.max_relative_error = c.max_relative_error;
        if (best == &c) result.best = result.front.size();
        result.front.push_back(std::move(law));
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

}  // namespace kepler
