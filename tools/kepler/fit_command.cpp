// kepler fit DATA.csv --target COL: search for the law and print the Pareto front.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "interrupt.hpp"
#include "kepler/api/fit.hpp"
#include "kepler/api/result_json.hpp"
#include "kepler/api/row_sample.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/report/report.hpp"
#include "option_checks.hpp"
#include "result_output.hpp"
#include "table_loading.hpp"
#include "unit_resolution.hpp"

namespace kepler::cli {

namespace {

struct FitArguments {
    std::string data;
    std::string target;
    std::vector<std::string> inputs;
    std::string json;
    std::string report;  // --report: the HTML report (kepler::report)
    double time_limit = 60.0;
    int threads = 0;
    std::uint64_t seed = 1;
    std::size_t max_nodes = 0;
    std::size_t max_evals = 0;
    std::string ops;         // comma-separated operator names ("" = the engine's default set)
    std::size_t rows = 0;    // read only the first N rows (0 = all)
    std::size_t sample = 0;  // search on a random sample of N rows (0 = all)
    bool keep_spikes = false;
    UnitArguments units;
    bool no_units = false;
    bool quiet = false;
    bool screen = false;     // --screen: screen the channels even with few of them or with --inputs
    bool no_screen = false;  // --no-screen: never
    bool explain = false;    // --explain: print the steps taken before the result
};

// The progress line on stderr while the search runs: elapsed time, candidates per second and
// the best formula so far, rewritten in place ("\r\033[K"), cut to the terminal's width so it
// never wraps. api::fit() calls it at most five times a second, from the thread that called
// it. The line is cleared when the object goes away.
class ProgressLine {
public:
    explicit ProgressLine(std::string target) : target_(std::move(target)) {}
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    ~ProgressLine() { clear(); }

    void show(const api::FitProgress& p) {
        char head[96];
        const double rate = p.seconds > 0.0 ? static_cast<double>(p.evaluations) / p.seconds : 0.0;
        std::snprintf(head, sizeof head, "%.1f s, %.3g candidates/s", p.seconds, rate);
        std::string line = head;
        if (p.has_best) {
            line += ", best: ";
            line += target_;
            line += " = ";
            line += p.best_formula;
        }
        const std::size_t width = terminal_width();
        if (line.size() >= width) {
            line.resize(width > 4 ? width - 4 : 0);
            line += "...";
        }
        std::string out = "\r\033[K";
        out += line;
        std::fputs(out.c_str(), stderr);
        std::fflush(stderr);
        shown_ = true;
    }

    void clear() {
        if (!shown_) return;
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        shown_ = false;
    }

private:
    static std::size_t terminal_width() {
        winsize w{};
        if (ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0) return w.ws_col;
        return 80;
    }

