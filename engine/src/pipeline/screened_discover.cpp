#include "kepler/pipeline/screened_discover.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "budget.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/screen/screen_memory.hpp"
#include "kepler/search/pareto_front.hpp"
#include "stage_report.hpp"

namespace kepler {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string fmt(const char* format, double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, v);
    return buffer;
}

// The best laws of the attempts, rescored on the rows where the target and every channel tried
// have values, as candidates over the union of the channels.
struct CommonRows {
    std::vector<std::size_t> columns;  // union of the attempts' inputs, table columns
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

CommonRows common_rows(const Table& table, std::size_t target, const std::vector<std::vector<std::size_t>>& subsets) {
    CommonRows c;
    for (const auto& s : subsets)
        for (std::size_t col : s)
            if (std::find(c.columns.begin(), c.columns.end(), col) == c.columns.end()) c.columns.push_back(col);
    std::vector<Eigen::Index> rows;
    for (Eigen::Index r = 0; r < table.data.rows(); ++r) {
        bool ok = std::isfinite(table.data(r, static_cast<Eigen::Index>(target)));
        for (std::size_t col : c.columns) ok = ok && std::isfinite(table.data(r, static_cast<Eigen::Index>(col)));
        if (ok) rows.push_back(r);
    }
    c.X.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(c.columns.size()));
    c.y.resize(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        c.y(static_cast<Eigen::Index>(i)) = table.data(rows[i], static_cast<Eigen::Index>(target));
        for (std::size_t k = 0; k < c.columns.size(); ++k)
            c.X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) =
                table.data(rows[i], static_cast<Eigen::Index>(c.columns[k]));
    }
    return c;
}

}  // namespace

std::vector<std::size_t> candidate_columns(const Table& table, std::size_t target,
                                           const std::vector<std::string>& inputs) {
    std::vector<std::size_t> out;
    if (inputs.empty()) {
        for (std::size_t j = 0; j < table.columns(); ++j)
            if (j != target && !table.is_timestamp(j)) out.push_back(j);
        return out;
    }
    for (const auto& name : inputs) {
        const std::size_t j = table.require_column(name, "input");
        if (j == target) throw std::invalid_argument(std::string("the target '") + name + "' cannot also be an input");
        out.push_back(j);
    }
    return out;
}

