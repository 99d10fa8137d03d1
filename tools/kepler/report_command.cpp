// kepler report RESULT.json --out FILE.html: the HTML report (kepler::report) of a saved result,
// a `kepler fit --json` file or a `kepler bench` results.json.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "kepler/report/report.hpp"
#include "result_output.hpp"

namespace kepler::cli {

namespace {

struct ReportArguments {
    std::string result;
    std::string out;
};

// "<file>:<line>:<column>: " for the 1-based byte offset `byte` of `text`.
std::string position(const std::string& file, const std::string& text, std::size_t byte) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

// The document in `path`, or nothing after printing why not.
std::optional<nlohmann::json> read_document(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "kepler: error: cannot read '" << path << "'\n";
        return std::nullopt;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // nlohmann's message says "[json.exception.parse_error.101] parse error at line L,
        // column C: what"; the position is given our way, so keep only the what.
        std::string what = e.what();
        const std::size_t at = what.find("column ");
        const std::size_t colon = at == std::string::npos ? std::string::npos : what.find(": ", at);
        if (colon != std::string::npos) what = what.substr(colon + 2);
        std::cerr << "kepler: error: " << position(path, text, e.byte)
                  << "expected a JSON result of `kepler fit --json` or `kepler bench`: " << what << "\n";
        return std::nullopt;
    }
}

int run_report(const ReportArguments& args) {
    const std::string problem = output_path_problem(args.out, std::vector<std::string>{args.result});
    if (!problem.empty()) {
        std::cerr << "kepler: error: --out: " << problem << "\n";
        return kBadInput;
    }
    const std::optional<nlohmann::json> doc = read_document(args.result);
    if (!doc) return kBadInput;
    std::string html;
    try {
        const bool bench = doc->is_object() && doc->contains("results") && doc->contains("totals");
        html = bench ? report::bench_report_html(*doc) : report::fit_report_html(*doc);
    } catch (const std::invalid_argument& e) {
        std::cerr << "kepler: error: " << args.result
                  << ": not a result of `kepler fit --json` or `kepler bench`: " << e.what() << "\n";
        return kBadInput;
    }
    try {
        write_file_atomically(args.out, html);
    } catch (const std::runtime_error& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return kBadInput;
    }
    std::cout << "report written to " << args.out << "\n";
    return kSuccess;
}

}  // namespace

Runner add_report_command(CLI::App& app) {
    auto args = std::make_shared<ReportArguments>();
    CLI::App* report = app.add_subcommand(
        "report", "Write the HTML report of a saved result (kepler fit --json, or a kepler bench results.json)");
    report->add_option("result", args->result, "JSON result file")->required();
    report->add_option("-o,--out", args->out, "HTML file to write (self-contained: opens offline)")->required();
    return [args] { return run_report(*args); };
}

}  // namespace kepler::cli
