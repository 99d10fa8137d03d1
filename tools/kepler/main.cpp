// kepler: find the law behind a table of measurements.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "kepler/version.hpp"

int main(int argc, char** argv) {
    using namespace kepler::cli;
    CLI::App app{"Kepler: finds the physical law behind a table of measurements (symbolic regression)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "kepler " KEPLER_VERSION);
    Runner fit = add_fit_command(app);
    Runner eval = add_eval_command(app);
    Runner units = add_units_command(app);
    Runner gen = add_gen_command(app);
    Runner bench = add_bench_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);  // prints help, version, or the usage error
        return code == 0 ? kSuccess : kBadInput;
    }
    try {
        if (app.got_subcommand("fit")) return fit();
        if (app.got_subcommand("eval")) return eval();
        if (app.got_subcommand("units")) return units();
        if (app.got_subcommand("gen")) return gen();
        if (app.got_subcommand("bench")) return bench();
    } catch (const std::exception& e) {
        std::cerr << "kepler: internal error: " << e.what() << "\n";
        return kInternalFailure;
    }
    return kInternalFailure;
}
