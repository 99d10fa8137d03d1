// kepler bench feynman [...]: run the benchmark suite and write results.json, results.csv and
// summary.md. kepler bench merge DIR... : combine the results of shards.
#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "interrupt.hpp"
#include "option_checks.hpp"
#include "process_peers.hpp"
#include "suite_runner.hpp"

namespace kepler::cli {

namespace {

struct BenchArguments {
    bench::SuiteOptions suite;
    std::string shard = "1/1";
    std::string out = "bench-results";
    bool no_units = false;
    std::vector<std::string> merge_dirs;
};

bool parse_shard(const std::string& text, bench::SuiteOptions& o) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return false;
    try {
        std::size_t used = 0;
        const long i = std::stol(text.substr(0, slash), &used);
        if (used != slash) return false;
        const long n = std::stol(text.substr(slash + 1), &used);
        if (used != text.size() - slash - 1 || n < 1 || i < 1 || i > n) return false;
        o.shard_index = static_cast<std::size_t>(i);
        o.shard_count = static_cast<std::size_t>(n);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

// The totals of some runs, and their spread over seeds when there are several.
void print_level_totals(const std::vector<bench::LawResult>& results, bool constants) {
    const bench::SuiteTotals t = bench::totals(results);
    std::cout << "exact " << t.exact << "/" << t.runs << ", symbolic solution (SRBench) " << t.symbolic_solution << "/"
              << t.runs << ", accurate " << t.accurate << "/" << t.runs << ", within " << bench::kTextbookSizeRatio
              << "x the textbook's size " << t.within_textbook_size << "/" << t.runs << "; median time "
              << t.median_seconds << " s (exactly solved: " << t.median_seconds_exact << " s), max " << t.max_seconds
              << " s\n";
    if (constants)
        std::cout << "constant named " << t.constant_named << "/" << t.with_constants
                  << " (runs with a constant column removed)\n";
    const bench::SeedTotals s = bench::seed_totals(results);
    if (s.seeds > 1)
        std::cout << "over " << s.seeds << " seeds: exact " << s.exact.mean << " (" << s.exact.min << "-" << s.exact.max
                  << "), symbolic solution " << s.symbolic_solution.mean << " (" << s.symbolic_solution.min << "-"
                  << s.symbolic_solution.max << ") of " << s.runs.mean
                  << " per seed; exact on some seeds only: " << s.exact_on_some_seeds.size() << "\n";
}

void print_totals(const bench::SuiteReport& report, const std::string& out) {
    const std::vector<double> levels = bench::noise_levels_of(report.results);
    if (levels.size() > 1)
        for (double level : levels) {
            std::cout << "noise " << level << ": ";
            print_level_totals(bench::at_noise(report.results, level), report.options.constants);
        }
    else
        print_level_totals(report.results, report.options.constants);
    std::cout << "results written to " << out << "/results.json, results.csv, summary.md, report.html\n";
}

// The commit the results are of, when the environment names it (KEPLER_COMMIT).
void stamp_commit(bench::SuiteReport& report) {
    if (const char* commit = std::getenv("KEPLER_COMMIT")) report.commit = commit;
}

// Under mpirun: the runs (law x seed) dealt to the ranks as they ask (Peers::deal), each
// result sent to rank 0 as JSON text; rank 0 keeps them in the order one process would have
// run them. Only rank 0 prints and writes. If a run fails on some rank, `failure` says which
// and the report holds the runs that finished (deal stops handing out runs after a failure).
// Rank 0 also writes the runs so far to `out` as they arrive (at most every kPartialWriteSeconds):
// a rank that dies (a signal, the kernel's OOM killer) makes mpirun end the whole job at once,
// and the runs that finished before are then still on disk.
constexpr double kPartialWriteSeconds = 2.0;

bench::SuiteReport run_spread(const bench::SuiteOptions& options, Peers& peers, const std::atomic<bool>* stop,
                              const std::string& out, std::optional<PeerFailure>& failure) {
    using Clock = std::chrono::steady_clock;
    bench::check_suite_options(options);
    const std::vector<bench::SuiteTask> tasks = bench::suite_tasks(options);
    std::vector<bench::LawResult> arrived;
    std::vector<std::optional<bench::LawResult>> by_task(tasks.size());  // as they arrive on rank 0
    auto so_far = [&] {
        bench::SuiteReport report;
        report.options = options;
        stamp_commit(report);
        for (const auto& r : by_task)
            if (r) report.results.push_back(*r);
        return report;
    };
    const bool overwrite = isatty(STDERR_FILENO);
    std::optional<Clock::time_point> written;
    try {
        peers.deal(
            tasks.size(),
            [&](std::size_t i) { return bench::law_result_text(bench::run_suite_task(tasks[i], options, stop)); },
            [&](std::size_t i, const std::string& text) {
                by_task[i] = bench::law_result_from_text(text);
                arrived.push_back(*by_task[i]);
                bench::print_suite_progress(std::cerr, overwrite, arrived, tasks.size());
                if (written && std::chrono::duration<double>(Clock::now() - *written).count() < kPartialWriteSeconds)
                    return;
                written = Clock::now();
                try {
                    bench::write_suite_results(so_far(), out);
                } catch (const std::runtime_error&) {
                    // Left to the final write, which reports it; deal() must not see an exception.
                }
            },
            stop);
    } catch (const PeerFailure& e) {
        failure = e;
    }
    if (overwrite && !arrived.empty()) std::cerr << "\n";
    return so_far();
}

int run_feynman(BenchArguments& args) {
    if (!parse_shard(args.shard, args.suite)) {
        std::cerr << "kepler: error: --shard " << args.shard << ": expected I/N with 1 <= I <= N\n";
        return kBadInput;
    }
    args.suite.use_units = !args.no_units;
    Peers& peers = process_peers();
    bench::SuiteReport report;
    std::optional<PeerFailure> failure;  // a run that failed on some rank (under mpirun)
    try {
        if (peers.size() > 1)
            report = run_spread(args.suite, peers, &install_interrupt_handler(), args.out, failure);
        else
            report =
                bench::run_feynman_suite(args.suite, &std::cerr, isatty(STDERR_FILENO), &install_interrupt_handler());
    } catch (const std::invalid_argument& e) {
        if (peers.rank() == 0) std::cerr << "kepler: error: " << e.what() << "\n";
        return kBadInput;
    }
    if (peers.rank() != 0) return failure ? kInternalFailure : kSuccess;
    stamp_commit(report);
    try {
        bench::write_suite_results(report, args.out);
    } catch (const std::runtime_error& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return kBadInput;
    }
    print_totals(report, args.out);
    if (failure) {
        // The job's runs that finished are written above; the failure ends it with an error.
        std::cerr << "kepler: error: rank " << failure->failed_rank() << " of " << peers.size()
                  << ": a run failed: " << failure->what() << "; the " << report.results.size()
                  << " runs that finished are written to " << args.out << "\n";
        return kInternalFailure;
    }
    return kSuccess;
}

int run_merge(const BenchArguments& args) {
    try {
        std::vector<bench::SuiteReport> shards;
        for (const auto& dir : args.merge_dirs) shards.push_back(bench::read_suite_results(dir));
        const bench::SuiteReport merged = bench::merge_suite_results(shards);
        bench::write_suite_results(merged, args.out);
        print_totals(merged, args.out);
        return kSuccess;
    } catch (const std::runtime_error& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return kBadInput;
    }
}

}  // namespace

Runner add_bench_command(CLI::App& app) {
    auto args = std::make_shared<BenchArguments>();
    CLI::App* bench = app.add_subcommand("bench", "Benchmark suites: run the Feynman database, merge shard results");
    bench->require_subcommand(1);
    CLI::App* feynman = bench->add_subcommand("feynman", "Fit and judge the 100 laws of the Feynman database");
    feynman->add_option("--only", args->suite.only, "Law ids to run (comma-separated; default: all)")->delimiter(',');
    feynman
        ->add_option("--noise", args->suite.noise_levels,
                     "Noise sd as a fraction of the target's RMS; several levels comma-separated (0,0.01,0.1)")
        ->delimiter(',')
        ->check(finite_number(0.0, 1e6, false, "a noise fraction"))
        ->capture_default_str();
    feynman
        ->add_option("--input-noise", args->suite.input_noise,
                     "Noise sd on each input as a fraction of its RMS (errors in the variables)")
        ->check(finite_number(0.0, 1e6, false, "a noise fraction"))
        ->capture_default_str();
    feynman->add_option("--rows", args->suite.rows, "Training rows per law")
        ->check(whole_number(1, kMaxGeneratedRows, "a number of rows"))
        ->capture_default_str();
    feynman->add_option("--time-limit", args->suite.time_limit, "Seconds per law")
        ->check(finite_number(0.0, kMaxSeconds, true, "a number of seconds"))
        ->capture_default_str();
    feynman
        ->add_option("--max-evals", args->suite.max_evaluations,
                     "Evaluations per law (0 = no bound): a run bounded by evaluations is reproducible")
        ->capture_default_str();
    feynman->add_option("--threads", args->suite.threads, "Worker threads (0 = all cores)")
        ->check(whole_number(0, kMaxThreads, "a thread count"))
        ->capture_default_str();
    feynman->add_option("--seeds", args->suite.seeds, "Runs per law, with seeds S..S+K-1 (S = --first-seed)")
        ->check(whole_number(1, 1000, "a number of runs"))
        ->capture_default_str();
    feynman
        ->add_option("--first-seed", args->suite.first_seed,
                     "The first seed: run seeds as separate jobs and join them with bench merge")
        ->check(whole_number(1, 1000000, "a seed"))
        ->capture_default_str();
    feynman->add_option("--shard", args->shard, "Run every N-th law starting at the I-th (I/N, 1-based)")
        ->capture_default_str();
    feynman->add_option("--out", args->out, "Directory for results.json, results.csv, summary.md, report.html")
        ->capture_default_str();
    feynman->add_flag("--no-units", args->no_units, "Fit without dimensional analysis");
    feynman
        ->add_option("--rescale", args->suite.rescale,
                     "Measure each law's table in base units of 10^k m, s, kg, K, V with k in -K..K per law and seed")
        ->check(whole_number(0, 30, "a power-of-ten bound"))
        ->capture_default_str();
    feynman->add_flag("--constants", args->suite.constants,
                      "Remove the columns that are physical constants (c, G, h, k_B, eps0, ...) and fix them at "
                      "their values");
    CLI::App* merge = bench->add_subcommand("merge", "Combine the results of shards into one");
    merge->add_option("dirs", args->merge_dirs, "Result directories of the shards")->required();
    merge->add_option("--out", args->out, "Directory for the merged results")->capture_default_str();
    return [args, feynman, merge]() -> int {
        if (feynman->parsed()) return run_feynman(*args);
        if (merge->parsed()) return run_merge(*args);
        return kBadInput;
    };
}

}  // namespace kepler::cli
