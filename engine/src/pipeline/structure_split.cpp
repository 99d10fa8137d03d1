#include "kepler/pipeline/structure_split.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "../search/wire_format.hpp"
#include "budget.hpp"
#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/search/pareto_front.hpp"
#include "kepler/units/front_consistency.hpp"
#include "structure_split_combine.hpp"
#include "structure_split_prune.hpp"

namespace kepler {

std::string StructureTrace::to_string() const {
    std::string out;
    for (const StructureStep& s : steps) {
        out.append(static_cast<std::size_t>(2 * std::max(0, s.depth)), ' ');
        out += s.text;
        out += '\n';
    }
    return out;
}

namespace {

using structure_split::Combination;
using structure_split::Joint;

// The resolution of the error code (score_candidate's eps, candidate.hpp): a floor for
// ranking, not a rule for exactness (that one is exact_fit.hpp's).
constexpr double kErrorResolution = 1e-9;
// Rows of a part's table (its inputs from the real rows, the others at the central point).
constexpr Eigen::Index kPartRows = 1000;

// Text from pieces, by appending (g++ 12 warns falsely on "literal" + std::string in Release).
template <typename... Pieces>
std::string concat(const Pieces&... pieces) {
    std::string out;
    (out.append(pieces), ...);
    return out;
}

std::string number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", v);
    return buffer;
}

std::string variable_list(const std::vector<std::size_t>& columns, const std::vector<std::string>& names) {
    std::string out = "{";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) out += ",";
        out += names[columns[i]];
    }
    out += "}";
    return out;
}

std::string evidence_text(const StructureEvidence& e) {
    std::string out = "score ";
    out += number(e.score);
    out += ", threshold ";
    out += number(e.threshold);
    out += ", ";
    out += to_string(e.verdict);
    out += ", confidence ";
    out += number(e.confidence);
    return out;
}

// A (sub)problem: its rows and, for the trace, the names of its columns in terms of the
// original inputs (x3, (x0 - x1), ...).
struct Problem {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    std::vector<std::string> names;
};

// Shared by every level: the budget, the trace, the options. A sub-problem opens a
// Budget::Scope with a share of what its parent has left (budget.hpp).
class Context {
public:
    Context(const StructureSplitOptions& options, StructureTrace* trace)
        : budget(options.time_limit_seconds, options.max_evaluations, options.cancel),
          options_(options),
          trace_(trace) {
        model_.operator_count = static_cast<int>(options.search.operators.empty() ? default_search_operators().size()
                                                                                  : options.search.operators.size());
    }

    pipeline::Budget budget;

    const StructureSplitOptions& options() const { return options_; }

    // Ranks in the job (1 without peers) and this one's number.
    int ranks() const { return options_.peers ? options_.peers->size() : 1; }
    int rank() const { return options_.peers ? options_.peers->rank() : 0; }
    Peers* peers() const { return options_.peers; }

    // Whether the current scope is spent or the run cancelled. `together`: every rank asks
    // here (a level the ranks solve in step), so they decide together, or one would wait in a
    // collective the others never reach.
    bool stopped(bool together) const {
        return together && ranks() > 1 ? !all_agree(options_.peers, !budget.stopped()) : budget.stopped();
    }

