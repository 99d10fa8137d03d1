// Measures solve_by_structure on Feynman laws: for each law id given (default: the laws the
// plain search missed at noise 0, bench/RESULTS.md), a 1,000-row table from the generator,
// the split on the raw inputs (no units) with a time budget, and the judge's verdict on the
// candidates returned (the first, and the first exact one).
//
//   kepler_structure_split_bench [--time S] [--noise E] [--threads N] [--trace] [ID ...]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "kepler/core/printer.hpp"
#include "kepler/judge/judge.hpp"
#include "kepler/pipeline/structure_split.hpp"
#include "suite_runner.hpp"
#include "uniform_table.hpp"

using namespace kepler;

int main(int argc, char** argv) {
    double seconds = 30.0, noise = 0.0;
    int threads = 0;
    bool show_trace = false;
    std::vector<std::string> ids;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--time" && i + 1 < argc)
            seconds = std::atof(argv[++i]);
        else if (a == "--noise" && i + 1 < argc)
            noise = std::atof(argv[++i]);
        else if (a == "--threads" && i + 1 < argc)
            threads = std::atoi(argv[++i]);
        else if (a == "--trace")
            show_trace = true;
        else
            ids.push_back(a);
    }
    if (ids.empty())
        ids = {"I.6.2",   "I.6.2b",  "I.8.14",   "I.9.18",   "I.11.19",  "I.13.4",   "I.15.3x",
               "I.15.3t", "I.16.6",  "I.18.4",   "I.26.2",   "I.29.16",  "I.30.3",   "I.30.5",
               "I.37.4",  "I.50.26", "II.6.15a", "II.11.28", "II.35.18", "III.9.52", "III.10.19"};
    std::size_t exact_first = 0, exact_any = 0;
    for (const std::string& id : ids) {
        const grammar::Law* law = nullptr;
        for (const grammar::Law& l : bench::feynman_laws())
            if (l.id == id) law = &l;
        if (law == nullptr) {
            std::cerr << "no law " << id << "\n";
            return 2;
        }
        const Table table = datasets::uniform_table(bench::spec_of(*law), 1000, 1, noise);
        const Table heldout = datasets::uniform_table(bench::spec_of(*law), 2000, 1000004, noise);
        const auto k = static_cast<Eigen::Index>(law->inputs.size());
        const Eigen::MatrixXd X = table.data.rightCols(k);
        const Eigen::VectorXd y = table.data.col(0);
        StructureSplitOptions options;
        options.time_limit_seconds = seconds;
        options.threads = threads;
        StructureTrace trace;
        const auto start = std::chrono::steady_clock::now();
        const std::vector<Expression> found = solve_by_structure(X, y, options, &trace);
        const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::vector<std::string> names;
        std::vector<JudgedRange> ranges;
        for (const auto& in : law->inputs) {
            names.push_back(in.name);
            ranges.push_back({in.low, in.high});
        }
        JudgeOptions judge_options;
        judge_options.noise = noise;
        judge_options.variable_names = names;
        int first_exact = -1;
        bool first_accurate = false;
        for (std::size_t i = 0; i < found.size() && first_exact < 0; ++i) {
            const Verdict v =
                judge(found[i], law->formula, ranges, heldout.data.rightCols(k), heldout.data.col(0), judge_options);
            if (i == 0) first_accurate = v.accurate;
            if (v.exact) first_exact = static_cast<int>(i);
        }
        exact_first += first_exact == 0;
        exact_any += first_exact >= 0;
        std::string verdict = first_exact == 0 ? "exact"
                              : first_accurate ? "accurate"
                              : found.empty()  ? "none"
                                               : "not exact";
        if (first_exact > 0) {
            verdict += ", #";
            verdict += std::to_string(first_exact);
            verdict += " exact";
        }
        const std::string formula = found.empty() ? std::string() : to_infix(found.front(), names);
        std::printf("%-10s %zu inputs %5.1f s  %-20s %s\n", id.c_str(), law->inputs.size(), took, verdict.c_str(),
                    formula.c_str());
        if (show_trace) std::printf("%s", trace.to_string().c_str());
        std::fflush(stdout);
    }
    std::printf("exact (first candidate): %zu of %zu; exact among the candidates: %zu\n", exact_first, ids.size(),
                exact_any);
    return 0;
}