namespace {

SubsetAttempt skipped(const Table& table, const std::vector<std::size_t>& subset, std::string outcome) {
    SubsetAttempt a;
    for (std::size_t c : subset) a.inputs.push_back(table.names[c]);
    a.total_bits = std::numeric_limits<double>::infinity();
    a.outcome = std::move(outcome);
    return a;
}

void fill_law(SubsetAttempt& attempt, const FoundLaw& law) {
    attempt.formula = law.formula;
    attempt.rmse = law.rmse;
    attempt.r2 = law.r2;
    attempt.complexity_bits = law.complexity_bits;
}

// Too few rows to tell channels apart: every candidate is searched, as without screening.
ScreenedDiscoveryResult not_screened(const Table& table, std::string_view target,
                                     const std::vector<std::size_t>& candidates, std::size_t with_target,
                                     const ScreenedDiscoverOptions& options) {
    ScreenedDiscoveryResult out;
    out.screening.target = std::string(target);
    out.screening.candidates = candidates.size();
    out.screening.rows_with_target = with_target;
    out.screening.notes.push_back(std::string("not screened: only ") + std::to_string(with_target) +
                                  " rows have a value of " + out.screening.target + " (at least " +
                                  std::to_string(options.screen.min_readings) +
                                  " are needed); every candidate is searched");
    DiscoverOptions d = options.discover;
    d.inputs.clear();
    for (std::size_t c : candidates) d.inputs.push_back(table.names[c]);
    out.discovery = discover(table, target, d);
    SubsetAttempt all;
    all.inputs = out.discovery.inputs;
    if (const FoundLaw* law = out.discovery.best_law()) fill_law(all, *law);
    all.total_bits = std::numeric_limits<double>::quiet_NaN();
    all.seconds = out.discovery.seconds;
    all.evaluations = out.discovery.evaluations;
    all.outcome = "every candidate (not screened)";
    out.attempts.push_back(std::move(all));
    return out;
}

// The subsets to try: the proposals, or, if screening proposed none, the best-ranked few;
// with each its response-surface RMSE (infinity if unknown).
struct SubsetPlan {
    std::vector<std::vector<std::size_t>> subsets;
    std::vector<double> surface_rmse;
};

SubsetPlan plan_subsets(const ScreenReport& report, std::string_view target) {
    SubsetPlan plan;
    for (const ChannelSubset& s : report.subsets) {
        plan.subsets.push_back(s.columns);
        plan.surface_rmse.push_back(s.rmse);
    }
    if (plan.subsets.empty()) {
        std::vector<std::size_t> ranked = report.ranking();
        if (ranked.empty())
            throw std::invalid_argument(std::string("screening left no usable input channel for '") +
                                        std::string(target) +
                                        "' (every candidate is constant, a duplicate or has too few readings)");
        ranked.resize(std::min<std::size_t>(ranked.size(), 4));
        plan.subsets.push_back(ranked);
        plan.surface_rmse.push_back(std::numeric_limits<double>::infinity());
    }
    return plan;
}

// The RMS of the target's finite values: the scale of the exact rule.
double target_rms(const Table& table, std::size_t target_column) {
    const Eigen::VectorXd col = table.data.col(static_cast<Eigen::Index>(target_column));
    std::vector<double> finite;
    for (Eigen::Index i = 0; i < col.size(); ++i)
        if (std::isfinite(col(i))) finite.push_back(col(i));
    return root_mean_square(Eigen::Map<const Eigen::VectorXd>(finite.data(), static_cast<Eigen::Index>(finite.size())));
}

// Subset i's discover() options: its inputs, `share` of the budget left, and progress reported
// over the candidate list from the start of the whole run.
DiscoverOptions subset_options(const Table& table, const ScreenedDiscoverOptions& options,
                               const std::vector<std::size_t>& subset, const std::vector<std::size_t>& candidates,
                               const pipeline::Budget& budget, double share, double offset,
                               std::size_t evaluations_before) {
    DiscoverOptions d = options.discover;
    d.inputs.clear();
    for (std::size_t c : subset) d.inputs.push_back(table.names[c]);
    d.search.time_limit_seconds = budget.seconds_left() * share;
    if (budget.evaluations_left() != pipeline::Budget::kUnlimited)
        d.search.max_evaluations = budget.evaluation_limit(share);
    if (const auto& callback = options.discover.search.progress) {
        std::vector<Expression> to_candidates;
        for (std::size_t c : subset) {
            const auto k =
                static_cast<std::uint16_t>(std::find(candidates.begin(), candidates.end(), c) - candidates.begin());
            to_candidates.push_back(Expression::variable(k));
        }
        d.search.progress = [callback, to_candidates, offset, evaluations_before](const SearchProgress& p) {
            SearchProgress q = p;
            q.seconds += offset;
            q.evaluations += evaluations_before;
            if (q.has_best) q.best = substitute_variables(p.best, to_candidates);
            callback(q);
        };
    }
    return d;
}

// Whether the run stops after subset i's law, and why (in words): it is exact (exact_fit.hpp),
// or no later subset's response surface fits better.
bool stops_after(SubsetAttempt& attempt, const FoundLaw& law, double y_rms, const SubsetPlan& plan, std::size_t i) {
    double later = std::numeric_limits<double>::infinity();
    for (std::size_t j = i + 1; j < plan.subsets.size(); ++j) later = std::min(later, plan.surface_rmse[j]);
    const bool last = i + 1 == plan.subsets.size();
    if (is_exact_fit(law.rmse, y_rms)) {
        attempt.outcome = "exact: stopped here";
        return true;
    }
    if (!last && law.rmse <= 1.05 * later) {
        attempt.outcome = std::string("fits as well as any later subset's response surface (RMSE ") +
                          fmt("%.3g", law.rmse) + " against " + fmt("%.3g", later) + "): stopped here";
        return true;
    }
    attempt.outcome = last ? std::string("the last subset")
                           : std::string("a later subset's response surface fits better (RMSE ") + fmt("%.3g", later) +
                                 " against the law's " + fmt("%.3g", law.rmse) + "): going on";
    return false;
}

// Each subset's discovery in turn, within the budget, until one is good enough (stops_after)
// or the budget is spent; `out.attempts` gets one line for every subset, tried or not.
// `totals` takes in each discovery's evaluations and flags (stage_report.hpp's rule).
std::vector<DiscoveryResult> try_subsets(const Table& table, std::string_view target,
                                         const ScreenedDiscoverOptions& options, const SubsetPlan& plan,
                                         const std::vector<std::size_t>& candidates, double y_rms,
                                         pipeline::Budget& budget, DiscoveryResult& totals,
                                         ScreenedDiscoveryResult& out) {
    const auto& subsets = plan.subsets;
    std::vector<DiscoveryResult> results;
    for (std::size_t i = 0; i < subsets.size(); ++i) {
        const bool no_time = budget.seconds_left() <= 0.0, no_evaluations = !budget.has_evaluations_left();
        if (i > 0 && (no_time || no_evaluations || budget.cancelled())) {
            const char* why = no_evaluations ? "not tried: no evaluations left"
                              : no_time      ? "not tried: no time left"
                                             : "not tried: interrupted";
            for (std::size_t j = i; j < subsets.size(); ++j) out.attempts.push_back(skipped(table, subsets[j], why));
            break;
        }
        const double share =
            (i == 0 && subsets.size() > 1) ? options.first_share : 1.0 / static_cast<double>(subsets.size() - i);
        const DiscoverOptions d = subset_options(table, options, subsets[i], candidates, budget, share,
                                                 budget.seconds_elapsed(), totals.evaluations);
        const auto attempt_start = pipeline::Budget::Clock::now();
        DiscoveryResult r = discover(table, target, d);
        budget.spend(r.evaluations);
        pipeline::absorb(totals, pipeline::StageReport::of(r));

        SubsetAttempt attempt;
        attempt.inputs = r.inputs;
        attempt.seconds = seconds_since(attempt_start);
        attempt.evaluations = r.evaluations;
        attempt.total_bits = std::numeric_limits<double>::infinity();
        bool stop = r.cancelled;
        if (const FoundLaw* law = r.best_law()) {
            fill_law(attempt, *law);
            stop = stops_after(attempt, *law, y_rms, plan, i) || stop;
        } else {
            attempt.outcome = "no formula found";
        }
        if (r.cancelled) attempt.outcome = "interrupted";
        out.attempts.push_back(std::move(attempt));
        results.push_back(std::move(r));
        if (stop) {
            for (std::size_t j = i + 1; j < subsets.size(); ++j)
                out.attempts.push_back(skipped(table, subsets[j], "not tried: an earlier subset was good enough"));
            break;
        }
    }
    return results;
}

// The best subset: each tried subset's best law rescored on the rows every tried subset can
// use, the least total description length winning (fewer complexity bits on a tie); where no
// law scores there, the least RMSE. Fills the attempts' total_bits.
std::size_t choose_subset(const Table& table, std::size_t target_column, const SearchOptions& search,
                          const SubsetPlan& plan, const std::vector<DiscoveryResult>& results,
                          std::vector<SubsetAttempt>& attempts) {
    std::vector<std::vector<std::size_t>> tried(plan.subsets.begin(),
                                                plan.subsets.begin() + static_cast<std::ptrdiff_t>(results.size()));
    const CommonRows common = common_rows(table, target_column, tried);
    ComplexityModel model;
    model.operator_count =
        static_cast<int>(search.operators.empty() ? default_search_operators().size() : search.operators.size());
    model.variable_count = static_cast<int>(std::max<std::size_t>(1, common.columns.size()));
    Evaluator evaluator;
    std::size_t chosen = 0;
    double best_bits = std::numeric_limits<double>::infinity(), best_complexity = best_bits;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const FoundLaw* law = results[i].best_law();
        if (!law || common.y.size() == 0) continue;
        std::vector<Expression> to_common;
        for (std::size_t c : tried[i]) {
            const auto k = static_cast<std::uint16_t>(std::find(common.columns.begin(), common.columns.end(), c) -
                                                      common.columns.begin());
            to_common.push_back(Expression::variable(k));
        }
        auto scored =
            score_candidate(substitute_variables(law->expression, to_common), common.X, common.y, model, evaluator);
        if (!scored) continue;
        const double bits = ParetoFront::total_bits(*scored);
        attempts[i].total_bits = bits;
        if (bits < best_bits || (bits == best_bits && scored->complexity_bits < best_complexity)) {
            best_bits = bits;
            best_complexity = scored->complexity_bits;
            chosen = i;
        }
    }
    if (std::isfinite(best_bits)) return chosen;
    double best_rmse = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < results.size(); ++i)
        if (const FoundLaw* law = results[i].best_law(); law && law->rmse < best_rmse) {
            best_rmse = law->rmse;
            chosen = i;
        }
    return chosen;
}

}  // namespace

