// The HTML report's parts that need no browser: the row sample the JSON result carries
// (kepler::api::row_sample_json), the page kepler::report assembles, and the CLI's --report and
// `kepler report` with their errors. tests/report_render_test.py renders the pages in Chromium.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "kepler/api/fit.hpp"
#include "kepler/api/row_sample.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/report/report.hpp"

using namespace kepler;
using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

namespace {

// y = 3*x + noise over `rows` rows, with a distractor column d, a timestamp column, and a
// missing x in every 10th row.
Table noisy_line(Eigen::Index rows) {
    Table table;
    table.names = {"time", "y", "x", "d"};
    table.units = {"", "V", "A", "K"};
    table.roles = {ColumnRole::Timestamp};
    table.data.resize(rows, 4);
    std::mt19937_64 rng(3);
    std::normal_distribution<double> noise(0.0, 0.1);
    for (Eigen::Index r = 0; r < rows; ++r) {
        const double x = 1.0 + 0.01 * static_cast<double>(r);
        table.data.row(r) << 1.7e9 + 5.0 * static_cast<double>(r), 3.0 * x + noise(rng), x, std::sin(x);
        if (r % 10 == 9) table.data(r, 2) = std::nan("");
    }
    return table;
}

DiscoveryResult law_result(const std::string& formula, std::vector<std::string> inputs) {
    DiscoveryResult result;
    result.target = "y";
    result.inputs = std::move(inputs);
    FoundLaw law;
    law.formula = formula;
    law.expression = grammar::parse_formula(formula, result.inputs);
    result.front.push_back(law);
    return result;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST(RowSample, EvenlySpreadUsableRowsWithPredictionResidualAndTime) {
    const Table table = noisy_line(2500);  // 2250 usable rows: every 10th x is missing
    const nlohmann::json s = api::row_sample_json(table, law_result("3*x", {"x"}));
    ASSERT_EQ(s["rows"], 1000);
    EXPECT_EQ(s["of_rows"], 2250);
    ASSERT_EQ(s["row"].size(), 1000u);
    EXPECT_EQ(s["row"][0], 1);  // the first data row
    // Evenly spread over the usable rows: the last sampled is near the end, none is a row
    // with a missing x (row numbers 10, 20, ...), and they increase.
    EXPECT_GE(s["row"][999].get<int>(), 2490);
    for (std::size_t i = 0; i < 1000; ++i) {
        EXPECT_NE(s["row"][i].get<int>() % 10, 0) << i;
        if (i > 0) {
            EXPECT_GT(s["row"][i].get<int>(), s["row"][i - 1].get<int>());
        }
    }
    // Only the law's input goes in, with its unit; predicted is the law, residual the rest.
    ASSERT_EQ(s["inputs"].size(), 1u);
    EXPECT_EQ(s["inputs"][0]["name"], "x");
    EXPECT_EQ(s["inputs"][0]["unit"], "A");
    EXPECT_EQ(s["target_unit"], "V");
    for (std::size_t i = 0; i < 1000; i += 97) {
        const double x = s["inputs"][0]["values"][i], y = s["measured"][i], p = s["predicted"][i];
        EXPECT_DOUBLE_EQ(p, 3.0 * x);
        EXPECT_DOUBLE_EQ(s["residual"][i].get<double>(), y - p);
    }
    ASSERT_TRUE(s["time"].is_object());
    EXPECT_EQ(s["time"]["name"], "time");
    EXPECT_DOUBLE_EQ(s["time"]["values"][0].get<double>(), 1.7e9);
}

TEST(RowSample, SmallTableIsSampledWholeAndWithoutALawHasNoPrediction) {
    Table table = noisy_line(50);
    table.roles.clear();  // no timestamp column
    DiscoveryResult none = law_result("x", {"x"});
    none.front.clear();
    const nlohmann::json s = api::row_sample_json(table, none);
    EXPECT_EQ(s["rows"], 45);
    EXPECT_TRUE(s["time"].is_null());
    EXPECT_FALSE(s.contains("predicted"));
    EXPECT_FALSE(s.contains("residual"));
}

TEST(RowSample, ResidualsOfAFittedLawGiveItsReportedRmse) {
    const Table table = noisy_line(600);
    api::FitRequest request;
    request.target = "y";
    request.inputs = {"x"};
    request.use_units = false;
    request.options.search.max_evaluations = 20000;
    request.options.search.threads = 1;
    const api::FitOutcome outcome = api::fit(table, request);
    const FoundLaw* law = outcome.discovery.best_law();
    ASSERT_NE(law, nullptr);
    const nlohmann::json s = api::row_sample_json(table, outcome.discovery);
    ASSERT_EQ(s["rows"], 540);  // all usable rows
    double sum = 0.0;
    for (const auto& r : s["residual"]) sum += r.get<double>() * r.get<double>();
    EXPECT_NEAR(std::sqrt(sum / 540.0), law->rmse, 1e-9 * law->rmse);
}

TEST(ReportHtml, PageIsSelfContainedAndNoTextClosesItsScripts) {
    nlohmann::json doc = {{"target", "y</script><img src=x>"}, {"front", nlohmann::json::array()}};
    const std::string html = report::fit_report_html(doc);
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
    // Every "</script>" is the end of one of the page's own <script> elements.
    EXPECT_EQ(count(html, "</script>"), count(html, "<script"));
    EXPECT_EQ(count(html, "<img src=x>"), 0u);
    EXPECT_NE(html.find("y&lt;/script&gt;&lt;img src=x&gt;</title>"), std::string::npos);
    // The libraries are inlined: the page names no script or style sheet to load.
    EXPECT_EQ(count(html, "<script src"), 0u);
    EXPECT_EQ(count(html, "<link"), 0u);
    EXPECT_NE(html.find("vegaEmbed"), std::string::npos);
    EXPECT_NE(html.find("katex"), std::string::npos);
}

TEST(ReportHtml, WhatIsNotAResultIsRefusedNamingTheField) {
    EXPECT_THROW(report::fit_report_html(nlohmann::json::array()), std::invalid_argument);
    try {
        report::fit_report_html({{"target", "y"}});
        FAIL() << "no front";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "no \"front\" field");
    }
    try {
        report::bench_report_html({{"results", nlohmann::json::array()}, {"totals", 3}});
        FAIL() << "totals not an object";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "\"totals\" is not an object");
    }
}

