// Subcommands of the `kepler` CLI. Each registers its options on the app and returns the
// function that runs it once the command line has been parsed.
#pragma once

#include <CLI/App.hpp>
#include <functional>

namespace kepler::cli {

using Runner = std::function<int()>;

Runner add_fit_command(CLI::App& app);
Runner add_eval_command(CLI::App& app);
Runner add_units_command(CLI::App& app);
Runner add_gen_command(CLI::App& app);
Runner add_bench_command(CLI::App& app);
Runner add_report_command(CLI::App& app);

}  // namespace kepler::cli