    // Options for one sub-search with `share` of the current scope; `together`: dealt over the ranks.
    SearchOptions search_options(double share, bool stop_when_exact, bool together) const {
        SearchOptions s = options_.search;
        s.time_limit_seconds = std::max(0.05, budget.seconds_left() * share);
        s.cancel = options_.cancel;
        s.seed = options_.seed;
        s.threads = options_.threads;
        s.stop_when_exact = stop_when_exact;
        s.progress = nullptr;
        s.dimensions.reset();
        s.max_evaluations = budget.evaluation_limit(share);
        s.peers = together ? options_.peers : nullptr;
        return s;
    }
    // As search_options, typed by the dimensions of p's columns where all are known.
    SearchOptions search_options(double share, bool stop_when_exact, bool together,
                                 const std::vector<std::string>& columns) const {
        SearchOptions s = search_options(share, stop_when_exact, together);
        DimensionalConstraints typed;
        typed.scale = DimensionalConstraints::Scale::Free;  // a part's value is a pure number times a free scale
        for (const std::string& name : columns) {
            const auto it = dimensions_.find(name);
            if (it == dimensions_.end()) return s;
            typed.variables.push_back(it->second);
        }
        if (options_.dimensions) s.dimensions = std::move(typed);
        return s;
    }
    // Records the dimension of a column named `name` (a symmetry's combination of two).
    void set_dimension(const std::string& name, const Dimension& d) { dimensions_[name] = d; }
    std::optional<Dimension> dimension(const std::string& name) const {
        const auto it = dimensions_.find(name);
        if (it == dimensions_.end()) return std::nullopt;
        return it->second;
    }
    // Whether a candidate over the whole problem's columns can be consistent (always without units).
    bool consistent(const Expression& e) const {
        if (!options_.dimensions) return true;
        return dimensionally_consistent(e, options_.dimensions->variables, options_.dimensions->target);
    }
    ComplexityModel complexity(std::size_t variables) const {
        ComplexityModel m = model_;
        m.variable_count = static_cast<int>(std::max<std::size_t>(1, variables));
        return m;
    }
    void note(int depth, std::string text) {
        if (trace_ != nullptr) trace_->steps.push_back({depth, std::move(text)});
    }
    // The trace's steps from number `from` on, removed from it (a dealt part's, to be sent).
    std::vector<StructureStep> cut_trace(std::size_t from) {
        std::vector<StructureStep> out;
        if (trace_ == nullptr || from >= trace_->steps.size()) return out;
        out.assign(trace_->steps.begin() + static_cast<std::ptrdiff_t>(from), trace_->steps.end());
        trace_->steps.resize(from);
        return out;
    }
    std::size_t trace_length() const { return trace_ != nullptr ? trace_->steps.size() : 0; }
    void add_steps(const std::vector<StructureStep>& steps) {
        if (trace_ != nullptr) trace_->steps.insert(trace_->steps.end(), steps.begin(), steps.end());
    }

private:
    const StructureSplitOptions& options_;
    StructureTrace* trace_;
    ComplexityModel model_;
    std::unordered_map<std::string, Dimension> dimensions_;  // of the columns met, by name
};

struct Ranked {
    Expression expression;
    double rmse = 0.0;
    double rank = 0.0;  // lower is better
};

// Ranks formulas of one (sub)problem: complexity bits plus the code of a residual at the noise
// floor `floor` (the data's own error: the surrogate's, or the noise), as if 50 rows had to be
// sent. With a floor of 1e-9 rms(y) (ParetoFront::best's) every formula on surrogate data
// would be judged by its error alone, so the most complex would win.
std::vector<Ranked> rank_formulas(const std::vector<Expression>& formulas, const Problem& p, double floor,
                                  const ComplexityModel& model) {
    const double eps = std::max(floor, kErrorResolution * root_mean_square(p.y));
    std::vector<Ranked> out;
    Evaluator evaluate;
    for (const Expression& e : formulas) {
        if (std::any_of(out.begin(), out.end(), [&](const Ranked& r) { return r.expression == e; })) continue;
        const Eigen::VectorXd v = evaluate(e, p.X);
        if (!v.allFinite()) continue;
        const double rmse = root_mean_square(v - p.y);
        out.push_back({e, rmse, model.bits(e) + 50.0 * 0.5 * std::log2(1.0 + (rmse / eps) * (rmse / eps))});
    }
    std::stable_sort(out.begin(), out.end(), [](const Ranked& a, const Ranked& b) { return a.rank < b.rank; });
    return out;
}

// The best `count` by rank, plus the one of least error if it is not among them.
std::vector<Expression> best_of(const std::vector<Ranked>& ranked, std::size_t count) {
    std::vector<Expression> out;
    for (std::size_t i = 0; i < ranked.size() && i < count; ++i) out.push_back(ranked[i].expression);
    const auto least = std::min_element(ranked.begin(), ranked.end(),
                                        [](const Ranked& a, const Ranked& b) { return a.rmse < b.rmse; });
    if (least != ranked.end() && std::find(out.begin(), out.end(), least->expression) == out.end())
        out.push_back(least->expression);
    return out;
}

Eigen::MatrixXd columns_of(const Eigen::MatrixXd& X, const std::vector<std::size_t>& columns) {
    Eigen::MatrixXd out(X.rows(), static_cast<Eigen::Index>(columns.size()));
    for (std::size_t k = 0; k < columns.size(); ++k)
        out.col(static_cast<Eigen::Index>(k)) = X.col(static_cast<Eigen::Index>(columns[k]));
    return out;
}

// Var k of a part's formula is columns[k] of the whole problem.
Expression to_whole(const Expression& part, const std::vector<std::size_t>& columns) {
    std::vector<Expression> replacements;
    for (std::size_t c : columns) replacements.push_back(Expression::variable(static_cast<std::uint16_t>(c)));
    return substitute_variables(part, replacements);
}

