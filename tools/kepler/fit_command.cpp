// kepler fit DATA.csv --target COL: search for the law and print the Pareto front.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "fit_arguments.hpp"
#include "fit_checkpoint.hpp"
#include "interrupt.hpp"
#include "kepler/api/fit.hpp"
#include "kepler/api/result_json.hpp"
#include "kepler/api/row_sample.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/report/report.hpp"
#include "option_checks.hpp"
#include "process_peers.hpp"
#include "result_output.hpp"
#include "table_loading.hpp"
#include "unit_resolution.hpp"

namespace kepler::cli {

namespace {

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

// The --json, --report and --checkpoint files can be written (output_path_problem), and are
// not one file.
bool output_paths_usable(const FitArguments& args) {
    const std::vector<std::string> inputs{args.data, args.units.units_file, args.units.unit_system};
    const std::pair<const char*, const std::string*> outputs[] = {
        {"--json", &args.json}, {"--report", &args.report}, {"--checkpoint", &args.checkpoint}};
    for (std::size_t k = 0; k < std::size(outputs); ++k) {
        const auto& [flag, path] = outputs[k];
        if (path->empty()) continue;
        const std::string problem = output_path_problem(*path, inputs);
        if (!problem.empty()) {
            std::cerr << "kepler: error: " << flag << ": " << problem << "\n";
            return false;
        }
        for (std::size_t j = 0; j < k; ++j)
            if (*outputs[j].second == *path) {
                std::cerr << "kepler: error: " << flag << ": '" << *path << "' is also the " << outputs[j].first
                          << " file\n";
                return false;
            }
    }
    return true;
}

// --resume FILE: the checkpoint read, its options taken into `args` (the data file, target,
// units, seed, ...) and checkpoints written on to FILE unless --checkpoint names another.
// Prints the error and returns nothing on bad input.
std::optional<api::CheckpointFile> take_resume(FitArguments& args) {
    try {
        api::CheckpointFile file = api::read_checkpoint(args.resume);
        take_checkpoint_options(args, file.options, args.resume);
        args.data = file.data_file;
        args.resumed_seconds = file.state.seconds;
        if (!args.time_limit_given) {
            args.time_limit = std::max(0.0, args.time_limit - file.state.seconds);
            if (args.time_limit < 1.0)
                std::cerr << "kepler: note: the checkpointed run's time limit is spent; give --time-limit to search "
                             "longer\n";
        }
        if (args.checkpoint.empty()) args.checkpoint = args.resume;
        return file;
    } catch (const api::InputError& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return std::nullopt;
    }
}

// The request for api::fit from the arguments; false (the error printed) for a bad --ops.
bool build_request(const FitArguments& args, api::FitRequest& request) {
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
    options.search.max_memory_mb = args.max_memory;
    if (!args.ops.empty()) {
        try {
            options.search.operators = operators_from_names(args.ops);
        } catch (const std::invalid_argument& e) {
            std::cerr << "kepler: error: --ops: " << e.what() << "\n";
            return false;
        }
    }
    options.search.cancel = &install_interrupt_handler();
    return true;
}

// The writer of --checkpoint, hooked into the search; none without --checkpoint.
std::unique_ptr<CheckpointWriter> hook_checkpoints(const FitArguments& args, const Table& table,
                                                   api::FitRequest& request) {
    if (args.checkpoint.empty()) return nullptr;
    api::CheckpointFile base;
    base.data_file = args.data;
    base.table = api::fingerprint(table);
    base.options = options_json(args);
    const std::vector<std::size_t> used = used_columns(table, args.target, args.inputs);  // target first
    for (std::size_t k = 1; k < used.size(); ++k) base.inputs.push_back(table.names[used[k]]);
    auto writer = std::make_unique<CheckpointWriter>(args.checkpoint, std::move(base));
    request.options.on_stage_done = [w = writer.get()](const RunCheckpoint& c) { w->on_stage_done(c); };
    return writer;
}

// Under mpirun the one search is spread over the ranks (SearchOptions::peers: the evolution's
// islands on every rank); every rank runs the same fit, and only rank 0 prints and writes.
// Checkpoints are one process's state: not under mpirun.
bool spread_usable(const FitArguments& args, const Peers& peers) {
    if (peers.size() <= 1 || (args.checkpoint.empty() && args.resume.empty())) return true;
    if (peers.rank() == 0)
        std::cerr << "kepler: error: --checkpoint and --resume hold one process's search; they cannot be used "
                     "under mpirun with more than one rank\n";
    return false;
}

// --explain under mpirun: what the collectives of rank 0 sent.
void print_traffic(std::ostream& out, const Peers& peers) {
    if (peers.size() <= 1) return;
    const Peers::Traffic t = peers.traffic();
    out << "spread over " << peers.size() << " ranks: rank 0 took part in " << t.collectives << " collectives and sent "
        << t.messages << " messages, " << t.bytes << " bytes\n";
}

int run_fit(FitArguments args) {
    Peers& peers = process_peers();
    if (!spread_usable(args, peers)) return kBadInput;
    const bool speaks = peers.rank() == 0;
    std::optional<api::CheckpointFile> resumed;
    if (!args.resume.empty() && !(resumed = take_resume(args))) return kBadInput;
    grammar::CsvOptions csv;
    csv.max_rows = args.rows;
    if (!output_paths_usable(args)) return kBadInput;  // found out now, not after the search
    auto table = load_table(args.data, csv);
    if (!table) return kBadInput;
    if (resumed) {
        const std::string difference = api::fingerprint_difference(resumed->table, api::fingerprint(*table));
        if (!difference.empty()) {
            std::cerr << "kepler: error: " << args.resume << ": the table '" << args.data
                      << "' is not the one the checkpoint was made on: " << difference << "\n";
            return kBadInput;
        }
    }

    // The columns, units and screening are api::fit()'s to check and decide.
    api::FitRequest request;
    if (!build_request(args, request)) return kBadInput;
    if (peers.size() > 1) request.options.search.peers = &peers;
    if (resumed) request.options.resume_from = resumed->state;
    std::unique_ptr<CheckpointWriter> checkpoints;
    try {
        checkpoints = hook_checkpoints(args, *table, request);
    } catch (const api::InputError& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return kBadInput;
    }

    // The progress line only where someone watches it: stderr a terminal, and not --quiet.
    std::unique_ptr<ProgressLine> progress;
    if (speaks && !args.quiet && isatty(STDERR_FILENO)) {
        progress = std::make_unique<ProgressLine>(args.target);
        request.progress = [line = progress.get()](const api::FitProgress& p) { line->show(p); };
        request.options.search.progress_interval_seconds = 0.2;
    }

    api::FitOutcome outcome;
    try {
        outcome = api::fit(*table, request, args.data);
        if (checkpoints) checkpoints->finish();  // the last boundary, also after a signal
    } catch (const api::InputError& e) {
        if (progress) progress->clear();
        if (speaks) std::cerr << "kepler: error: " << e.what() << "\n";  // every rank has the same input
        return kBadInput;
    } catch (const std::runtime_error& e) {  // the checkpoint file could not be written
        if (progress) progress->clear();
        std::cerr << "kepler: error: --checkpoint: " << e.what() << "\n";
        return kBadInput;
    }
    if (progress) progress->clear();
    if (!speaks) return kSuccess;
    const DiscoveryResult& result = outcome.discovery;
    const std::optional<ScreenedDiscoveryResult>& screened = outcome.screened;
    if (screened) print_screening(std::cout, *table, *screened);
    if (args.explain) {
        print_explanation(std::cout, result);
        print_traffic(std::cout, peers);
    }
    print_report(std::cout, result);
    if (args.json.empty() && args.report.empty()) return kSuccess;
    try {
        nlohmann::json doc = api::result_json(result, args.data, options_json(args), screened ? &*screened : nullptr);
        if (resumed) {
            doc["resumed_from"] = args.resume;
            doc["evaluations_before_resume"] = resumed->state.evaluations;
        }
        doc["sample"] = api::row_sample_json(*table, result);
        if (!args.json.empty()) write_json(args.json, doc);
        if (!args.report.empty()) write_file_atomically(args.report, report::fit_report_html(doc));
    } catch (const std::runtime_error& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return kBadInput;
    }
    return kSuccess;
}

// With --resume, the options that describe the search come from the checkpoint, and giving
// one too is a usage error (printed; false). Without it, data and --target are needed.
bool command_line_usable(const CLI::App& fit, const FitArguments& args) {
    auto usage = [](const std::string& text) {
        std::cerr << "kepler: error: " << text << "\nRun with --help for more information.\n";
        return false;
    };
    if (args.resume.empty()) {
        if (args.data.empty()) return usage("data is required");
        if (args.target.empty()) return usage("--target is required");
        return true;
    }
    static const std::vector<std::string> kWithResume = {"--resume",  "--time-limit", "--max-evals", "--max-memory",
                                                         "--threads", "--json",       "--report",    "--checkpoint",
                                                         "--quiet",   "--explain",    "--help"};
    for (const CLI::Option* o : fit.get_options()) {
        const std::string name = o->get_name(false, false);
        if (o->count() == 0 || std::find(kWithResume.begin(), kWithResume.end(), name) != kWithResume.end()) continue;
        return usage("--resume: " + (o->get_positional() ? std::string("the data file") : name) +
                     " comes from the checkpoint and cannot be given with --resume (only --time-limit, --max-evals, "
                     "--max-memory, --threads, --json, --report, --checkpoint, --quiet and --explain can)");
    }
    return true;
}

}  // namespace

Runner add_fit_command(CLI::App& app) {
    auto args = std::make_shared<FitArguments>();
    CLI::App* fit = app.add_subcommand("fit", "Find the law that gives TARGET from the other columns of DATA");
    fit->add_option("data", args->data, "CSV table; header cells `name` or `name [unit]` (not with --resume)");
    fit->add_option("-t,--target", args->target, "Column the law should give (required unless --resume)");
    fit->add_option("-i,--inputs", args->inputs, "Columns the law may use (comma-separated; default: all others)")
        ->delimiter(',');
    CLI::Option* time_limit =
        fit->add_option("--time-limit", args->time_limit,
                        "Search time limit in seconds (with --resume: for this part; default what the run had left)")
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
    CLI::Option* max_evals =
        fit->add_option("--max-evals", args->max_evals,
                        "Stop after about this many candidate evaluations (0 = no limit; never more than N; with "
                        "--resume: both parts counted)")
            ->check(whole_number(0, UINT64_MAX, "a number of evaluations"));
    CLI::Option* max_memory =
        fit->add_option("--max-memory", args->max_memory,
                        "Megabytes the working memory of any stage may hold (the enumeration's bank, the structure "
                        "split's, the screening's)")
            ->check(whole_number(1, kMaxMemoryMegabytes, "a number of megabytes"))
            ->capture_default_str();
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
    fit->add_option("--checkpoint", args->checkpoint,
                    "Write the search state to this file at its stage boundaries (at most every 2 s) and at exit");
    fit->add_option("--resume", args->resume,
                    "Go on from a checkpoint file: its data, target and options; writes checkpoints on to it");
    return [args, fit, time_limit, max_evals, max_memory] {
        if (!command_line_usable(*fit, *args)) return static_cast<int>(kBadInput);
        args->time_limit_given = time_limit->count() > 0;
        args->max_evals_given = max_evals->count() > 0;
        args->max_memory_given = max_memory->count() > 0;
        return run_fit(*args);
    };
}

}  // namespace kepler::cli
