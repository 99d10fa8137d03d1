#include "suite_runner.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <ostream>
#include <set>
#include <stdexcept>

#include "feynman_laws.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/sympy_size.hpp"
#include "kepler/grammar/law_file.hpp"
#include "kepler/grammar/unit_parser.hpp"
#include "kepler/grammar/unit_system_parser.hpp"
#include "kepler/judge/judge.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/units/front_consistency.hpp"
#include "rescale.hpp"
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

// A law's inputs that are physical constants of the unit system, as the database names them.
// A column counts only if its unit has the constant's dimension (I.12.1's mu is a friction
// coefficient, not mu0).
struct ConstantName {
    const char* input;
    const char* constant;
};
constexpr ConstantName kConstantNames[] = {{"c", "c"},    {"G", "G"},          {"h", "h"},    {"hbar", "hbar"},
                                           {"kb", "k_B"}, {"epsilon", "eps0"}, {"mu", "mu0"}, {"sigma_SB", "sigma_SB"}};

const PhysicalConstant* constant_of(const grammar::LawInput& in, const Dimension& d, const UnitSystem& system) {
    for (const auto& n : kConstantNames)
        if (in.name == n.input) {
            const PhysicalConstant* c = system.find_constant(n.constant);
            return c && c->value.dimension == d ? c : nullptr;
        }
    return nullptr;
}

// The tables, truth and ranges of one law and seed as the judge sees them.
struct PreparedLaw {
    Table table, heldout;
    Expression truth;
    std::vector<JudgedRange> ranges;
    std::vector<std::string> names;
    std::vector<double> exponents;
    std::vector<std::string> constants;   // unit-system symbols of the columns removed
    std::vector<double> constant_values;  // their values in the table's units, as the truth holds them
};

// --constants: real exponents that carry each constant's range midpoint to its value in the
// unit system (least norm), so the table is measured in the system's own units, the constants
// take their real values and every dimensionless group of the law stays in its range. (Constants
// of dependent dimensions would get the least-squares compromise; no Feynman law has them.)
std::vector<double> exponents_for_constants(const std::vector<std::pair<Dimension, double>>& wanted,
                                            std::size_t bases) {
    Eigen::MatrixXd a(static_cast<Eigen::Index>(wanted.size()), static_cast<Eigen::Index>(bases));
    Eigen::VectorXd b(static_cast<Eigen::Index>(wanted.size()));
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        for (std::size_t j = 0; j < bases; ++j)
            a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = wanted[i].first.exponent(j).to_double();
        b(static_cast<Eigen::Index>(i)) = -std::log10(wanted[i].second);  // factor = value / midpoint
    }
    const Eigen::VectorXd k = a.completeOrthogonalDecomposition().solve(b);
    return std::vector<double>(k.data(), k.data() + k.size());
}

void scale_ranges(PreparedLaw& p, const std::vector<Dimension>& dims, const std::vector<double>& k) {
    for (std::size_t j = 0; j < p.ranges.size(); ++j) {
        const double f = datasets::rescale_factor(dims[j + 1], k);
        p.ranges[j] = {p.ranges[j].low * f, p.ranges[j].high * f};
    }
}

