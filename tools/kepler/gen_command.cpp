// kepler gen feynman ID --rows N --seed S [--noise EPS] [--input-noise EPS] [--out FILE] > table.csv
// A table sampled from a benchmark law: inputs uniform in the published ranges, units in the
// header (the `feynman` unit system), Gaussian noise of sd EPS*rms(target) on the target and
// (--input-noise) of sd EPS*rms(input) on each input, after the target was computed.
//
// kepler gen rig NAME [--rows N] [--channels C] [--noise F] [--gaps F] [--seed S]
//                     [--period SEC] [--no-time] [--out FILE]
// A wide sensor log of a simulated rig with a hidden law among distractors
// (datasets/generators/sensor_log.hpp; the rigs are described in datasets/sensor-logs/README.md).
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "option_checks.hpp"
#include "result_output.hpp"
#include "sensor_log.hpp"
#include "suite_runner.hpp"
#include "uniform_table.hpp"

namespace kepler::cli {

namespace {

struct GenArguments {
    std::string database;
    std::string id;
    std::size_t rows = 0;  // 0: the database's default (1000 for feynman, 2000 for rig)
    std::uint64_t seed = 1;
    double noise = -1.0;       // < 0: the database's default (0 for feynman, 0.01 for rig)
    double input_noise = 0.0;  // feynman only
    CLI::Option* input_noise_option = nullptr;
    std::size_t channels = 0;  // rig only; 0: the rig's default
    double gaps = 0.02;        // rig only
    double period = 5.0;       // rig only
    bool no_time = false;      // rig only
    std::string out;           // empty: stdout
    std::vector<CLI::Option*> rig_only;
};

int fail(const std::string& message) {
    std::cerr << "kepler: error: " << message << "\n";
    return kBadInput;
}

// Writes through `write` to --out (atomically: an earlier file is never left half written), or
// to stdout when none was given.
template <typename Write>
int emit(const std::string& path, Write write) {
    if (path.empty()) {
        write(std::cout);
        std::cout.flush();
        return std::cout ? kSuccess : kInternalFailure;
    }
    std::ostringstream text;
    write(text);
    try {
        write_file_atomically(path, text.str());
    } catch (const std::runtime_error& e) {
        return fail(e.what());
    }
    return kSuccess;
}

// Whether --out can be written, found out before the table is drawn.
std::string out_problem(const std::string& path) {
    return path.empty() ? std::string() : output_path_problem(path, {});
}

int run_feynman(const GenArguments& args) {
    if (const std::string problem = out_problem(args.out); !problem.empty()) return fail("--out: " + problem);
    for (const CLI::Option* option : args.rig_only)
        if (option->count() > 0) return fail(option->get_name() + " applies to `kepler gen rig` only");
    for (const auto& law : bench::feynman_laws()) {
        if (law.id != args.id) continue;
        const std::size_t rows = args.rows == 0 ? 1000 : args.rows;
        const double noise = args.noise < 0.0 ? 0.0 : args.noise;
        const std::string csv =
            datasets::to_csv(datasets::uniform_table(bench::spec_of(law), rows, args.seed, noise, args.input_noise));
        return emit(args.out, [&](std::ostream& out) { out << csv; });
    }
    return fail("no law '" + args.id + "' in the feynman database (ids like I.6.2a, II.11.27, III.4.32)");
}

int run_rig(const GenArguments& args) {
    if (const std::string problem = out_problem(args.out); !problem.empty()) return fail("--out: " + problem);
    if (args.input_noise_option->count() > 0) return fail("--input-noise applies to `kepler gen feynman` only");
    datasets::SensorLogSpec spec;
    spec.rows = args.rows == 0 ? 2000 : args.rows;
    spec.channels = args.channels;
    spec.seed = args.seed;
    spec.noise = args.noise < 0.0 ? 0.01 : args.noise;
    spec.gaps = args.gaps;
    spec.sample_period_seconds = args.period;
    datasets::SensorLog log;
    try {
        log = datasets::generate_sensor_log(args.id, spec);
    } catch (const std::invalid_argument& e) {
        return fail(e.what());
    }
    return emit(args.out, [&](std::ostream& out) { datasets::write_csv(out, log, !args.no_time); });
}

}  // namespace

Runner add_gen_command(CLI::App& app) {
    auto args = std::make_shared<GenArguments>();
    CLI::App* gen = app.add_subcommand(
        "gen",
        "Write a CSV table sampled from a benchmark law (fit it with --unit-system feynman), or a rig's sensor log");
    gen->add_option("database", args->database, "feynman (benchmark laws) or rig (sensor logs)")->required();
    gen->add_option("id", args->id, "Law id, e.g. I.12.1; or rig: gas-piston, heated-wire, pendulum")->required();
    gen->add_option("--rows", args->rows, "Rows to draw (default 1000; rig: 2000)")
        ->check(whole_number(1, kMaxGeneratedRows, "a number of rows"));
    gen->add_option("--seed", args->seed, "Random seed")
        ->check(whole_number(0, kMaxSeed, "a seed"))
        ->capture_default_str();
    gen->add_option("--noise", args->noise, "Noise sd on the target as a fraction of its RMS (default 0; rig: 0.01)")
        ->check(finite_number(0.0, 1e6, false, "a noise fraction"));
    args->input_noise_option =
        gen->add_option("--input-noise", args->input_noise,
                        "feynman: noise sd on each input as a fraction of its RMS (errors in the variables)")
            ->check(finite_number(0.0, 1e6, false, "a noise fraction"));
    gen->add_option("--out", args->out, "Write to FILE instead of stdout");
    args->rig_only = {
        gen->add_option("--channels", args->channels, "rig: channels besides time (default: the rig's, 100 or 120)")
            ->check(whole_number(1, kMaxGeneratedChannels, "a number of channels")),
        gen->add_option("--gaps", args->gaps, "rig: fraction of empty cells")
            ->check(finite_number(0.0, 0.5, false, "a fraction"))
            ->capture_default_str(),
        gen->add_option("--period", args->period, "rig: seconds between rows")
            ->check(finite_number(0.0, kMaxSeconds, true, "a number of seconds"))
            ->capture_default_str(),
        gen->add_flag("--no-time", args->no_time, "rig: leave out the time column"),
    };
    return [args] {
        if (args->database == "feynman") return run_feynman(*args);
        if (args->database == "rig") return run_rig(*args);
        return fail("unknown law database '" + args->database + "'; expected: feynman, rig");
    };
}

}  // namespace kepler::cli