// Rows whose target is finite.
Problem finite_rows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::vector<std::string> names) {
    std::vector<Eigen::Index> keep;
    for (Eigen::Index i = 0; i < y.size(); ++i)
        if (std::isfinite(y[i])) keep.push_back(i);
    Problem p{Eigen::MatrixXd(static_cast<Eigen::Index>(keep.size()), X.cols()),
              Eigen::VectorXd(static_cast<Eigen::Index>(keep.size())), std::move(names)};
    for (std::size_t r = 0; r < keep.size(); ++r) {
        p.X.row(static_cast<Eigen::Index>(r)) = X.row(keep[r]);
        p.y[static_cast<Eigen::Index>(r)] = y[keep[r]];
    }
    return p;
}

// exact_data: p's y are real rows (else surrogate values of a part). together: every rank
// solves p in step (Context::stopped); else this rank alone.
std::vector<Expression> split(Context& ctx, const Problem& p, int depth, double noise_floor, bool exact_data,
                              bool together);

// One (sub)problem solved: the enumerator first; where it leaves the fit short of the data's
// own error and depth allows, split again. Formulas over p's columns, best first. With
// `share` of the time and evaluations left, and at most `evaluations` of the latter.
std::vector<Expression> solve_part(Context& ctx, const Problem& p, int depth, double floor, bool exact_data,
                                   double share, bool together,
                                   std::size_t evaluations = pipeline::Budget::kUnlimited) {
    if (ctx.stopped(together) || p.X.rows() == 0) return {};
    const pipeline::Budget::Scope scope(ctx.budget, share, evaluations);
    const bool may_split = depth > 0 && p.X.cols() >= 2;
    SearchReport report =
        enumerate_search(p.X, p.y, ctx.search_options(may_split ? 0.5 : 1.0, exact_data, together, p.names));
    ctx.budget.spend(report.evaluations);
    std::vector<Expression> formulas;
    for (const Candidate& c : report.front.members()) formulas.push_back(c.expression);
    const ComplexityModel model = ctx.complexity(static_cast<std::size_t>(p.X.cols()));
    std::vector<Ranked> ranked = rank_formulas(formulas, p, floor, model);
    const double best_rmse = ranked.empty()
                                 ? std::numeric_limits<double>::infinity()
                                 : std::min_element(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
                                       return a.rmse < b.rmse;
                                   })->rmse;
    // Good enough: within a few times the data's own error.
    const bool good = best_rmse <= std::max(3.0 * floor, exact_rmse_bound(root_mean_square(p.y)));
    if (may_split && !good && !ctx.stopped(together)) {
        std::vector<Expression> more = split(ctx, p, depth, exact_data ? floor : 0.0, exact_data, together);
        formulas.insert(formulas.end(), more.begin(), more.end());
        ranked = rank_formulas(formulas, p, floor, model);
    }
    return best_of(ranked, ctx.options().candidates_per_part);
}

// The real row (inside the probe box) whose |y| is at the 75th percentile of those rows: the
// other groups are held there while one group's data are read off the surrogate, away from
// zeros of a factor and from the box's edges.
Eigen::RowVectorXd central_point(const StructureModel& model, const Problem& p) {
    std::vector<Eigen::Index> inside;
    for (Eigen::Index i = 0; i < p.X.rows(); ++i) {
        bool in = true;
        for (Eigen::Index k = 0; k < p.X.cols() && in; ++k)
            in = p.X(i, k) >= model.lower()[k] && p.X(i, k) <= model.upper()[k];
        if (in) inside.push_back(i);
    }
    if (inside.empty()) return 0.5 * (model.lower() + model.upper()).transpose();
    std::sort(inside.begin(), inside.end(), [&](Eigen::Index a, Eigen::Index b) {
        return std::abs(p.y[a]) < std::abs(p.y[b]) || (std::abs(p.y[a]) == std::abs(p.y[b]) && a < b);
    });
    return p.X.row(inside[(inside.size() * 3) / 4]);
}

