#include "kepler/pipeline/screened_discover.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/search/pareto_front.hpp"

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

ScreenedDiscoveryResult screened_discover(const Table& table, std::string_view target,
                                          const ScreenedDiscoverOptions& options) {
    const Clock::time_point start = Clock::now();
    ScreenedDiscoveryResult out;
    const std::size_t target_column = table.require_column(target, "target");
    const std::vector<std::size_t> candidates = candidate_columns(table, target_column, options.discover.inputs);
    if (candidates.empty())
        throw std::invalid_argument(std::string("no input columns besides the target '") + std::string(target) + "'");

    ScreenOptions screen_options = options.screen;
    screen_options.seed = options.discover.search.seed;
    std::size_t with_target = 0;
    for (Eigen::Index r = 0; r < table.data.rows(); ++r)
        if (std::isfinite(table.data(r, static_cast<Eigen::Index>(target_column)))) ++with_target;
    if (with_target < screen_options.min_readings) {
        // Too few rows to tell channels apart: search them all, as without screening.
        out.screening.target = std::string(target);
        out.screening.candidates = candidates.size();
        out.screening.rows_with_target = with_target;
        out.screening.notes.push_back(std::string("not screened: only ") + std::to_string(with_target) +
                                      " rows have a value of " + out.screening.target + " (at least " +
                                      std::to_string(screen_options.min_readings) +
                                      " are needed); every candidate is searched");
        DiscoverOptions d = options.discover;
        d.inputs.clear();
        for (std::size_t c : candidates) d.inputs.push_back(table.names[c]);
        out.discovery = discover(table, target, d);
        SubsetAttempt all;
        all.inputs = out.discovery.inputs;
        if (const FoundLaw* law = out.discovery.best_law()) {
            all.formula = law->formula;
            all.rmse = law->rmse;
            all.r2 = law->r2;
            all.complexity_bits = law->complexity_bits;
        }
        all.total_bits = std::numeric_limits<double>::quiet_NaN();
        all.seconds = out.discovery.seconds;
        all.evaluations = out.discovery.evaluations;
        all.outcome = "every candidate (not screened)";
        out.attempts.push_back(std::move(all));
        return out;
    }
    out.screening = screen_channels(table, target_column, candidates, options.discover.units, screen_options);
    const ScreenReport& report = out.screening;

    // The subsets to try: the proposals, or, if screening proposed none, the best-ranked few.
    std::vector<std::vector<std::size_t>> subsets;
    std::vector<double> surface_rmse;  // response-surface RMSE of each subset (infinity if unknown)
    for (const ChannelSubset& s : report.subsets) {
        subsets.push_back(s.columns);
        surface_rmse.push_back(s.rmse);
    }
    if (subsets.empty()) {
        std::vector<std::size_t> ranked = report.ranking();
        if (ranked.empty())
            throw std::invalid_argument(std::string("screening left no usable input channel for '") +
                                        std::string(target) +
                                        "' (every candidate is constant, a duplicate or has too few readings)");
        ranked.resize(std::min<std::size_t>(ranked.size(), 4));
        subsets.push_back(ranked);
        surface_rmse.push_back(std::numeric_limits<double>::infinity());
    }

    const SearchOptions& search = options.discover.search;
    const double time_limit = std::max(0.0, search.time_limit_seconds);
    const std::size_t evaluation_budget = search.max_evaluations;
    std::size_t evaluations = 0;
    std::vector<DiscoveryResult> results;
    double y_rms = 0.0;
    {
        const Eigen::VectorXd col = table.data.col(static_cast<Eigen::Index>(target_column));
        std::size_t n = 0;
        for (Eigen::Index i = 0; i < col.size(); ++i)
            if (std::isfinite(col(i))) {
                y_rms += col(i) * col(i);
                ++n;
            }
        y_rms = n ? std::sqrt(y_rms / static_cast<double>(n)) : 0.0;
    }

    for (std::size_t i = 0; i < subsets.size(); ++i) {
        const double left = time_limit - seconds_since(start);
        const bool no_evaluations = evaluation_budget > 0 && evaluations >= evaluation_budget;
        if (i > 0 && (left <= 0.0 || no_evaluations || (search.cancel && search.cancel->load()))) {
            for (std::size_t j = i; j < subsets.size(); ++j) {
                SubsetAttempt skipped;
                for (std::size_t c : subsets[j]) skipped.inputs.push_back(table.names[c]);
                skipped.total_bits = std::numeric_limits<double>::infinity();
                skipped.outcome = no_evaluations ? "not tried: no evaluations left"
                                  : left <= 0.0  ? "not tried: no time left"
                                                 : "not tried: interrupted";
                out.attempts.push_back(std::move(skipped));
            }
            break;
        }
        const double share =
            (i == 0 && subsets.size() > 1) ? options.first_share : 1.0 / static_cast<double>(subsets.size() - i);
        DiscoverOptions d = options.discover;
        d.inputs.clear();
        for (std::size_t c : subsets[i]) d.inputs.push_back(table.names[c]);
        d.search.time_limit_seconds = std::max(0.0, left) * share;
        if (evaluation_budget > 0)
            d.search.max_evaluations = std::max<std::size_t>(
                1, static_cast<std::size_t>(static_cast<double>(evaluation_budget - evaluations) * share));
        if (search.progress) {
            // Report over the candidate list, counting from the start of the whole run.
            std::vector<Expression> to_candidates;
            for (std::size_t c : subsets[i]) {
                const auto k =
                    static_cast<std::uint16_t>(std::find(candidates.begin(), candidates.end(), c) - candidates.begin());
                to_candidates.push_back(Expression::variable(k));
            }
            const double offset = seconds_since(start);
            d.search.progress = [callback = search.progress, to_candidates, offset,
                                 before = evaluations](const SearchProgress& p) {
                SearchProgress q = p;
                q.seconds += offset;
                q.evaluations += before;
                if (q.has_best) q.best = substitute_variables(p.best, to_candidates);
                callback(q);
            };
        }
        const Clock::time_point attempt_start = Clock::now();
        DiscoveryResult r = discover(table, target, d);
        evaluations += r.evaluations;

        SubsetAttempt attempt;
        attempt.inputs = r.inputs;
        attempt.seconds = seconds_since(attempt_start);
        attempt.evaluations = r.evaluations;
        attempt.total_bits = std::numeric_limits<double>::infinity();
        bool stop = r.cancelled;
        if (const FoundLaw* law = r.best_law()) {
            attempt.formula = law->formula;
            attempt.rmse = law->rmse;
            attempt.r2 = law->r2;
            attempt.complexity_bits = law->complexity_bits;
            double later = std::numeric_limits<double>::infinity();
            for (std::size_t j = i + 1; j < subsets.size(); ++j) later = std::min(later, surface_rmse[j]);
            if (law->rmse <= 1e-9 * y_rms) {
                attempt.outcome = "exact: stopped here";
                stop = true;
            } else if (i + 1 < subsets.size() && law->rmse <= 1.05 * later) {
                attempt.outcome = std::string("fits as well as any later subset's response surface (RMSE ") +
                                  fmt("%.3g", law->rmse) + " against " + fmt("%.3g", later) + "): stopped here";
                stop = true;
            } else if (i + 1 < subsets.size()) {
                attempt.outcome = std::string("a later subset's response surface fits better (RMSE ") +
                                  fmt("%.3g", later) + " against the law's " + fmt("%.3g", law->rmse) + "): going on";
            } else {
                attempt.outcome = "the last subset";
            }
        } else {
            attempt.outcome = "no formula found";
        }
        if (r.cancelled) attempt.outcome = "interrupted";
        out.attempts.push_back(std::move(attempt));
        results.push_back(std::move(r));
        if (stop) {
            for (std::size_t j = i + 1; j < subsets.size(); ++j) {
                SubsetAttempt skipped;
                for (std::size_t c : subsets[j]) skipped.inputs.push_back(table.names[c]);
                skipped.total_bits = std::numeric_limits<double>::infinity();
                skipped.outcome = "not tried: an earlier subset was good enough";
                out.attempts.push_back(std::move(skipped));
            }
            break;
        }
    }

    // The best subset: its best law rescored on the rows every tried subset can use.
    std::vector<std::vector<std::size_t>> tried(subsets.begin(),
                                                subsets.begin() + static_cast<std::ptrdiff_t>(results.size()));
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
        for (std::size_t c : subsets[i]) {
            const auto k = static_cast<std::uint16_t>(std::find(common.columns.begin(), common.columns.end(), c) -
                                                      common.columns.begin());
            to_common.push_back(Expression::variable(k));
        }
        auto scored =
            score_candidate(substitute_variables(law->expression, to_common), common.X, common.y, model, evaluator);
        if (!scored) continue;
        const double bits = ParetoFront::total_bits(*scored);
        out.attempts[i].total_bits = bits;
        if (bits < best_bits || (bits == best_bits && scored->complexity_bits < best_complexity)) {
            best_bits = bits;
            best_complexity = scored->complexity_bits;
            chosen = i;
        }
    }
    if (!std::isfinite(best_bits)) {
        // No law scores on the common rows (none found, or no common rows): the least RMSE.
        double best_rmse = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < results.size(); ++i)
            if (const FoundLaw* law = results[i].best_law(); law && law->rmse < best_rmse) {
                best_rmse = law->rmse;
                chosen = i;
            }
    }
    out.chosen = chosen;
    bool cancelled = false, timed_out = false, limit = false;
    for (const DiscoveryResult& r : results) {
        cancelled = cancelled || r.cancelled;
        timed_out = timed_out || r.timed_out;
        limit = limit || r.evaluation_limit_reached;
    }
    out.discovery = std::move(results[chosen]);
    out.discovery.evaluations = evaluations;
    out.discovery.cancelled = cancelled;
    out.discovery.timed_out = timed_out;
    out.discovery.evaluation_limit_reached = limit;
    out.discovery.seconds = seconds_since(start);
    std::string note = std::string("screening: ") + std::to_string(report.candidates) + " channels, " +
                       std::to_string(out.attempts.size()) + " subsets proposed, " + std::to_string(results.size()) +
                       " searched; the law uses subset " + std::to_string(chosen + 1);
    out.discovery.notes.push_back(std::move(note));

    for (std::size_t c : subsets[chosen]) {
        std::vector<std::string> others;
        for (std::size_t o : report.interchangeable_with(c)) others.push_back(table.names[o]);
        if (!others.empty()) out.interchangeable.emplace_back(table.names[c], std::move(others));
    }
    return out;
}

}  // namespace kepler