TEST(ReportCli, BadJsonIsExitCode2NamingFileLineAndColumn) {
    ScratchDir dir("report-bad-json");
    // The second comma of line 3 is at column 18.
    const std::string bad = dir.write("bad.json", "{\n  \"target\": \"y\",\n  \"front\": [1, 2,, 3]\n}\n");
    const auto r = run_kepler("report " + bad + " --out " + dir.path("r.html"));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("kepler: error: " + bad +
                            ":3:18: expected a JSON result of `kepler fit --json` or "
                            "`kepler bench`: syntax error"),
              std::string::npos)
        << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir.path("r.html")));

    const std::string other = dir.write("other.json", "{\"rows\": 3}");
    const auto o = run_kepler("report " + other + " --out " + dir.path("r.html"));
    EXPECT_EQ(o.exit_code, 2) << o.output;
    EXPECT_NE(o.output.find(other + ": not a result of `kepler fit --json` or `kepler bench`: no \"target\" field"),
              std::string::npos)
        << o.output;

    const auto missing = run_kepler("report " + dir.path("none.json") + " --out " + dir.path("r.html"));
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.output.find("cannot read '" + dir.path("none.json") + "'"), std::string::npos);
}

TEST(ReportCli, FitReportAndReportOfTheSavedJsonAreTheSamePage) {
    ScratchDir dir("report-fit");
    const std::string data = std::string(KEPLER_SOURCE_DIR) + "/datasets/examples/forces.csv";
    const auto fit = run_kepler("fit " + data + " --target F --max-evals 20000 --threads 1 -q --json " +
                                dir.path("r.json") + " --report " + dir.path("r.html"));
    ASSERT_EQ(fit.exit_code, 0) << fit.output;
    const nlohmann::json doc = nlohmann::json::parse(read(dir.path("r.json")));
    ASSERT_TRUE(doc.contains("sample"));
    EXPECT_EQ(doc["sample"]["rows"], doc["rows_used"]);
    const auto again = run_kepler("report " + dir.path("r.json") + " --out " + dir.path("again.html"));
    ASSERT_EQ(again.exit_code, 0) << again.output;
    const std::string html = read(dir.path("r.html"));
    EXPECT_EQ(html, read(dir.path("again.html")));
    EXPECT_NE(html.find("\"formula\":\"m*a\""), std::string::npos);
}

TEST(ReportCli, ReportPathIsCheckedBeforeTheSearch) {
    ScratchDir dir("report-path");
    const std::string data = std::string(KEPLER_SOURCE_DIR) + "/datasets/examples/forces.csv";
    const auto r = run_kepler("fit " + data + " --target F -q --report " + dir.path("missing/r.html"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("kepler: error: --report: cannot write '" + dir.path("missing/r.html") + "': the folder '" +
                            dir.path("missing") + "' does not exist"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(r.output.find("best:"), std::string::npos);  // no search ran
    const auto same =
        run_kepler("fit " + data + " --target F -q --json " + dir.path("r.out") + " --report " + dir.path("r.out"));
    EXPECT_EQ(same.exit_code, 2);
    EXPECT_NE(same.output.find("is also the --json file"), std::string::npos) << same.output;
    const auto input = run_kepler("fit " + data + " --target F -q --report " + data);
    EXPECT_EQ(input.exit_code, 2);
    EXPECT_NE(input.output.find("is the input file"), std::string::npos) << input.output;
}

TEST(ReportCli, BenchAndBenchMergeWriteTheBenchReport) {
    ScratchDir dir("report-bench");
    const auto run = run_kepler("bench feynman --only I.12.1 --max-evals 20000 --threads 1 --out " + dir.path("one"));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("report.html"), std::string::npos) << run.output;
    const auto merge = run_kepler("bench merge " + dir.path("one") + " --out " + dir.path("merged"));
    ASSERT_EQ(merge.exit_code, 0) << merge.output;
    for (const char* folder : {"one", "merged"}) {
        const std::string html = read(dir.path(std::string(folder) + "/report.html"));
        EXPECT_NE(html.find("data-kind=\"bench\""), std::string::npos) << folder;
        EXPECT_NE(html.find("\"id\":\"I.12.1\""), std::string::npos) << folder;
    }
    // kepler report on results.json gives the bench page too.
    const auto again = run_kepler("report " + dir.path("one/results.json") + " --out " + dir.path("again.html"));
    ASSERT_EQ(again.exit_code, 0) << again.output;
    EXPECT_EQ(read(dir.path("again.html")), read(dir.path("one/report.html")));
}