// Combinations of one formula per part: every one when there are at most 27, else the best of
// each part and each alternative of one part with the best of the others.
std::vector<std::vector<std::size_t>> combinations_of(const std::vector<std::size_t>& counts) {
    std::size_t total = 1;
    for (std::size_t c : counts) total *= c;
    std::vector<std::vector<std::size_t>> out;
    if (total <= 27) {
        std::vector<std::size_t> pick(counts.size(), 0);
        for (std::size_t n = 0; n < total; ++n) {
            out.push_back(pick);
            for (std::size_t i = 0; i < pick.size(); ++i) {
                if (++pick[i] < counts[i]) break;
                pick[i] = 0;
            }
        }
        return out;
    }
    out.emplace_back(counts.size(), 0);
    for (std::size_t i = 0; i < counts.size(); ++i)
        for (std::size_t j = 1; j < counts[i]; ++j) {
            std::vector<std::size_t> pick(counts.size(), 0);
            pick[i] = j;
            out.push_back(pick);
        }
    return out;
}

// Group g's part of p read off the surrogate: the group's inputs from the real rows, the
// others held at the centre; its floor is the surrogate's error in the part's units
// (relative when the surrogate models log|y|).
struct SurrogatePart {
    Problem problem;
    double floor = 0.0;
};

SurrogatePart surrogate_part(const Problem& p, const StructureModel& model, const Eigen::RowVectorXd& centre,
                             const std::vector<std::size_t>& group) {
    const Eigen::Index rows = std::min<Eigen::Index>(kPartRows, p.X.rows());
    Eigen::MatrixXd P = centre.replicate(rows, 1);
    for (std::size_t c : group) P.col(static_cast<Eigen::Index>(c)) = p.X.col(static_cast<Eigen::Index>(c)).head(rows);
    SurrogatePart part;
    part.problem.X = columns_of(P, group);
    part.problem.y = model.predict(P);
    for (std::size_t c : group) part.problem.names.push_back(p.names[c]);
    const double error = model.surrogate().validation_rmse();
    part.floor = model.log_target() ? error * root_mean_square(part.problem.y) : error;
    return part;
}

// What solving one dealt part gave on its rank, as the others receive it.
struct DealtPart {
    std::vector<Expression> formulas;
    std::vector<StructureStep> steps;  // the trace of its search, for rank 0's explanation
    std::size_t evaluations = 0;
};

// The parts of y the surrogate gives, one rank each: part g on rank g mod N, alone. A rank's
// parts share half its time, as one process's do; each part may spend an equal share of half
// the evaluations, fixed before the ranks part, so the job keeps its budget and, bounded by
// evaluations, its result does not depend on timing. One all_gather then gives every rank
// every part, and each counts the others' evaluations as spent: the ranks go on in step.
std::vector<DealtPart> deal_surrogate_parts(Context& ctx, const Problem& p, const StructureModel& model,
                                            const Eigen::RowVectorXd& centre,
                                            const std::vector<std::vector<std::size_t>>& groups, int depth) {
    const auto count = groups.size();
    const auto ranks = static_cast<std::size_t>(ctx.ranks()), me = static_cast<std::size_t>(ctx.rank());
    const std::size_t per_part = ctx.budget.evaluations_left(0.5 / static_cast<double>(count));
    std::size_t mine_left = 0;
    for (std::size_t g = me; g < count; g += ranks) ++mine_left;
    ByteWriter out;
    for (std::size_t g = me; g < count; g += ranks, --mine_left) {
        const SurrogatePart part = surrogate_part(p, model, centre, groups[g]);
        const std::size_t steps_before = ctx.trace_length(), left_before = ctx.budget.evaluations_left();
        const std::vector<Expression> found = solve_part(ctx, part.problem, depth - 1, part.floor, false,
                                                         0.5 / static_cast<double>(mine_left), false, per_part);
        out.put<std::uint64_t>(g);
        out.put<std::uint64_t>(left_before == pipeline::Budget::kUnlimited
                                   ? 0
                                   : left_before - std::min(left_before, ctx.budget.evaluations_left()));
        out.put<std::uint64_t>(found.size());
        for (const Expression& e : found) detail::put_expression(out, e);
        const std::vector<StructureStep> steps = ctx.cut_trace(steps_before);
        out.put<std::uint64_t>(steps.size());
        for (const StructureStep& step : steps) {
            out.put<std::int32_t>(step.depth);
            out.put_string(step.text);
        }
    }
    std::vector<DealtPart> parts(count);
    const std::vector<std::string> all = ctx.peers()->all_gather(out.take());
    for (std::size_t r = 0; r < all.size(); ++r) {
        ByteReader in(all[r]);
        while (!in.at_end()) {
            DealtPart& part = parts.at(in.get<std::uint64_t>());
            part.evaluations = in.get<std::uint64_t>();
            for (auto n = in.get<std::uint64_t>(); n > 0; --n) part.formulas.push_back(detail::get_expression(in));
            for (auto n = in.get<std::uint64_t>(); n > 0; --n) {
                const int step_depth = in.get<std::int32_t>();
                part.steps.push_back({step_depth, in.get_string()});
            }
            if (r != me) ctx.budget.spend(part.evaluations);
        }
    }
    return parts;
}