PreparedLaw prepare_law(const grammar::Law& law, std::uint64_t seed, double noise, const SuiteOptions& options,
                        const UnitSystem& system) {
    PreparedLaw p;
    p.truth = law.formula;
    datasets::LawSpec spec = spec_of(law);
    std::vector<Dimension> dims{grammar::parse_unit(law.target_unit, system).dimension};
    for (const auto& in : law.inputs) {
        dims.push_back(grammar::parse_unit(in.unit, system).dimension);
        p.ranges.push_back({in.low, in.high});
    }
    std::vector<std::size_t> fixed;  // input indices of the constants
    std::vector<std::pair<Dimension, double>> wanted;
    if (options.constants)
        for (std::size_t j = 0; j < law.inputs.size(); ++j)
            if (const PhysicalConstant* c = constant_of(law.inputs[j], dims[j + 1], system)) {
                const double mid = 0.5 * (law.inputs[j].low + law.inputs[j].high);
                spec.inputs[j].low = spec.inputs[j].high = mid;
                p.ranges[j] = {mid, mid};
                fixed.push_back(j);
                wanted.push_back({dims[j + 1], c->value.scale / mid});
                p.constants.push_back(c->symbol);
            }
    p.table = datasets::uniform_table(spec, options.rows, seed, noise, options.input_noise);
    // Held-out rows from the same distribution, for the accuracy verdict.
    p.heldout = datasets::uniform_table(spec, 2000, seed + 1000003, noise, options.input_noise);
    auto rescale = [&](const std::vector<double>& k) {
        datasets::rescale_table(p.table, dims, k);
        datasets::rescale_table(p.heldout, dims, k);
        scale_ranges(p, dims, k);
    };
    if (!wanted.empty()) rescale(exponents_for_constants(wanted, system.bases.size()));
    if (options.rescale > 0) {
        p.exponents = datasets::unit_exponents(seed, law.id, system.bases.size(), options.rescale);
        rescale(p.exponents);
    }
    // Remove the constants' columns; the truth takes their values.
    std::vector<Expression> replacements;
    std::vector<JudgedRange> ranges;
    std::vector<Eigen::Index> keep{0};
    for (std::size_t j = 0; j < law.inputs.size(); ++j) {
        const bool is_fixed = std::find(fixed.begin(), fixed.end(), j) != fixed.end();
        if (is_fixed) {
            replacements.push_back(Expression::constant(p.ranges[j].low));
            p.constant_values.push_back(p.ranges[j].low);
            continue;
        }
        replacements.push_back(Expression::variable(static_cast<std::uint16_t>(p.names.size())));
        p.names.push_back(law.inputs[j].name);
        ranges.push_back(p.ranges[j]);
        keep.push_back(static_cast<Eigen::Index>(j + 1));
    }
    p.ranges = std::move(ranges);
    if (!fixed.empty()) {
        p.truth = substitute_variables(law.formula, replacements);
        for (Table* t : {&p.table, &p.heldout}) {
            Table kept;
            for (auto c : keep) {
                kept.names.push_back(t->names[static_cast<std::size_t>(c)]);
                kept.units.push_back(t->units[static_cast<std::size_t>(c)]);
            }
            kept.data = t->data(Eigen::all, keep);
            *t = std::move(kept);
        }
    }
    return p;
}

// LawResult::units_consistent: each front member checked with the inputs' and the target's
// dimensions (discover() takes every column but the target as an input, in table order).
bool front_consistent(const DiscoveryResult& found, const Table& table, const TableUnits& units,
                      const std::string& target) {
    std::vector<Dimension> inputs;
    Dimension target_dimension;
    for (std::size_t c = 0; c < table.names.size(); ++c) {
        if (table.names[c] == target)
            target_dimension = units.columns[c].dimension;
        else
            inputs.push_back(units.columns[c].dimension);
    }
    for (const std::string& line : found.explanation)
        if (line.find("inconsistent formula") != std::string::npos) return false;
    return !found.front.empty() && std::all_of(found.front.begin(), found.front.end(), [&](const FoundLaw& law) {
        return dimensionally_consistent(law.expression, inputs, target_dimension);
    });
}

// The removed constants (of `removed`) that the named constant `named` writes: the one of its
// symbol; one of the same dimension whose value differs from it by a power of 2*pi (hbar for
// h: a law in an angular frequency writes hbar where the Feynman table, which has no hbar
// column, writes h/(2*pi)); or those whose product it is (mu0 = 1/(eps0*c^2) writes eps0 and
// c, as B = mu0*I/(2*pi*r) does), with integer powers up to 3.
std::vector<bool> removed_written_by(const NamedConstant& named, const std::vector<std::string>& removed,
                                     const UnitSystem& system) {
    std::vector<bool> written(removed.size(), false);
    const PhysicalConstant* n = system.find_constant(named.symbol);
    std::vector<const PhysicalConstant*> r;
    for (const std::string& symbol : removed) r.push_back(system.find_constant(symbol));
    for (std::size_t i = 0; i < removed.size(); ++i) {
        if (removed[i] == named.symbol) written[i] = true;
        if (!n || !r[i] || !(n->value.dimension == r[i]->value.dimension)) continue;
        const double turns = std::log(r[i]->value.scale / n->value.scale) / std::log(2.0 * std::numbers::pi);
        if (std::abs(std::abs(turns) - 1.0) < 1e-9) written[i] = true;
    }
    if (!n || std::find(written.begin(), written.end(), true) != written.end() || removed.size() > 3 ||
        std::find(r.begin(), r.end(), nullptr) != r.end())
        return written;
    std::vector<int> e(removed.size(), -3);
    for (;;) {  // every power vector in [-3, 3]^k
        double value = 1.0;
        Dimension dimension;
        for (std::size_t i = 0; i < e.size(); ++i) {
            value *= std::pow(r[i]->value.scale, e[i]);
            dimension = dimension * r[i]->value.dimension.pow(Rational(e[i]));
        }
        if (dimension == n->value.dimension && std::abs(value - n->value.scale) <= 1e-8 * n->value.scale) {
            for (std::size_t i = 0; i < e.size(); ++i) written[i] = written[i] || e[i] != 0;
            return written;
        }
        std::size_t i = 0;
        while (i < e.size() && e[i] == 3) e[i++] = -3;
        if (i == e.size()) return written;
        ++e[i];
    }
}

