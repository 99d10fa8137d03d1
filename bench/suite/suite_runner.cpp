#include "suite_runner.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <stdexcept>

#include "feynman_laws.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/sympy_size.hpp"
#include "kepler/grammar/law_file.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/judge/judge.hpp"
#include "kepler/pipeline/discover.hpp"
#include "uniform_table.hpp"

namespace kepler::bench {

const std::vector<grammar::Law>& feynman_laws() {
    static const std::vector<grammar::Law> laws =
        grammar::parse_law_file(datasets::feynman_laws_text(), "feynman.laws");
    return laws;
}

datasets::LawSpec spec_of(const grammar::Law& law) {
    datasets::LawSpec spec{law.target, law.target_unit, law.formula, {}};
    for (const auto& in : law.inputs) spec.inputs.push_back({in.name, in.low, in.high, in.unit});
    return spec;
}

namespace {

bool selected(const SuiteOptions& options, const std::string& id, std::size_t index) {
    if (!options.only.empty() && std::find(options.only.begin(), options.only.end(), id) == options.only.end())
        return false;
    return index % options.shard_count == options.shard_index - 1;
}

LawResult run_law(const grammar::Law& law, std::uint64_t seed, const SuiteOptions& options, const UnitSystem& system,
                  const std::atomic<bool>* stop) {
    LawResult r;
    r.id = law.id;
    r.seed = seed;
    r.inputs = law.inputs.size();
    std::vector<std::string> names;
    for (const auto& in : law.inputs) names.push_back(in.name);
    r.truth = to_infix(law.formula, names);
    r.truth_size = sympy_size(law.formula);
    try {
        const datasets::LawSpec spec = spec_of(law);
        const Table table = datasets::uniform_table(spec, options.rows, seed, options.noise);
        // Held-out rows from the same distribution, for the accuracy verdict.
        const Table heldout = datasets::uniform_table(spec, 2000, seed + 1000003, options.noise);

        DiscoverOptions discover_options;
        discover_options.search.time_limit_seconds = options.time_limit;
        discover_options.search.max_evaluations = options.max_evaluations;
        discover_options.search.threads = options.threads;
        discover_options.search.seed = seed;
        discover_options.search.cancel = stop;
        if (options.use_units) {
            TableUnits units{system, {}};
            for (const auto& unit : table.units) units.columns.push_back(grammar::parse_unit(unit, system));
            discover_options.units = std::move(units);
        }
        const DiscoveryResult found = discover(table, law.target, discover_options);
        r.seconds = found.seconds;
        r.evaluations = found.evaluations;
        r.interrupted = found.cancelled;
        const FoundLaw* best = found.best_law();
        if (!best) {
            r.reason = "no formula found";
            return r;
        }
        r.found = best->formula;
        r.found_size = sympy_size(best->expression);
        std::vector<JudgedRange> ranges;
        for (const auto& in : law.inputs) ranges.push_back({in.low, in.high});
        const auto k = static_cast<Eigen::Index>(law.inputs.size());
        JudgeOptions judge_options;
        judge_options.noise = options.noise;
        judge_options.variable_names = names;
        // discover() keeps the inputs in table order, which is the law's input order.
        const Verdict v =
            judge(best->expression, law.formula, ranges, heldout.data.rightCols(k), heldout.data.col(0), judge_options);
        r.exact = v.exact;
        r.symbolic_solution = v.symbolic_solution;
        r.form_error = v.form_error;
        r.accurate = v.accurate;
        r.heldout_r2 = v.heldout_r2;
        r.max_relative_error = v.max_relative_error;
        r.reason = v.reason;
    } catch (const std::exception& e) {
        r.reason = std::string("error: ") + e.what();
    }
    return r;
}

std::string short_seconds(double s) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1fs", s);
    return buffer;
}

}  // namespace

std::vector<std::string> selected_law_ids(const SuiteOptions& options) {
    std::vector<std::string> ids;
    const auto& laws = feynman_laws();
    for (std::size_t i = 0; i < laws.size(); ++i)
        if (selected(options, laws[i].id, i)) ids.push_back(laws[i].id);
    return ids;
}

SuiteReport run_feynman_suite(const SuiteOptions& options, std::ostream* progress, bool overwrite,
                              const std::atomic<bool>* stop) {
    if (options.shard_count == 0 || options.shard_index == 0 || options.shard_index > options.shard_count)
        throw std::invalid_argument("shard must be I/N with 1 <= I <= N");
    for (const auto& id : options.only) {
        const auto& laws = feynman_laws();
        if (std::none_of(laws.begin(), laws.end(), [&](const grammar::Law& l) { return l.id == id; }))
            throw std::invalid_argument("no law '" + id + "' in the feynman database");
    }
    const UnitSystem system = grammar::load_unit_system("feynman");
    SuiteReport report;
    report.options = options;
    const auto& laws = feynman_laws();
    const std::vector<std::string> ids = selected_law_ids(options);
    const std::size_t total = ids.size() * options.seeds;
    for (std::size_t i = 0; i < laws.size(); ++i) {
        if (!selected(options, laws[i].id, i)) continue;
        for (std::uint64_t seed = 1; seed <= options.seeds; ++seed) {
            if (stop && stop->load()) return report;
            report.results.push_back(run_law(laws[i], seed, options, system, stop));
            if (progress) {
                const LawResult& r = report.results.back();
                const SuiteTotals t = totals(report.results);
                *progress << (overwrite ? "\r\033[K" : "") << "[" << report.results.size() << "/" << total << "] "
                          << r.id << " "
                          << (r.exact      ? "exact"
                              : r.accurate ? "accurate"
                                           : "missed")
                          << " in " << short_seconds(r.seconds) << "  | exact " << t.exact << "/" << t.runs
                          << ", SRBench " << t.symbolic_solution << "/" << t.runs << ", accurate " << t.accurate << "/"
                          << t.runs << (overwrite ? "" : "\n") << std::flush;
            }
        }
    }
    if (progress && overwrite) *progress << "\n";
    return report;
}

double size_ratio(const LawResult& r) {
    if (r.found_size == 0 || r.truth_size == 0) return std::nan("");
    return static_cast<double>(r.found_size) / static_cast<double>(r.truth_size);
}

SuiteTotals totals(const std::vector<LawResult>& results) {
    SuiteTotals t;
    std::vector<double> times, exact_times;
    for (const auto& r : results) {
        ++t.runs;
        t.exact += r.exact;
        t.symbolic_solution += r.symbolic_solution;
        t.within_textbook_size += size_ratio(r) <= kTextbookSizeRatio;
        t.accurate += r.accurate;
        times.push_back(r.seconds);
        if (r.exact) exact_times.push_back(r.seconds);
        t.max_seconds = std::max(t.max_seconds, r.seconds);
    }
    auto median = [](std::vector<double> v) {
        if (v.empty()) return 0.0;
        std::sort(v.begin(), v.end());
        const std::size_t n = v.size();
        return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    };
    t.median_seconds = median(times);
    t.median_seconds_exact = median(exact_times);
    return t;
}

}  // namespace kepler::bench