// Each group's formulas over p's columns, read off the surrogate and solved (dealt over the
// ranks when they work together); none when a part found nothing.
std::optional<std::vector<std::vector<Expression>>> parts_from_surrogate(
    Context& ctx, const Problem& p, const StructureModel& model, const std::vector<std::vector<std::size_t>>& groups,
    int depth, bool together) {
    const Eigen::RowVectorXd centre = central_point(model, p);
    const bool dealt = together && ctx.ranks() > 1;
    std::vector<DealtPart> dealt_parts;
    if (dealt) {
        ctx.note(depth, concat("parts dealt over ", std::to_string(ctx.ranks()), " ranks"));
        dealt_parts = deal_surrogate_parts(ctx, p, model, centre, groups, depth);
    }
    std::vector<std::vector<Expression>> alternatives;  // per group, over p's columns
    for (std::size_t g = 0; g < groups.size(); ++g) {
        std::vector<Expression> found;
        std::vector<std::string> names;
        for (std::size_t c : groups[g]) names.push_back(p.names[c]);
        if (dealt) {
            ctx.add_steps(dealt_parts[g].steps);
            found = std::move(dealt_parts[g].formulas);
        } else {
            if (ctx.budget.stopped()) return std::nullopt;
            const SurrogatePart part = surrogate_part(p, model, centre, groups[g]);
            // Half of what is left is shared by the parts; the rest is for the exact searches.
            const double share = 0.5 / static_cast<double>(groups.size() - g);
            found = solve_part(ctx, part.problem, depth - 1, part.floor, false, share, false);
        }
        if (found.empty()) {
            ctx.note(depth, concat("part ", variable_list(groups[g], p.names), ": nothing found"));
            return std::nullopt;
        }
        ctx.note(depth, concat("part ", variable_list(groups[g], p.names),
                               " from the surrogate: ", to_infix(found.front(), names)));
        std::vector<Expression> whole;
        for (const Expression& e : found) whole.push_back(to_whole(e, groups[g]));
        alternatives.push_back(std::move(whole));
    }
    return alternatives;
}

// y = g_1(x_G1) * ... or + ...: each part from the surrogate, combined, refitted; then each
// part searched again on exact data from the real rows given the others.
std::vector<Expression> separable_split(Context& ctx, const Problem& p, const StructureModel& model, Joint joint,
                                        const std::vector<std::vector<std::size_t>>& groups, int depth,
                                        double noise_floor, bool exact_data, bool together) {
    std::optional<std::vector<std::vector<Expression>>> parts =
        parts_from_surrogate(ctx, p, model, groups, depth, together);
    if (!parts) return {};
    const std::vector<std::vector<Expression>>& alternatives = *parts;

    // Combine on (at most) max_rows real rows and keep the best combination.
    std::vector<Expression> results;
    std::optional<Combination> best;
    std::vector<Expression> best_parts;
    auto consider = [&](const std::vector<Expression>& parts) {
        std::optional<Combination> c = structure_split::combine_parts(joint, parts, p.X, p.y, ctx.options().seed);
        if (!c) return;
        results.push_back(c->formula);
        if (!best || c->rmse < best->rmse) {
            best = std::move(c);
            best_parts = parts;
        }
    };
    std::vector<std::size_t> counts;
    for (const auto& a : alternatives) counts.push_back(a.size());
    for (const std::vector<std::size_t>& pick : combinations_of(counts)) {
        if (ctx.stopped(together)) break;
        std::vector<Expression> parts;
        for (std::size_t g = 0; g < pick.size(); ++g) parts.push_back(alternatives[g][pick[g]]);
        consider(parts);
    }
    if (!best) return results;
    const double exact = exact_rmse_bound(root_mean_square(p.y));
    ctx.note(depth, concat("combined: relative rmse ", number(best->rmse / root_mean_square(p.y)), ": ",
                           to_infix(best->formula, p.names)));

    // Each part again, on exact data: what the real rows leave for it once the others are
    // known. A part whose surrogate data hid its exact form (constants, or a formula the
    // surrogate's error made look no better than a simpler one) is found here.
    // With noise the combination is soon within the noise, yet its parts may be overfitted
    // shapes of the surrogate's error: they are searched again all the same.
    // (Not when p itself is surrogate data: the parent does it on the real rows.)
    for (std::size_t g = 0; g < groups.size() && exact_data && best->rmse > exact; ++g) {
        if (ctx.stopped(together)) break;
        Problem part =
            finite_rows(columns_of(p.X, groups[g]), structure_split::residual_for_part(joint, *best, g, p.X, p.y), {});
        for (std::size_t c : groups[g]) part.names.push_back(p.names[c]);
        if (part.X.rows() < 10) continue;
        const double share = 1.0 / static_cast<double>(groups.size() - g);
        // The noise, in the part's units (divided by the other factors for a product).
        const double floor =
            joint == Joint::product ? noise_floor * root_mean_square(part.y) / root_mean_square(p.y) : noise_floor;
        const std::vector<Expression> found = solve_part(ctx, part, depth - 1, floor, true, share, together);
        if (found.empty()) continue;
        ctx.note(depth, concat("part ", variable_list(groups[g], p.names),
                               " from the rows: ", to_infix(found.front(), part.names)));
        const std::vector<Expression> fixed = best_parts;
        for (const Expression& e : found) {
            std::vector<Expression> parts = fixed;
            parts[g] = to_whole(e, groups[g]);
            consider(parts);
        }
    }
    ctx.note(depth, concat("split result: relative rmse ", number(best->rmse / root_mean_square(p.y)), ": ",
                           to_infix(best->formula, p.names)));
    return results;
}

