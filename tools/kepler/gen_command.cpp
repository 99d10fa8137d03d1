// kepler gen feynman ID --rows N --seed S [--noise EPS] > table.csv
// A table sampled from a benchmark law: inputs uniform in the published ranges, units in the
// header (the `feynman` unit system), Gaussian noise of sd EPS*rms(target) on the target.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "suite_runner.hpp"
#include "uniform_table.hpp"

namespace kepler::cli {

namespace {

struct GenArguments {
    std::string database;
    std::string id;
    std::size_t rows = 1000;
    std::uint64_t seed = 1;
    double noise = 0.0;
};

int run_gen(const GenArguments& args) {
    if (args.database != "feynman") {
        std::cerr << "kepler: error: unknown law database '" << args.database << "'; expected: feynman\n";
        return kBadInput;
    }
    for (const auto& law : bench::feynman_laws()) {
        if (law.id != args.id) continue;
        std::cout << datasets::to_csv(datasets::uniform_table(bench::spec_of(law), args.rows, args.seed, args.noise));
        return kSuccess;
    }
    std::cerr << "kepler: error: no law '" << args.id << "' in the feynman database (ids like I.6.2a, II.11.27, III.4.32)\n";
    return kBadInput;
}

}  // namespace

Runner add_gen_command(CLI::App& app) {
    auto args = std::make_shared<GenArguments>();
    CLI::App* gen = app.add_subcommand("gen", "Write a CSV table sampled from a benchmark law (fit it with --unit-system feynman)");
    gen->add_option("database", args->database, "Law database: feynman")->required();
    gen->add_option("id", args->id, "Law id, e.g. I.12.1")->required();
    gen->add_option("--rows", args->rows, "Rows to draw")->check(CLI::PositiveNumber)->capture_default_str();
    gen->add_option("--seed", args->seed, "Random seed")->capture_default_str();
    gen->add_option("--noise", args->noise, "Noise sd as a fraction of the target's RMS (SRBench convention)")
        ->check(CLI::NonNegativeNumber)->capture_default_str();
    return [args] { return run_gen(*args); };
}

}  // namespace kepler::cli