ScreenedDiscoveryResult screened_discover(const Table& table, std::string_view target,
                                          const ScreenedDiscoverOptions& options) {
    if (options.discover.search.peers) {  // see the header: every rank runs alone
        ScreenedDiscoverOptions alone = options;
        alone.discover.search.peers = nullptr;
        return screened_discover(table, target, alone);
    }
    if (options.discover.on_stage_done || options.discover.resume_from)
        throw std::invalid_argument("a screened run cannot be checkpointed or resumed; name the inputs to search");
    const SearchOptions& search = options.discover.search;
    pipeline::Budget budget(search.time_limit_seconds, search.max_evaluations, search.cancel);
    const std::size_t target_column = table.require_column(target, "target");
    const std::vector<std::size_t> candidates = candidate_columns(table, target_column, options.discover.inputs);
    if (candidates.empty())
        throw std::invalid_argument(std::string("no input columns besides the target '") + std::string(target) + "'");

    ScreenOptions screen_options = options.screen;
    screen_options.seed = search.seed;
    fit_screen_to_memory(screen_options, candidates.size(),
                         std::min<std::size_t>(search.max_memory_mb, SIZE_MAX >> 20) << 20);  // the memory cap
    std::size_t with_target = 0;
    for (Eigen::Index r = 0; r < table.data.rows(); ++r)
        if (std::isfinite(table.data(r, static_cast<Eigen::Index>(target_column)))) ++with_target;
    if (with_target < screen_options.min_readings) return not_screened(table, target, candidates, with_target, options);

    ScreenedDiscoveryResult out;
    out.screening = screen_channels(table, target_column, candidates, options.discover.units, screen_options);
    const ScreenReport& report = out.screening;
    const SubsetPlan plan = plan_subsets(report, target);
    DiscoveryResult totals;
    std::vector<DiscoveryResult> results =
        try_subsets(table, target, options, plan, candidates, target_rms(table, target_column), budget, totals, out);
    const std::size_t chosen = choose_subset(table, target_column, search, plan, results, out.attempts);
    out.chosen = chosen;
    out.discovery = std::move(results[chosen]);
    out.discovery.evaluations = totals.evaluations;
    out.discovery.cancelled = totals.cancelled;
    out.discovery.timed_out = totals.timed_out;
    out.discovery.evaluation_limit_reached = totals.evaluation_limit_reached;
    out.discovery.seconds = budget.seconds_elapsed();
    out.discovery.notes.push_back(std::string("screening: ") + std::to_string(report.candidates) + " channels, " +
                                  std::to_string(out.attempts.size()) + " subsets proposed, " +
                                  std::to_string(results.size()) + " searched; the law uses subset " +
                                  std::to_string(chosen + 1));
    for (std::size_t c : plan.subsets[chosen]) {
        std::vector<std::string> others;
        for (std::size_t o : report.interchangeable_with(c)) others.push_back(table.names[o]);
        if (!others.empty()) out.interchangeable.emplace_back(table.names[c], std::move(others));
    }
    return out;
}

}  // namespace kepler