// y(x_i, x_j, rest) = f(x_i op x_j, rest): the new column from the real rows, solved, and the
// combination substituted back.
std::vector<Expression> symmetry_split(Context& ctx, const Problem& p, const SymmetryResult& s, int depth,
                                       double noise_floor, bool together) {
    const auto i = static_cast<Eigen::Index>(s.i), j = static_cast<Eigen::Index>(s.j);
    Problem reduced;
    std::vector<std::size_t> kept;
    for (Eigen::Index k = 0; k < p.X.cols(); ++k)
        if (k != i && k != j) kept.push_back(static_cast<std::size_t>(k));
    reduced.X.resize(p.X.rows(), static_cast<Eigen::Index>(kept.size() + 1));
    for (std::size_t k = 0; k < kept.size(); ++k)
        reduced.X.col(static_cast<Eigen::Index>(k)) = p.X.col(static_cast<Eigen::Index>(kept[k]));
    reduced.X.col(reduced.X.cols() - 1) = combine(s.combination, p.X.col(i), p.X.col(j));
    reduced.y = p.y;
    if (!reduced.X.allFinite()) return {};
    for (std::size_t k : kept) reduced.names.push_back(p.names[k]);
    static constexpr const char* kSymbol[] = {" - ", " + ", "*", "/"};
    std::string name = concat(std::string("("), p.names[s.i], std::string(kSymbol[static_cast<int>(s.combination)]),
                              p.names[s.j], std::string(")"));
    reduced.names.push_back(name);
    if (const auto di = ctx.dimension(p.names[s.i]), dj = ctx.dimension(p.names[s.j]); di && dj) {
        if (s.combination == kepler::Combination::product)
            ctx.set_dimension(name, *di * *dj);
        else if (s.combination == kepler::Combination::ratio)
            ctx.set_dimension(name, *di / *dj);
        else if (*di == *dj)
            ctx.set_dimension(name, *di);
    }

    const std::vector<Expression> found = solve_part(ctx, reduced, depth, noise_floor, true, 1.0, together);
    std::vector<Expression> replacements;
    for (std::size_t k : kept) replacements.push_back(Expression::variable(static_cast<std::uint16_t>(k)));
    static constexpr Op kOp[] = {Op::Sub, Op::Add, Op::Mul, Op::Div};
    replacements.push_back(Expression::binary(kOp[static_cast<int>(s.combination)],
                                              Expression::variable(static_cast<std::uint16_t>(s.i)),
                                              Expression::variable(static_cast<std::uint16_t>(s.j))));
    std::vector<Expression> out;
    for (const Expression& e : found) out.push_back(substitute_variables(e, replacements));
    if (!found.empty()) ctx.note(depth, concat("symmetry result: ", to_infix(found.front(), reduced.names)));
    return out;
}

