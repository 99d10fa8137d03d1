#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <stdexcept>

#include "kepler/report/report.hpp"
#include "suite_runner.hpp"

namespace kepler::bench {

namespace {

using nlohmann::json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double number_of(const json& j) { return j.is_number() ? j.get<double>() : INFINITY; }

json to_json(const SuiteOptions& o) {
    // One level as a number (as files before several levels), several as an array.
    const json noise = o.noise_levels.size() == 1 ? json(o.noise_levels.front()) : json(o.noise_levels);
    return {{"only", o.only},
            {"noise", noise},
            {"input_noise", o.input_noise},
            {"rows", o.rows},
            {"time_limit", o.time_limit},
            {"max_evaluations", o.max_evaluations},
            {"threads", o.threads},
            {"seeds", o.seeds},
            {"first_seed", o.first_seed},
            {"shard", std::to_string(o.shard_index) + "/" + std::to_string(o.shard_count)},
            {"use_units", o.use_units},
            {"rescale", o.rescale},
            {"constants", o.constants}};
}

SuiteOptions options_from(const json& j) {
    SuiteOptions o;
    o.only = j.value("only", std::vector<std::string>{});
    const json noise = j.value("noise", json(0.0));
    o.noise_levels = noise.is_array() ? noise.get<std::vector<double>>() : std::vector<double>{noise.get<double>()};
    if (o.noise_levels.empty()) o.noise_levels = {0.0};
    o.input_noise = j.value("input_noise", 0.0);
    o.rows = j.value("rows", std::size_t{1000});
    o.time_limit = j.value("time_limit", 60.0);
    o.max_evaluations = j.value("max_evaluations", std::size_t{0});
    o.threads = j.value("threads", 0);
    o.seeds = j.value("seeds", std::size_t{1});
    o.first_seed = j.value("first_seed", std::uint64_t{1});
    o.use_units = j.value("use_units", true);
    o.rescale = j.value("rescale", 0);
    o.constants = j.value("constants", false);
    return o;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string md_cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

std::string format(const char* f, double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, f, v);
    return buffer;
}

std::string percent(std::size_t k, std::size_t n) {
    return std::to_string(k) + "/" + std::to_string(n) + " (" +
           format("%.0f", n ? 100.0 * double(k) / double(n) : 0.0) + "%)";
}

json to_json(const SeedSpread& s) { return {{"mean", s.mean}, {"min", s.min}, {"max", s.max}}; }

json to_json(const SeedTotals& s) {
    return {{"seeds", s.seeds},
            {"runs", to_json(s.runs)},
            {"exact", to_json(s.exact)},
            {"symbolic_solution", to_json(s.symbolic_solution)},
            {"accurate", to_json(s.accurate)},
            {"within_textbook_size", to_json(s.within_textbook_size)},
            {"constant_named", to_json(s.constant_named)},
            {"exact_on_some_seeds", s.exact_on_some_seeds},
            {"symbolic_solution_on_some_seeds", s.symbolic_on_some_seeds}};
}

// "97.3 (96–99) of 100": a count per seed as mean and spread.
std::string spread_cell(const SeedSpread& s, const SeedSpread& runs) {
    return format("%.1f", s.mean) + " (" + format("%.0f", s.min) + "–" + format("%.0f", s.max) + ") of " +
           format("%.0f", runs.mean);
}

std::string joined(const std::vector<std::string>& items) {
    if (items.empty()) return "none";
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

// "seed 1", "seeds 1, 2, 3": the seeds the results hold (a merge of seed shards has them all).
std::string seeds_text(const SuiteReport& report) {
    std::set<std::uint64_t> seeds;
    for (const auto& r : report.results) seeds.insert(r.seed);
    std::string text = seeds.size() == 1 ? "seed " : "seeds ";
    for (auto it = seeds.begin(); it != seeds.end(); ++it) text += (it == seeds.begin() ? "" : ", ") + std::to_string(*it);
    return seeds.empty() ? "no runs" : text;
}

std::string joined_or_empty(const std::vector<std::string>& items) { return items.empty() ? "" : joined(items); }

std::string over_seeds_markdown(const SeedTotals& s, bool with_constants) {
    std::string md = "Over " + std::to_string(s.seeds) + " seeds (per seed: mean (min–max)):\n\n";
    md += "| | mean (min–max) |\n|---|---|\n";
    md += "| exact | " + spread_cell(s.exact, s.runs) + " |\n";
    md += "| symbolic solution (SRBench) | " + spread_cell(s.symbolic_solution, s.runs) + " |\n";
    md += "| accurate | " + spread_cell(s.accurate, s.runs) + " |\n";
    md += "| within the textbook's size | " + spread_cell(s.within_textbook_size, s.runs) + " |\n";
    if (with_constants) md += "| constant named | " + spread_cell(s.constant_named, s.runs) + " |\n";
    md += "\nExact on some seeds but not all: " + joined(s.exact_on_some_seeds) + ".\n";
    md += "Symbolic solution on some seeds but not all: " + joined(s.symbolic_on_some_seeds) + ".\n\n";
    return md;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

json to_json(const LawResult& r) {
    return {{"id", r.id},
            {"seed", r.seed},
            {"noise", r.noise},
            {"inputs", r.inputs},
            {"truth", r.truth},
            {"found", r.found},
            {"exact", r.exact},
            {"symbolic_solution", r.symbolic_solution},
            {"accurate", r.accurate},
            {"found_size", r.found_size},
            {"truth_size", r.truth_size},
            {"size_ratio", number(size_ratio(r))},
            {"form_error", number(r.form_error)},
            {"heldout_r2", number(r.heldout_r2)},
            {"max_relative_error", number(r.max_relative_error)},
            {"seconds", r.seconds},
            {"evaluations", r.evaluations},
            {"interrupted", r.interrupted},
            {"reason", r.reason},
            {"unit_exponents", r.unit_exponents},
            {"constants", r.constants},
            {"constant_named", r.constant_named},
            {"units_consistent", r.units_consistent}};
}

// `level`: the noise level of a result written before results carried theirs (a file of one level).
LawResult law_result_from(const json& j, double level) {
    LawResult r;
    r.id = j.at("id").get<std::string>();
    r.seed = j.value("seed", std::uint64_t{1});
    r.noise = j.value("noise", level);
    r.inputs = j.value("inputs", std::size_t{0});
    r.truth = j.value("truth", "");
    r.found = j.value("found", "");
    r.exact = j.value("exact", false);
    // Files written before SRBench's rule carry "lenient", its numeric approximation.
    r.symbolic_solution = j.value("symbolic_solution", j.value("lenient", false));
    r.accurate = j.value("accurate", false);
    r.found_size = j.value("found_size", std::size_t{0});
    r.truth_size = j.value("truth_size", std::size_t{0});
    const json form = j.value("form_error", json());
    r.form_error = form.is_number() ? form.get<double>() : std::nan("");
    r.heldout_r2 = number_of(j.value("heldout_r2", json()));
    r.max_relative_error = number_of(j.value("max_relative_error", json()));
    r.seconds = j.value("seconds", 0.0);
    r.evaluations = j.value("evaluations", std::size_t{0});
    r.interrupted = j.value("interrupted", false);
    r.reason = j.value("reason", "");
    r.unit_exponents = j.value("unit_exponents", std::vector<double>{});
    r.constants = j.value("constants", std::vector<std::string>{});
    r.constant_named = j.value("constant_named", false);
    r.units_consistent = j.value("units_consistent", false);
    return r;
}

}  // namespace

std::string law_result_text(const LawResult& r) { return to_json(r).dump(); }

LawResult law_result_from_text(const std::string& text) {
    try {
        return law_result_from(json::parse(text), 0.0);  // law_result_text always writes the level
    } catch (const json::exception& e) {
        throw std::runtime_error(std::string("not a result of kepler bench: ") + e.what());
    }
}

namespace {

json to_json(const SuiteTotals& t) {
    return {{"runs", t.runs},
            {"exact", t.exact},
            {"symbolic_solution", t.symbolic_solution},
            {"accurate", t.accurate},
            {"within_textbook_size", t.within_textbook_size},
            {"textbook_size_ratio", kTextbookSizeRatio},
            {"median_seconds", t.median_seconds},
            {"median_seconds_exact", t.median_seconds_exact},
            {"max_seconds", t.max_seconds},
            {"with_constants", t.with_constants},
            {"constant_named", t.constant_named},
            {"units_consistent", t.units_consistent}};
}

// The totals of some runs (one noise level, or all of a one-level run) as summary.md's table,
// then their spread over seeds when there are several.
std::string totals_markdown(const std::vector<LawResult>& results, const SuiteOptions& o) {
    const SuiteTotals t = totals(results);
    std::string md = "| | count |\n|---|---|\n";
    md +=
        "| exact (Kepler: the law on wider ranges; at noise > 0 also its form) | " + percent(t.exact, t.runs) + " |\n";
    md += "| symbolic solution (SRBench's rule: floats rounded to 3 decimals, then difference or ratio constant) | " +
          percent(t.symbolic_solution, t.runs) + " |\n";
    md += "| accurate (held-out R² > 0.999) | " + percent(t.accurate, t.runs) + " |\n";
    md += "| printed within " + format("%.1f", kTextbookSizeRatio) + "× the textbook's size (SymPy nodes) | " +
          percent(t.within_textbook_size, t.runs) + " |\n";
    md += "| median time per law | " + format("%.2f", t.median_seconds) + " s |\n";
    md += "| median time per exactly solved law | " + format("%.2f", t.median_seconds_exact) + " s |\n";
    md += "| maximum time | " + format("%.2f", t.max_seconds) + " s |\n";
    if (o.constants)
        md += "| constant named (of the runs with a constant column removed) | " +
              percent(t.constant_named, t.with_constants) + " |\n";
    if (o.use_units)
        md += "| every front member dimensionally consistent (units on) | " + percent(t.units_consistent, t.runs) +
              " |\n";
    md += "\n";
    const SeedTotals st = seed_totals(results);
    if (st.seeds > 1) md += over_seeds_markdown(st, o.constants);
    return md;
}

std::string levels_text(const std::vector<double>& levels) {
    std::string text;
    for (double level : levels) text += (text.empty() ? "" : ", ") + format("%g", level);
    return text;
}

}  // namespace

void write_suite_results(const SuiteReport& report, const std::string& directory) {
    std::filesystem::create_directories(directory);
    const std::filesystem::path dir(directory);
    const std::vector<double> levels = noise_levels_of(report.results);

    json runs = json::array();
    for (const auto& r : report.results) runs.push_back(to_json(r));
    // "totals" is over every run; with several noise levels "by_noise" gives each level's.
    json doc = {{"suite", "feynman"},
                {"commit", report.commit},
                {"options", to_json(report.options)},
                {"totals", to_json(totals(report.results))},
                {"results", runs}};
    const SeedTotals st = seed_totals(report.results);
    if (levels.size() > 1) {
        doc["by_noise"] = json::array();
        for (double level : levels) {
            const std::vector<LawResult> some = at_noise(report.results, level);
            json entry = {{"noise", level}, {"totals", to_json(totals(some))}};
            if (const SeedTotals s = seed_totals(some); s.seeds > 1) entry["over_seeds"] = to_json(s);
            doc["by_noise"].push_back(std::move(entry));
        }
    } else if (st.seeds > 1) {
        doc["over_seeds"] = to_json(st);
    }
    write_file(dir / "results.json", doc.dump(2) + "\n");
    write_file(dir / "report.html", report::bench_report_html(doc));

    std::string csv =
        "id,seed,noise,inputs,exact,symbolic_solution,accurate,heldout_r2,max_relative_error,seconds,evaluations,found_size,"
        "truth_size,size_ratio,constants,constant_named,units_consistent,found,truth\n";
    for (const auto& r : report.results)
        csv += r.id + "," + std::to_string(r.seed) + "," + format("%g", r.noise) + "," + std::to_string(r.inputs) + "," + (r.exact ? "1" : "0") +
               "," + (r.symbolic_solution ? "1" : "0") + "," + (r.accurate ? "1" : "0") + "," +
               format("%.9g", r.heldout_r2) + "," + format("%.3g", r.max_relative_error) + "," +
               format("%.3f", r.seconds) + "," + std::to_string(r.evaluations) + "," + std::to_string(r.found_size) +
               "," + std::to_string(r.truth_size) + "," + format("%.3f", size_ratio(r)) + "," +
               csv_field(joined_or_empty(r.constants)) + "," + (r.constant_named ? "1" : "0") + "," +
               (r.units_consistent ? "1" : "0") + "," + csv_field(r.found) + "," + csv_field(r.truth) + "\n";
    write_file(dir / "results.csv", csv);

    const SuiteOptions& o = report.options;
    std::string md = "# Kepler on the Feynman database\n\n";
    md += "Options: noise " + levels_text(levels.empty() ? o.noise_levels : levels) +
          (o.input_noise > 0.0 ? ", input noise " + format("%g", o.input_noise) : std::string()) + ", " +
          std::to_string(o.rows) + " rows, time limit " + format("%g", o.time_limit) + " s, " +
          (o.max_evaluations > 0 ? std::to_string(o.max_evaluations) + " evaluations, " : std::string()) +
          seeds_text(report) + ", " + (o.use_units ? "units on" : "units off") +
          (o.rescale > 0 ? ", base units rescaled by 10^k, |k| <= " + std::to_string(o.rescale) : std::string()) +
          (o.constants ? ", constants fixed at their values" : "") +
          (report.commit.empty() ? "" : ", commit " + report.commit) + ".\n\n";
    if (levels.size() > 1)
        for (double level : levels) md += "## Noise " + format("%g", level) + "\n\n" + totals_markdown(at_noise(report.results, level), o);
    else
        md += totals_markdown(report.results, o);
    md +=
        "| law | seed | noise | inputs | exact | SRBench | accurate | held-out R² | size found/textbook | time (s) | "
        "found | truth |\n";
    md += "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& r : report.results)
        md += "| " + r.id + " | " + std::to_string(r.seed) + " | " + format("%g", r.noise) + " | " +
              std::to_string(r.inputs) + " | " +
              (r.exact ? "yes" : "no") + " | " + (r.symbolic_solution ? "yes" : "no") + " | " +
              (r.accurate ? "yes" : "no") + " | " + format("%.6f", r.heldout_r2) + " | " +
              std::to_string(r.found_size) + "/" + std::to_string(r.truth_size) + " (" + format("%.2f", size_ratio(r)) +
              ") | " + format("%.2f", r.seconds) + " | `" + md_cell(r.found) + "` | `" + md_cell(r.truth) + "` |\n";
    write_file(dir / "summary.md", md);
}

SuiteReport read_suite_results(const std::string& directory) {
    const std::filesystem::path path = std::filesystem::path(directory) / "results.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    json doc;
    try {
        doc = json::parse(in);
        SuiteReport report;
        report.options = options_from(doc.at("options"));
        report.commit = doc.value("commit", "");
        for (const auto& j : doc.at("results"))
            report.results.push_back(law_result_from(j, report.options.noise_levels.front()));
        return report;
    } catch (const json::exception& e) {
        throw std::runtime_error(path.string() + ": not a results file of kepler bench: " + e.what());
    }
}

SuiteReport merge_suite_results(const std::vector<SuiteReport>& shards) {
    SuiteReport merged;
    if (shards.empty()) return merged;
    merged.options = shards.front().options;
    merged.options.shard_index = 1;
    merged.options.shard_count = 1;
    merged.commit = shards.front().commit;
    std::set<std::tuple<std::string, std::uint64_t, double>> seen;
    for (const auto& s : shards)
        for (const auto& r : s.results) {
            if (!seen.insert({r.id, r.seed, r.noise}).second)
                throw std::runtime_error("law " + r.id + " seed " + std::to_string(r.seed) + " noise " +
                                         format("%g", r.noise) + " appears in two shards");
            merged.results.push_back(r);
        }
    // Shards of noise levels merge into one run over all of them.
    if (!merged.results.empty()) merged.options.noise_levels = noise_levels_of(merged.results);
    // Shards of seeds (--first-seed) merge into one run over all of them; shards of other
    // commits are named, so a merged table never passes for one commit's.
    std::set<std::uint64_t> seeds;
    for (const auto& r : merged.results) seeds.insert(r.seed);
    if (!seeds.empty()) {
        merged.options.first_seed = *seeds.begin();
        merged.options.seeds = seeds.size();
    }
    for (const auto& s : shards)
        if (merged.commit.find(s.commit) == std::string::npos) merged.commit += "+" + s.commit;
    // By noise level, then database order, as a single run would list them.
    SuiteOptions all;
    std::map<std::string, std::size_t> order;
    for (const auto& id : selected_law_ids(all)) order.emplace(id, order.size());
    std::stable_sort(merged.results.begin(), merged.results.end(), [&](const LawResult& a, const LawResult& b) {
        const std::size_t ia = order.count(a.id) ? order.at(a.id) : order.size();
        const std::size_t ib = order.count(b.id) ? order.at(b.id) : order.size();
        if (a.noise != b.noise) return a.noise < b.noise;
        return ia != ib ? ia < ib : a.seed < b.seed;
    });
    return merged;
}

}  // namespace kepler::bench
