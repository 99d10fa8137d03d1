// kepler fit DATA.csv --target COL: search for the law and print the Pareto front.
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "interrupt.hpp"
#include "kepler/pipeline/discover.hpp"
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
    double time_limit = 60.0;
    int threads = 0;
    std::uint64_t seed = 1;
    std::size_t max_nodes = 0;
    UnitArguments units;
    bool no_units = false;
};

int run_fit(const FitArguments& args) {
    auto table = load_table(args.data);
    if (!table) return kBadInput;
    if (!check_column(*table, args.data, args.target, "target")) return kBadInput;
    for (const auto& in : args.inputs)
        if (!check_column(*table, args.data, in, "input")) return kBadInput;

    ResolvedUnits units = resolve_units(*table, args.data, args.units, used_columns(*table, args.target, args.inputs));
    if (!units.ok) return kBadInput;

    DiscoverOptions options;
    if (!args.no_units) options.units = std::move(units.units);
    options.inputs = args.inputs;
    options.search.time_limit_seconds = args.time_limit;
    options.search.threads = args.threads;
    options.search.seed = args.seed;
    if (args.max_nodes > 0) options.search.max_nodes = args.max_nodes;
    options.search.cancel = &install_interrupt_handler();

    DiscoveryResult result;
    try {
        result = discover(*table, args.target, options);
    } catch (const std::invalid_argument& e) {
        std::cerr << "kepler: error: " << args.data << ": " << e.what() << "\n";
        return kBadInput;
    }
    print_report(std::cout, result);
    if (!args.json.empty()) {
        try {
            write_json(args.json, result, args.data);
        } catch (const std::runtime_error& e) {
            std::cerr << "kepler: error: " << e.what() << "\n";
            return kBadInput;
        }
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
        ->check(CLI::PositiveNumber)->capture_default_str();
    fit->add_option("--threads", args->threads, "Worker threads (0 = all cores)")
        ->check(CLI::NonNegativeNumber)->capture_default_str();
    fit->add_option("--seed", args->seed, "Random seed (same seed and threads give the same result)")
        ->capture_default_str();
    fit->add_option("--max-nodes", args->max_nodes, "Largest formula enumerated, in nodes (default: the engine's)");
    fit->add_option("--json", args->json, "Write the result as JSON to this file");
    add_unit_options(*fit, args->units);
    fit->add_flag("--no-units", args->no_units, "Ignore the units: search without dimensional analysis");
    return [args] { return run_fit(*args); };
}

}  // namespace kepler::cli