// The structure of p, and the splits that hold, tried in order of payoff. depth >= 1.
std::vector<Expression> split(Context& ctx, const Problem& p, int depth, double noise_floor, bool exact_data,
                              bool together) {
    if (p.X.cols() < 2 || ctx.stopped(together)) return {};
    const StructureSplitOptions& options = ctx.options();
    StructureOptions structure = options.structure;
    structure.seed = options.seed;
    structure.surrogate.seed = options.seed;
    std::optional<StructureModel> fitted;
    try {
        fitted.emplace(StructureModel::fit(p.X, p.y, structure));
    } catch (const std::invalid_argument& e) {
        ctx.note(depth, concat("no surrogate: ", e.what()));
        return {};
    }
    const StructureModel& model = *fitted;
    const Surrogate& s = model.surrogate();
    {
        std::string text = "surrogate of ";
        text += model.log_target() ? "log|y|" : "y";
        text += " over ";
        std::vector<std::size_t> all(static_cast<std::size_t>(p.X.cols()));
        std::iota(all.begin(), all.end(), std::size_t{0});
        text += variable_list(all, p.names);
        text += ": relative validation error ";
        text += number(s.relative_validation_error());
        text += ", noise estimate ";
        text += number(s.noise_estimate());
        ctx.note(depth, std::move(text));
    }
    // Nothing smooth was learned when the validation error is poor and the noise does not
    // explain it.
    if (s.relative_validation_error() > options.max_validation_error &&
        s.validation_rmse() > 1.5 * s.noise_estimate()) {
        ctx.note(depth, "surrogate too poor for structure tests: no split");
        return {};
    }
    // The noise level in y's units, unless the caller knows it (a log|y| model's noise is
    // relative: a rough figure for y, but only used to tell "within the noise").
    if (noise_floor == 0.0)
        noise_floor = model.log_target() ? s.noise_estimate() * root_mean_square(p.y) : s.noise_estimate();

    std::vector<Expression> out;
    const double exact = std::max(3.0 * noise_floor, exact_rmse_bound(root_mean_square(p.y)));
    Evaluator evaluate;
    auto solved = [&] {
        for (const Expression& e : out)
            if (root_mean_square(evaluate(e, p.X) - p.y) <= exact) return true;
        return false;
    };
    auto holds = [&](const StructureEvidence& e) {
        return e.verdict == StructureVerdict::holds && e.confidence >= options.min_confidence;
    };

    for (const Separation separation : {Separation::multiplicative, Separation::additive}) {
        if (ctx.stopped(together) || solved()) break;
        const SeparabilityResult r = find_separability(model, separation);
        std::string text = to_string(separation);
        text += " separability: ";
        if (r.groups.size() >= 2) {
            text += std::to_string(r.groups.size());
            text += " groups";
            for (const auto& g : r.groups) text += concat(" ", variable_list(g, p.names));
        } else {
            text += concat("one group; nearest split ", variable_list(r.first, p.names), " | ",
                           variable_list(r.second, p.names));
        }
        text += " (";
        text += evidence_text(r.evidence);
        text += ")";
        ctx.note(depth, std::move(text));
        if (!holds(r.evidence) || r.first.empty() || r.second.empty()) continue;
        // The finest groups; or, where the pairwise interactions join everything into one
        // group but the spectral cut itself holds, that two-way split.
        const std::vector<std::vector<std::size_t>> groups =
            r.groups.size() >= 2 ? r.groups : std::vector<std::vector<std::size_t>>{r.first, r.second};
        const Joint joint = separation == Separation::multiplicative ? Joint::product : Joint::sum;
        const pipeline::Budget::Scope scope(ctx.budget, 0.7);
        std::vector<Expression> found =
            separable_split(ctx, p, model, joint, groups, depth, noise_floor, exact_data, together);
        out.insert(out.end(), found.begin(), found.end());
    }

    if (!ctx.stopped(together) && !solved()) {
        const std::vector<SymmetryResult> symmetries = find_symmetries(model);
        std::vector<SymmetryResult> usable;
        for (const SymmetryResult& r : symmetries)
            if (holds(r.evidence)) usable.push_back(r);
        std::string text = "symmetries: ";
        text += usable.empty() ? std::string("none") : std::to_string(usable.size());
        ctx.note(depth, std::move(text));
        // The most confident first; the second only if the first did not solve it.
        for (std::size_t n = 0; n < usable.size() && n < 2 && !ctx.stopped(together) && !solved(); ++n) {
            const SymmetryResult& r = usable[n];
            std::string step = "symmetry in ";
            step += p.names[r.i];
            step += " ";
            step += to_string(r.combination);
            step += " ";
            step += p.names[r.j];
            step += " (";
            step += evidence_text(r.evidence);
            step += ")";
            ctx.note(depth, std::move(step));
            const pipeline::Budget::Scope scope(ctx.budget, n == 0 && usable.size() > 1 ? 0.7 : 1.0);
            std::vector<Expression> found = symmetry_split(ctx, p, r, depth, noise_floor, together);
            out.insert(out.end(), found.begin(), found.end());
        }
    }
    return out;
}

