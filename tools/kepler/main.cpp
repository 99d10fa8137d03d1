// kepler: find the law behind a table of measurements.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <new>
#include <optional>
#include <stdexcept>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "interrupt.hpp"
#include "kepler/version.hpp"
#include "process_peers.hpp"

namespace {

// CLI11's usage errors in the CLI's own form: "kepler: error: --rows: expected ...".
std::string usage_error(const CLI::App* app, const CLI::Error& e) {
    std::string text = "kepler: error: ";
    text += e.what();
    text += "\n";
    if (app->get_help_ptr() != nullptr) text += "Run with --help for more information.\n";
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace kepler::cli;
    // MPI initialised here when mpirun started us (and finalised when main returns).
    std::optional<PeersSession> peers;
    try {
        peers.emplace();
    } catch (const std::exception& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return kInternalFailure;
    }
    CLI::App app{"Kepler: finds the physical law behind a table of measurements (symbolic regression)"};
    app.failure_message(usage_error);  // before the subcommands, which copy it
    app.require_subcommand(1);
    app.set_version_flag("--version", "kepler " KEPLER_VERSION);
    Runner fit = add_fit_command(app);
    Runner eval = add_eval_command(app);
    Runner units = add_units_command(app);
    Runner gen = add_gen_command(app);
    Runner bench = add_bench_command(app);
    Runner report = add_report_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);  // prints help, version, or the usage error
        return code == 0 ? kSuccess : kBadInput;
    }
    try {
        int code = kInternalFailure;
        if (app.got_subcommand("fit")) code = fit();
        if (app.got_subcommand("eval")) code = eval();
        if (app.got_subcommand("units")) code = units();
        if (app.got_subcommand("gen")) code = gen();
        if (app.got_subcommand("bench")) code = bench();
        if (app.got_subcommand("report")) code = report();
        return exit_code_after_signals(code);
    } catch (const std::bad_alloc&) {
        abort_job_if_spread("out of memory", kBadInput);
        std::cerr << "kepler: error: out of memory: the input or the options ask for more memory than there is "
                     "(fewer rows, columns or a smaller --max-nodes may fit)\n";
        return kBadInput;
    } catch (const std::length_error& e) {
        abort_job_if_spread(std::string("out of memory: ") + e.what(), kBadInput);
        std::cerr << "kepler: error: out of memory: a size beyond what can be allocated (" << e.what() << ")\n";
        return kBadInput;
    } catch (const std::overflow_error& e) {
        abort_job_if_spread(std::string("exponent overflow in the units: ") + e.what(), kBadInput);
        // Only exact unit arithmetic throws this (kepler/units/rational.hpp): exponents finer
        // than 32-bit rationals hold, met in a step check_exact_units did not foresee.
        std::cerr << "kepler: error: the units' exponents are too fine for exact dimensional analysis (" << e.what()
                  << "); expected exponents with small denominators (like 1/2), or run with --no-units\n";
        return kBadInput;
    } catch (const std::exception& e) {
        // Under mpirun: names the rank and ends the job (the other ranks may be waiting in a collective).
        abort_job_if_spread(std::string("internal error: ") + e.what(), kInternalFailure);
        std::cerr << "kepler: internal error: " << e.what() << "\n";
        return kInternalFailure;
    }
}