    std::string target_;
    bool shown_ = false;
};

// The options of this run as given (defaults included), for the JSON result.
nlohmann::json options_json(const FitArguments& args) {
    return {{"target", args.target},
            {"inputs", args.inputs},
            {"time_limit", args.time_limit},
            {"threads", args.threads},
            {"seed", args.seed},
            {"max_nodes", args.max_nodes},
            {"max_evals", args.max_evals},
            {"ops", args.ops},
            {"rows", args.rows},
            {"sample", args.sample},
            {"keep_spikes", args.keep_spikes},
            {"unit_system", args.units.unit_system},
            {"units_file", args.units.units_file},
            {"no_units", args.no_units},
            {"screen", args.screen      ? "on"
                       : args.no_screen ? "off"
                                        : "automatic"}};
}

// The --json and --report files can be written (output_path_problem), and are not one file.
bool output_paths_usable(const FitArguments& args) {
    const std::vector<std::string> inputs{args.data, args.units.units_file, args.units.unit_system};
    for (const auto& [flag, path] : {std::pair{"--json", &args.json}, std::pair{"--report", &args.report}}) {
        if (path->empty()) continue;
        const std::string problem = output_path_problem(*path, inputs);
        if (!problem.empty()) {
            std::cerr << "kepler: error: " << flag << ": " << problem << "\n";
            return false;
        }
    }
    if (!args.json.empty() && args.json == args.report) {
        std::cerr << "kepler: error: --report: '" << args.report << "' is also the --json file\n";
        return false;
    }
    return true;
}

int run_fit(const FitArguments& args) {
    grammar::CsvOptions csv;
    csv.max_rows = args.rows;
    if (!output_paths_usable(args)) return kBadInput;  // found out now, not after the search
    auto table = load_table(args.data, csv);
    if (!table) return kBadInput;

    // The columns, units and screening are api::fit()'s to check and decide.
    api::FitRequest request;
    request.target = args.target;
    request.inputs = args.inputs;
    request.units = args.units.choice();
    request.use_units = !args.no_units;
    request.screening = args.screen      ? api::Screening::on
                        : args.no_screen ? api::Screening::off
                                         : api::Screening::automatic;
    DiscoverOptions& options = request.options;
    options.sample_rows = args.sample;
    options.reject_spikes = !args.keep_spikes;
    options.search.time_limit_seconds = args.time_limit;
    options.search.threads = args.threads;
    options.search.seed = args.seed;
    if (args.max_nodes > 0) options.search.max_nodes = args.max_nodes;
    options.search.max_evaluations = args.max_evals;
    if (!args.ops.empty()) {
        try {
            options.search.operators = operators_from_names(args.ops);
        } catch (const std::invalid_argument& e) {
            std::cerr << "kepler: error: --ops: " << e.what() << "\n";
            return kBadInput;
        }
    }
    options.search.cancel = &install_interrupt_handler();

    // The progress line only where someone watches it: stderr a terminal, and not --quiet.
    std::unique_ptr<ProgressLine> progress;
    if (!args.quiet && isatty(STDERR_FILENO)) {
        progress = std::make_unique<ProgressLine>(args.target);
        request.progress = [line = progress.get()](const api::FitProgress& p) { line->show(p); };
        options.search.progress_interval_seconds = 0.2;
    }

    api::FitOutcome outcome;
    try {
        outcome = api::fit(*table, request, args.data);
    } catch (const api::InputError& e) {
        if (progress) progress->clear();
        std::cerr << "kepler: error: " << e.what() << "\n";
        return kBadInput;
    }
    if (progress) progress->clear();
    const DiscoveryResult& result = outcome.discovery;
    const std::optional<ScreenedDiscoveryResult>& screened = outcome.screened;
    if (screened) print_screening(std::cout, *table, *screened);
    if (args.explain) print_explanation(std::cout, result);
    print_report(std::cout, result);
    if (args.json.empty() && args.report.empty()) return kSuccess;
    try {
        nlohmann::json doc = api::result_json(result, args.data, options_json(args), screened ? &*screened : nullptr);
        doc["sample"] = api::row_sample_json(*table, result);
        if (!args.json.empty()) write_json(args.json, doc);
        if (!args.report.empty()) write_file_atomically(args.report, report::fit_report_html(doc));
    } catch (const std::runtime_error& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return kBadInput;
    }
    return kSuccess;
}

}  // namespace

Runner add_fit_command(CLI::App& app) {
    auto args = std::make_shared<FitArguments>();
    CLI::App* fit = app.add_subcommand("fit", "Find the law that gives TARGET from the other columns of DATA");
    fit->add_option("data", args->data, "CSV table; header cells `name` or `name [unit]`")->required();
    fit->add_option("-t,--target", args->target, "Column the law should give")->required();
    fit->add_option("-i,--inputs", args->inputs, "Columns the law may use (comma-separated; default: all others)")
        ->delimiter(',');
    fit->add_option("--time-limit", args->time_limit, "Search time limit in seconds")
        ->check(finite_number(0.0, kMaxSeconds, true, "a number of seconds"))
        ->capture_default_str();
    fit->add_option("--threads", args->threads, "Worker threads (0 = all cores)")
        ->check(whole_number(0, kMaxThreads, "a thread count"))
        ->capture_default_str();
    fit->add_option("--seed", args->seed, "Random seed (same seed and threads give the same result)")
        ->check(whole_number(0, kMaxSeed, "a seed"))
        ->capture_default_str();
    fit->add_option("--max-nodes", args->max_nodes, "Largest formula enumerated, in nodes (default: the engine's)")
        ->check(whole_number(1, kMaxEnumeratedNodes, "a number of nodes"));
    fit->add_option("--max-evals", args->max_evals,
                    "Stop after about this many candidate evaluations (0 = no limit; never more than N)")
        ->check(whole_number(0, UINT64_MAX, "a number of evaluations"));
    fit->add_option("--rows", args->rows, "Read only the first N data rows of DATA")
        ->check(whole_number(1, UINT64_MAX, "a number of rows"));
    fit->add_option("--sample", args->sample,
                    "Search on a random sample of N rows (drawn with --seed); the front is scored on all rows")
        ->check(whole_number(1, UINT64_MAX, "a number of rows"));
    fit->add_flag("--keep-spikes", args->keep_spikes,
                  "Search on every row, also those whose target is a spike its neighbours do not share");
    fit->add_option("--ops", args->ops,
                    "Operators the search combines, comma-separated: + - * / ^ neg sqrt square exp log sin cos "
                    "tan asin acos atan tanh abs (default: + - * / sqrt square exp log sin cos)");
    fit->add_option("--json", args->json, "Write the result as JSON to this file");
    fit->add_option("--report", args->report,
                    "Write an HTML report to this file: the law, the front, the fit and its residuals (opens offline)");
    add_unit_options(*fit, args->units);
    fit->add_flag("--no-units", args->no_units, "Ignore the units: search without dimensional analysis");
    fit->add_flag("--explain", args->explain,
                  "Print the steps taken: search stages, the surrogate, each structure test and split");
    fit->add_flag("-q,--quiet", args->quiet, "No progress line on stderr while searching");
    CLI::Option* screen = fit->add_flag("--screen", args->screen,
                                        "Screen the channels first and search the few that matter (default with more "
                                        "than 8 candidate inputs and no --inputs)");
    fit->add_flag("--no-screen", args->no_screen, "Search all inputs, never screen")->excludes(screen);
    return [args] { return run_fit(*args); };
}

}  // namespace kepler::cli