// Rank 0's formulas, on every rank: the pruning above rests on each rank's clock, and the
// ranks must go on with the same pool.
std::vector<Expression> rank_zeros(Peers& peers, const std::vector<Expression>& formulas) {
    ByteWriter out;
    if (peers.rank() == 0) {
        out.put<std::uint64_t>(formulas.size());
        for (const Expression& e : formulas) detail::put_expression(out, e);
    }
    const std::vector<std::string> all = peers.all_gather(out.take());
    ByteReader in(all.front());
    std::vector<Expression> zeros;
    for (auto n = in.get<std::uint64_t>(); n > 0; --n) zeros.push_back(detail::get_expression(in));
    return zeros;
}

// Up to max_rows rows spread evenly over the table.
Problem working_rows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::size_t max_rows) {
    Problem p;
    const Eigen::Index n = X.rows();
    const auto limit = static_cast<Eigen::Index>(std::max<std::size_t>(1, max_rows));
    if (n <= limit) {
        p.X = X;
        p.y = y;
    } else {
        p.X.resize(limit, X.cols());
        p.y.resize(limit);
        for (Eigen::Index i = 0; i < limit; ++i) {
            const Eigen::Index r = (i * n) / limit;
            p.X.row(i) = X.row(r);
            p.y[i] = y[r];
        }
    }
    for (Eigen::Index k = 0; k < X.cols(); ++k) {
        std::string name = "x";
        name += std::to_string(k);
        p.names.push_back(std::move(name));
    }
    return p;
}

}  // namespace

std::vector<Expression> solve_by_structure(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                           const StructureSplitOptions& options, StructureTrace* trace) {
    if (X.rows() != y.size()) throw std::invalid_argument("solve_by_structure: X and y have different row counts");
    if (!X.allFinite() || !y.allFinite()) throw std::invalid_argument("solve_by_structure: X and y must be finite");
    if (X.cols() < 2 || X.rows() < 10) return {};
    Context ctx(options, trace);
    const Problem p = working_rows(X, y, options.max_rows);
    if (options.dimensions) {
        if (options.dimensions->variables.size() != static_cast<std::size_t>(X.cols()))
            throw std::invalid_argument("solve_by_structure: one dimension per column of X expected");
        for (std::size_t k = 0; k < p.names.size(); ++k)
            ctx.set_dimension(p.names[k], options.dimensions->variables[k]);
    }
    std::vector<Expression> found;
    {
        const pipeline::Budget::Scope scope(ctx.budget, 0.9);  // the rest is for pruning the best results' constants
        found = split(ctx, p, std::max(1, options.max_depth), 0.0, true, true);
    }

    // Best first by total description length on all rows; each formula once.
    const ComplexityModel model = ctx.complexity(static_cast<std::size_t>(X.cols()));
    Evaluator evaluate;
    std::vector<Candidate> scored;
    auto add = [&](const Expression& e) {
        const Expression tidy = simplify(e);
        if (!ctx.consistent(tidy)) return;
        if (std::any_of(scored.begin(), scored.end(), [&](const Candidate& c) { return c.expression == tidy; })) return;
        if (std::optional<Candidate> c = score_candidate(tidy, X, y, model, evaluate)) scored.push_back(std::move(*c));
    };
    auto by_total_bits = [&] {
        std::stable_sort(scored.begin(), scored.end(), [](const Candidate& a, const Candidate& b) {
            return ParetoFront::total_bits(a) < ParetoFront::total_bits(b);
        });
    };
    for (const Expression& e : found) add(e);
    by_total_bits();
    // The best few without the constants the combination did not need (a cheap LM each).
    const std::size_t prune = std::min<std::size_t>(scored.size(), 5);
    // Time and cancel only: pruning is not enumeration, a run bounded by evaluations prunes too.
    const std::function<bool()> stop = [&] { return ctx.budget.cancelled() || ctx.budget.seconds_left() <= 0.0; };
    for (std::size_t i = 0; i < prune && !stop(); ++i)
        add(structure_split::prune_constants(scored[i].expression, p.X, p.y, options.seed, stop));
    by_total_bits();
    std::vector<Expression> out;
    for (Candidate& c : scored) out.push_back(std::move(c.expression));
    return ctx.ranks() > 1 ? rank_zeros(*options.peers, out) : out;
}

}  // namespace kepler
