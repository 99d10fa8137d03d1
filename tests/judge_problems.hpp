// A judged problem for the judge's tests: a law's held-out rows on its training ranges
// (datasets::uniform_table, the SRBench noise model), and judge() called on formula texts.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/judge/judge.hpp"
#include "uniform_table.hpp"

namespace kepler::testing {

struct JudgeProblem {
    std::vector<std::string> names;
    std::vector<JudgedRange> ranges;
    Eigen::MatrixXd heldout_X;
    Eigen::VectorXd heldout_y;
};

inline JudgeProblem judge_problem(const std::string& truth, std::vector<std::string> names,
                                  std::vector<JudgedRange> ranges, double noise, std::size_t rows, std::uint64_t seed) {
    datasets::LawSpec spec;
    spec.target = "y";
    spec.law = grammar::parse_formula(truth, names);
    for (std::size_t k = 0; k < names.size(); ++k) spec.inputs.push_back({names[k], ranges[k].low, ranges[k].high, ""});
    Table t = datasets::uniform_table(spec, rows, seed, noise);
    return {std::move(names), std::move(ranges), t.data.rightCols(t.data.cols() - 1), t.data.col(0)};
}

inline Verdict judge_text(const std::string& found, const std::string& truth, const JudgeProblem& p,
                          double noise = 0.0) {
    JudgeOptions options;
    options.noise = noise;
    options.variable_names = p.names;
    return judge(grammar::parse_formula(found, p.names), grammar::parse_formula(truth, p.names), p.ranges, p.heldout_X,
                 p.heldout_y, options);
}

}  // namespace kepler::testing