// Every removed constant is written by some named constant of the law (removed_written_by).
bool names_removed_constants(const std::vector<NamedConstant>& named, const std::vector<std::string>& removed,
                             const UnitSystem& system) {
    std::vector<bool> written(removed.size(), false);
    for (const NamedConstant& n : named) {
        const std::vector<bool> by = removed_written_by(n, removed, system);
        for (std::size_t i = 0; i < written.size(); ++i) written[i] = written[i] || by[i];
    }
    return !removed.empty() && std::find(written.begin(), written.end(), false) == written.end();
}

LawResult run_law(const grammar::Law& law, std::uint64_t seed, double noise, const SuiteOptions& options,
                  const UnitSystem& system, const std::atomic<bool>* stop) {
    LawResult r;
    r.id = law.id;
    r.seed = seed;
    r.noise = noise;
    r.inputs = law.inputs.size();
    std::vector<std::string> all_names;
    for (const auto& in : law.inputs) all_names.push_back(in.name);
    r.truth = to_infix(law.formula, all_names);
    r.truth_size = sympy_size(law.formula);
    try {
        const PreparedLaw p = prepare_law(law, seed, noise, options, system);
        r.unit_exponents = p.exponents;
        r.constants = p.constants;
        r.inputs = p.names.size();
        DiscoverOptions discover_options;
        discover_options.search.time_limit_seconds = options.time_limit;
        discover_options.search.max_evaluations = options.max_evaluations;
        discover_options.search.threads = options.threads;
        discover_options.search.seed = seed;
        discover_options.search.cancel = stop;
        if (options.use_units) {
            TableUnits units{system, {}};
            for (const auto& unit : p.table.units) units.columns.push_back(grammar::parse_unit(unit, system));
            discover_options.units = std::move(units);
        }
        const DiscoveryResult found = discover(p.table, law.target, discover_options);
        if (discover_options.units)
            r.units_consistent = front_consistent(found, p.table, *discover_options.units, law.target);
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
        // Every removed constant is one the law writes by name (FoundLaw::named_constants).
        r.constant_named = names_removed_constants(best->named_constants, p.constants, system);
        const auto k = static_cast<Eigen::Index>(p.names.size());
        JudgeOptions judge_options;
        // Input noise reaches the target through the law: judged at the larger of the two.
        judge_options.noise = std::max(noise, options.input_noise);
        judge_options.variable_names = p.names;
        judge_options.named_constants = p.constant_values;
        // discover() keeps the inputs in table order, which is the law's input order.
        const Verdict v = judge(best->expression, p.truth, p.ranges, p.heldout.data.rightCols(k), p.heldout.data.col(0),
                                judge_options);
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

std::string noise_text(double noise) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", noise);
    return buffer;
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

void check_suite_options(const SuiteOptions& options) {
    if (options.shard_count == 0 || options.shard_index == 0 || options.shard_index > options.shard_count)
        throw std::invalid_argument("shard must be I/N with 1 <= I <= N");
    if (options.noise_levels.empty()) throw std::invalid_argument("no noise level given");
    for (double noise : options.noise_levels)
        if (!(noise >= 0.0) || !std::isfinite(noise))
            throw std::invalid_argument("a noise level must be a finite fraction >= 0");
    for (const auto& id : options.only) {
        const auto& laws = feynman_laws();
        if (std::none_of(laws.begin(), laws.end(), [&](const grammar::Law& l) { return l.id == id; }))
            throw std::invalid_argument("no law '" + id + "' in the feynman database");
    }
}

std::vector<SuiteTask> suite_tasks(const SuiteOptions& options) {
    std::vector<SuiteTask> tasks;
    const auto& laws = feynman_laws();
    for (double noise : options.noise_levels)
        for (std::size_t i = 0; i < laws.size(); ++i) {
            if (!selected(options, laws[i].id, i)) continue;
            for (std::uint64_t k = 0; k < options.seeds; ++k) tasks.push_back({i, options.first_seed + k, noise});
        }
    return tasks;
}

LawResult run_suite_task(const SuiteTask& task, const SuiteOptions& options, const std::atomic<bool>* stop) {
    static const UnitSystem system = grammar::load_unit_system("feynman");
    return run_law(feynman_laws().at(task.law), task.seed, task.noise, options, system, stop);
}

void print_suite_progress(std::ostream& progress, bool overwrite, const std::vector<LawResult>& so_far,
                          std::size_t total) {
    const LawResult& r = so_far.back();
    const SuiteTotals t = totals(so_far);
    progress << (overwrite ? "\r\033[K" : "") << "[" << so_far.size() << "/" << total << "] " << r.id << " "
             << (r.noise > 0.0 ? "(noise " + noise_text(r.noise) + ") " : std::string())
             << (r.exact      ? "exact"
                 : r.accurate ? "accurate"
                              : "missed")
             << " in " << short_seconds(r.seconds) << "  | exact " << t.exact << "/" << t.runs << ", SRBench "
             << t.symbolic_solution << "/" << t.runs << ", accurate " << t.accurate << "/" << t.runs
             << (overwrite ? "" : "\n") << std::flush;
}

SuiteReport run_feynman_suite(const SuiteOptions& options, std::ostream* progress, bool overwrite,
                              const std::atomic<bool>* stop) {
    check_suite_options(options);
    SuiteReport report;
    report.options = options;
    const std::vector<SuiteTask> tasks = suite_tasks(options);
    for (const SuiteTask& task : tasks) {
        if (stop && stop->load()) return report;
        report.results.push_back(run_suite_task(task, options, stop));
        if (progress) print_suite_progress(*progress, overwrite, report.results, tasks.size());
    }
    if (progress && overwrite) *progress << "\n";
    return report;
}

std::vector<double> noise_levels_of(const std::vector<LawResult>& results) {
    std::set<double> levels;
    for (const auto& r : results) levels.insert(r.noise);
    return {levels.begin(), levels.end()};
}

std::vector<LawResult> at_noise(const std::vector<LawResult>& results, double noise) {
    std::vector<LawResult> out;
    for (const auto& r : results)
        if (r.noise == noise) out.push_back(r);
    return out;
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
        t.with_constants += !r.constants.empty();
        t.constant_named += r.constant_named;
        t.units_consistent += r.units_consistent;
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

SeedTotals seed_totals(const std::vector<LawResult>& results) {
    std::map<std::uint64_t, std::vector<LawResult>> by_seed;
    for (const auto& r : results) by_seed[r.seed].push_back(r);
    SeedTotals s;
    s.seeds = by_seed.size();
    if (by_seed.empty()) return s;
    auto spread = [&](auto count) {
        SeedSpread out{0.0, INFINITY, -INFINITY};
        for (const auto& entry : by_seed) {
            const double v = static_cast<double>(count(totals(entry.second)));
            out.mean += v / static_cast<double>(by_seed.size());
            out.min = std::min(out.min, v);
            out.max = std::max(out.max, v);
        }
        return out;
    };
    s.runs = spread([](const SuiteTotals& t) { return t.runs; });
    s.exact = spread([](const SuiteTotals& t) { return t.exact; });
    s.symbolic_solution = spread([](const SuiteTotals& t) { return t.symbolic_solution; });
    s.accurate = spread([](const SuiteTotals& t) { return t.accurate; });
    s.within_textbook_size = spread([](const SuiteTotals& t) { return t.within_textbook_size; });
    s.constant_named = spread([](const SuiteTotals& t) { return t.constant_named; });
    // Laws in result order with the number of runs and of successes under each rule.
    std::vector<std::string> order;
    std::map<std::string, std::array<std::size_t, 3>> count;  // runs, exact, symbolic
    for (const auto& r : results) {
        auto [it, fresh] = count.try_emplace(r.id, std::array<std::size_t, 3>{0, 0, 0});
        if (fresh) order.push_back(r.id);
        ++it->second[0];
        it->second[1] += r.exact;
        it->second[2] += r.symbolic_solution;
    }
    for (const auto& id : order) {
        const auto& c = count.at(id);
        if (c[1] > 0 && c[1] < c[0]) s.exact_on_some_seeds.push_back(id);
        if (c[2] > 0 && c[2] < c[0]) s.symbolic_on_some_seeds.push_back(id);
    }
    return s;
}

}  // namespace kepler::bench
