// Checkpoint and resume (issue 15, item 11): discover()'s stage boundaries as checkpoints
// (DiscoverOptions::on_stage_done, resume_from), their JSON form (kepler/api/checkpoint.hpp),
// `kepler fit --checkpoint / --resume`, and the memory cap of screening (--max-memory).
// Budgets are evaluations, never the clock.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.hpp"
#include "random_inputs.hpp"
#include "kepler/api/checkpoint.hpp"
#include "kepler/api/input_error.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/table.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/pipeline/screened_discover.hpp"
#include "kepler/screen/screen_memory.hpp"

using namespace kepler;
using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

namespace {

// y = f(x1, x2, x3) on `rows` rows of uniform inputs in [1, 3].
template <class F>
Table law_table(F f, Eigen::Index rows, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(1.0, 3.0);
    Table t;
    t.names = {"y", "x1", "x2", "x3"};
    t.units = {"", "", "", ""};
    t.data.resize(rows, 4);
    for (Eigen::Index r = 0; r < rows; ++r) {
        const double a = u(rng), b = u(rng), c = u(rng);
        t.data.row(r) << f(a, b, c), a, b, c;
    }
    return t;
}

// A law the quick fits do not reach and the enumeration finds: 2.5*x1*exp(x2).
Table exp_table() {
    return law_table([](double a, double b, double) { return 2.5 * a * std::exp(b); }, 300, 7);
}

// A law of 7 nodes, x1*x2 + x3*sqrt(x2): with the enumeration's bank capped at 1 MB (its last
// size level then 4 or 5 nodes) no stage before the split finishes it, so the split and the
// evolution run after the enumeration, which ends at its memory cap, not at a limit.
Table long_table() {
    return law_table([](double a, double b, double c) { return a * b + c * std::sqrt(b); }, 300, 11);
}

DiscoverOptions budgeted(std::size_t evaluations) {
    DiscoverOptions o;
    o.search.time_limit_seconds = 600;  // never the limit: the evaluations are
    o.search.max_evaluations = evaluations;
    o.search.threads = 2;
    return o;
}

std::vector<std::string> front_formulas(const DiscoveryResult& r) {
    std::vector<std::string> out;
    for (const FoundLaw& law : r.front) out.push_back(law.formula);
    return out;
}

// Runs `table` with a cancel flag set from the hook once the run reaches `stop_before`;
// returns the last checkpoint reported.
RunCheckpoint stopped_before(const Table& table, DiscoverOptions options, RunStage stop_before,
                             DiscoveryResult* result = nullptr) {
    std::atomic<bool> cancel{false};
    std::optional<RunCheckpoint> last;
    options.search.cancel = &cancel;
    options.on_stage_done = [&](const RunCheckpoint& c) {
        last = c;
        if (c.next_stage == stop_before) cancel = true;
    };
    DiscoveryResult r = discover(table, "y", options);
    EXPECT_TRUE(last.has_value());
    if (result) *result = std::move(r);
    return last.value_or(RunCheckpoint{});
}

}  // namespace

TEST(Checkpoint, StagesAreReportedInOrderFromAnEmptyStart) {
    DiscoverOptions options = budgeted(300'000);
    std::vector<RunCheckpoint> seen;
    options.on_stage_done = [&](const RunCheckpoint& c) { seen.push_back(c); };
    const DiscoveryResult r = discover(exp_table(), "y", options);
    ASSERT_GE(seen.size(), 4u);
    EXPECT_EQ(seen.front().next_stage, RunStage::quick_fits);
    EXPECT_EQ(seen.front().evaluations, 0u);
    EXPECT_TRUE(seen.front().pool.empty());
    for (std::size_t k = 1; k < seen.size(); ++k) {
        EXPECT_EQ(static_cast<int>(seen[k].next_stage), static_cast<int>(seen[k - 1].next_stage) + 1);
        EXPECT_GE(seen[k].evaluations, seen[k - 1].evaluations);
    }
    // The law is exact after the enumeration: every later stage is skipped and done.
    EXPECT_EQ(seen.back().next_stage, RunStage::finish);
    EXPECT_TRUE(seen.back().exact);
    EXPECT_EQ(seen.back().evaluations, r.evaluations);
    ASSERT_NE(r.best_law(), nullptr);
    EXPECT_EQ(r.best_law()->formula, "2.5*x1*exp(x2)");
}

TEST(Checkpoint, ResumedAfterTheQuickFitsTheEnumerationFindsTheLaw) {
    const Table table = exp_table();
    const DiscoverOptions options = budgeted(300'000);
    DiscoveryResult stopped;
    const RunCheckpoint c = stopped_before(table, options, RunStage::search_groups, &stopped);
    EXPECT_EQ(c.next_stage, RunStage::search_groups);
    EXPECT_TRUE(stopped.cancelled);
    EXPECT_FALSE(c.pool.empty()) << "the quick fits' formulas";

    DiscoverOptions resume = options;
    resume.resume_from = c;
    const DiscoveryResult resumed = discover(table, "y", resume);
    const DiscoveryResult whole = discover(table, "y", options);
    ASSERT_NE(resumed.best_law(), nullptr);
    EXPECT_EQ(resumed.best_law()->formula, "2.5*x1*exp(x2)");
    EXPECT_FALSE(resumed.cancelled);
    // The evaluations of both parts add up to the uninterrupted run's, and the result is its.
    EXPECT_GT(resumed.evaluations, c.evaluations);
    EXPECT_EQ(resumed.evaluations, whole.evaluations);
    EXPECT_EQ(front_formulas(resumed), front_formulas(whole));
}

TEST(Checkpoint, ResumedBeforeTheEvolutionGivesTheUninterruptedResult) {
    const Table table = long_table();
    DiscoverOptions options = budgeted(150'000);
    options.search.max_memory_mb = 1;
    const RunCheckpoint c = stopped_before(table, options, RunStage::estimate_noise_level);
    ASSERT_EQ(c.next_stage, RunStage::estimate_noise_level);
    EXPECT_GT(c.evaluations, 0u);
    EXPECT_FALSE(c.input_seeds.empty()) << "the enumeration's front seeds the evolution";

    DiscoverOptions resume = options;
    resume.resume_from = c;
    const DiscoveryResult resumed = discover(table, "y", resume);
    const DiscoveryResult whole = discover(table, "y", options);
    EXPECT_GT(resumed.evaluations, c.evaluations) << "the evolution ran after the resume";
    EXPECT_LE(resumed.evaluations, 150'000u);
    EXPECT_EQ(resumed.evaluations, whole.evaluations);
    EXPECT_EQ(front_formulas(resumed), front_formulas(whole));
}

TEST(Checkpoint, ACutEvolutionKeepsItsFormulasAsSeedsAndGoesOnFromThem) {
    // A law the evolution does not finish in the first run's budget.
    const Table table = law_table(
        [](double a, double b, double c) { return a * b * std::sin(c) + b / (a + c) + std::exp(-a * c); }, 300, 13);
    DiscoverOptions options = budgeted(60'000);
    options.search.max_memory_mb = 1;
    std::vector<RunCheckpoint> seen;
    options.on_stage_done = [&](const RunCheckpoint& c) { seen.push_back(c); };
    const DiscoveryResult first = discover(table, "y", options);
    ASSERT_GE(seen.size(), 2u);
    const RunCheckpoint& before = seen[seen.size() - 2];
    const RunCheckpoint& cut = seen.back();
    ASSERT_EQ(before.next_stage, RunStage::evolve);
    ASSERT_EQ(cut.next_stage, RunStage::evolve) << "still before the evolution";
    EXPECT_GT(cut.input_seeds.size(), before.input_seeds.size()) << "the evolved formulas seed the next evolution";
    EXPECT_GT(cut.pool.size(), before.pool.size());
    EXPECT_EQ(cut.evaluations, first.evaluations) << "the evolution's evaluations are counted";

    DiscoverOptions more = budgeted(300'000);
    more.search.max_memory_mb = 1;
    more.resume_from = cut;
    const DiscoveryResult resumed = discover(table, "y", more);
    EXPECT_GT(resumed.evaluations, first.evaluations);
    EXPECT_LE(resumed.evaluations, 300'000u);
    auto least_rmse = [](const DiscoveryResult& r) {
        double best = std::numeric_limits<double>::infinity();
        for (const FoundLaw& law : r.front) best = std::min(best, law.rmse);
        return best;
    };
    // Every formula of the first run is in the resumed run's pool: it can only do better.
    EXPECT_LE(least_rmse(resumed), least_rmse(first) * (1.0 + 1e-9));
}

TEST(Checkpoint, ABudgetCutStageIsNotDoneAndRunsAgainWithMore) {
    const Table table = exp_table();
    // Far too few evaluations for the enumeration: it stops at its limit, so its stage is
    // cut and the last checkpoint is the boundary before it.
    std::optional<RunCheckpoint> last;
    DiscoverOptions small = budgeted(500);
    small.on_stage_done = [&](const RunCheckpoint& c) { last = c; };
    const DiscoveryResult first = discover(table, "y", small);
    ASSERT_TRUE(last);
    EXPECT_TRUE(first.evaluation_limit_reached);
    EXPECT_LE(static_cast<int>(last->next_stage), static_cast<int>(RunStage::search_inputs));

    DiscoverOptions more = budgeted(300'000);
    more.resume_from = *last;
    const DiscoveryResult resumed = discover(table, "y", more);
    ASSERT_NE(resumed.best_law(), nullptr);
    EXPECT_EQ(resumed.best_law()->formula, "2.5*x1*exp(x2)");
    EXPECT_LE(resumed.evaluations, 300'000u);
    EXPECT_GE(resumed.evaluations, last->evaluations);
}

TEST(Checkpoint, ResumingADoneRunOnlyFinishesIt) {
    const Table table = exp_table();
    DiscoverOptions options = budgeted(300'000);
    std::optional<RunCheckpoint> last;
    options.on_stage_done = [&](const RunCheckpoint& c) { last = c; };
    const DiscoveryResult whole = discover(table, "y", options);
    ASSERT_TRUE(last);
    ASSERT_EQ(last->next_stage, RunStage::finish);
    DiscoverOptions resume = budgeted(300'000);
    resume.resume_from = *last;
    const DiscoveryResult again = discover(table, "y", resume);
    EXPECT_EQ(again.evaluations, whole.evaluations);
    EXPECT_EQ(front_formulas(again), front_formulas(whole));
}

TEST(Checkpoint, AFormulaOverAColumnTheProblemLacksIsRefused) {
    RunCheckpoint c;
    c.next_stage = RunStage::search_inputs;
    c.pool.push_back(Expression::variable(7));
    DiscoverOptions options = budgeted(1000);
    options.resume_from = c;
    try {
        discover(exp_table(), "y", options);
        FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("column 8 of 3"), std::string::npos) << e.what();
    }
}

TEST(Checkpoint, AScreenedRunRefusesCheckpoints) {
    ScreenedDiscoverOptions options;
    options.discover = budgeted(1000);
    options.discover.on_stage_done = [](const RunCheckpoint&) {};
    EXPECT_THROW(screened_discover(exp_table(), "y", options), std::invalid_argument);
}

TEST(Checkpoint, StageNamesRoundTrip) {
    for (int k = 0; k <= static_cast<int>(RunStage::finish); ++k) {
        const auto stage = static_cast<RunStage>(k);
        EXPECT_EQ(stage_from_name(stage_name(stage)), stage);
    }
    EXPECT_FALSE(stage_from_name("polish").has_value());
}

// ---- the JSON form ----

namespace {

api::CheckpointFile sample_file() {
    api::CheckpointFile f;
    f.data_file = "data.csv";
    f.table = api::fingerprint(exp_table());
    f.options = {{"target", "y"}};
    f.inputs = {"x1", "x2", "mass-kg"};
    RunCheckpoint& s = f.state;
    s.next_stage = RunStage::split_by_structure;
    const std::vector<std::string> names = f.inputs;
    for (const char* text : {"0.1*x1 + 1/3*x2", "2.5*x1*exp(x2)", "1e-300*`mass-kg`^2", "pi*sqrt(x1)/x2",
                             "-0.30000000000000004*x1", "x1 - -2.5"})
        s.pool.push_back(grammar::parse_formula(text, names));
    s.pool.push_back(Expression::binary(Op::Mul, Expression::constant(1.0 / 3.0), Expression::variable(2)));
    s.input_seeds = {s.pool[1]};
    s.group_seeds = {grammar::parse_formula("g1*g2^2", std::vector<std::string>{"g1", "g2"})};
    s.group_monomial = grammar::parse_formula("x1/x2", names);
    s.evaluations = 12345;
    s.seconds = 1.25;
    s.noise_estimate = 0.01;
    s.notes = {"a note"};
    s.explanation = {"stage 0"};
    return f;
}

void expect_same(const std::vector<Expression>& a, const std::vector<Expression>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].hash(), b[k].hash()) << k;
}

std::string error_of(const nlohmann::json& doc) {
    try {
        api::checkpoint_from_json(doc, "ck.json");
    } catch (const api::InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(CheckpointJson, RoundTripsEveryFormulaExactly) {
    const api::CheckpointFile f = sample_file();
    const nlohmann::json doc = nlohmann::json::parse(api::checkpoint_json(f).dump());
    const api::CheckpointFile back = api::checkpoint_from_json(doc, "ck.json");
    expect_same(back.state.pool, f.state.pool);
    expect_same(back.state.input_seeds, f.state.input_seeds);
    expect_same(back.state.group_seeds, f.state.group_seeds);
    ASSERT_TRUE(back.state.group_monomial);
    EXPECT_EQ(back.state.group_monomial->hash(), f.state.group_monomial->hash());
    EXPECT_EQ(back.state.next_stage, RunStage::split_by_structure);
    EXPECT_EQ(back.state.evaluations, 12345u);
    EXPECT_EQ(back.state.seconds, 1.25);
    EXPECT_EQ(back.state.notes, f.state.notes);
    EXPECT_EQ(back.table.hash, f.table.hash);
    EXPECT_EQ(back.inputs, f.inputs);
    EXPECT_EQ(back.data_file, "data.csv");
}

TEST(CheckpointJson, BadFieldsNameTheFileAndTheField) {
    const nlohmann::json good = api::checkpoint_json(sample_file());
    nlohmann::json doc = good;
    doc["state"].erase("evaluations");
    EXPECT_EQ(error_of(doc), "ck.json: field 'state.evaluations': expected a value, found none (the field is missing)");
    doc = good;
    doc["state"]["pool"][1] = "2.5*x1*exp(";
    EXPECT_NE(error_of(doc).find("ck.json: field 'state.pool[1]': expected a formula over the inputs (formula:1:"),
              std::string::npos)
        << error_of(doc);
    doc = good;
    doc["state"]["pool"][0] = "q*x1";
    EXPECT_NE(error_of(doc).find("unknown column 'q'"), std::string::npos) << error_of(doc);
    doc = good;
    doc["state"]["next_stage"] = "polish";
    EXPECT_NE(error_of(doc).find("field 'state.next_stage': expected a stage"), std::string::npos);
    doc = good;
    doc["checkpoint_schema_version"] = 99;
    EXPECT_NE(error_of(doc).find("field 'checkpoint_schema_version': expected 1, found 99"), std::string::npos);
    doc = good;
    doc["kepler_version"] = "0.0.0-other";
    EXPECT_NE(error_of(doc).find("field 'kepler_version'"), std::string::npos);
    doc = good;
    doc["state"]["exact"] = "yes";
    EXPECT_EQ(error_of(doc), "ck.json: field 'state.exact': expected true or false");
    EXPECT_EQ(error_of(nlohmann::json::array()), "ck.json: expected a checkpoint (a JSON object), found array");
}

TEST(CheckpointJson, FingerprintsTellTablesApart) {
    const Table a = exp_table();
    Table b = a;
    EXPECT_EQ(api::fingerprint_difference(api::fingerprint(a), api::fingerprint(b)), "");
    b.data(17, 2) += 1e-12;
    EXPECT_NE(api::fingerprint_difference(api::fingerprint(a), api::fingerprint(b)).find("its values differ"),
              std::string::npos);
    Table c = a;
    c.names[1] = "z";
    EXPECT_NE(api::fingerprint_difference(api::fingerprint(a), api::fingerprint(c)).find("column 2 is 'z'"),
              std::string::npos);
    Table d = a;
    d.data.conservativeResize(d.data.rows() - 1, Eigen::NoChange);
    EXPECT_NE(api::fingerprint_difference(api::fingerprint(a), api::fingerprint(d)).find("299 rows"),
              std::string::npos);
}

// ---- the command line ----

namespace {

// The exp table as a CSV file.
std::string write_exp_csv(const ScratchDir& dir, const std::string& name, const Table& table) {
    std::ostringstream csv;
    csv.precision(17);
    csv << "y,x1,x2,x3\n";
    for (Eigen::Index r = 0; r < table.data.rows(); ++r)
        csv << table.data(r, 0) << "," << table.data(r, 1) << "," << table.data(r, 2) << "," << table.data(r, 3)
            << "\n";
    return dir.write(name, csv.str());
}

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

}  // namespace

TEST(CheckpointCli, ABudgetCutRunResumesWithMoreAndCountsBothParts) {
    ScratchDir dir("checkpoint-cli");
    const std::string data = write_exp_csv(dir, "exp.csv", exp_table());
    const std::string ck = dir.path("run.ckpt.json");
    const auto first = run_kepler("fit " + data + " --target y --max-evals 500 --threads 2 --quiet --checkpoint " + ck +
                                  " --json " + dir.path("first.json"));
    ASSERT_EQ(first.exit_code, 0) << first.output;
    const nlohmann::json saved = read_json(ck);
    EXPECT_EQ(saved["checkpoint_schema_version"], 1);
    EXPECT_EQ(saved["data_file"], data);
    EXPECT_EQ(saved["options"]["target"], "y");
    const std::size_t before = saved["state"]["evaluations"];

    const auto resumed =
        run_kepler("fit --resume " + ck + " --max-evals 300000 --quiet --json " + dir.path("resumed.json"));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("best: y = 2.5*x1*exp(x2)"), std::string::npos) << resumed.output;
    const nlohmann::json doc = read_json(dir.path("resumed.json"));
    EXPECT_EQ(doc["resumed_from"], ck);
    EXPECT_EQ(doc["evaluations_before_resume"], before);
    EXPECT_GE(doc["evaluations"].get<std::size_t>(), before);
    EXPECT_LE(doc["evaluations"].get<std::size_t>(), 300'000u);
    EXPECT_EQ(doc["options"]["max_evals"], 300000);
    // The same total budget uninterrupted gives the same law.
    const auto whole = run_kepler("fit " + data + " --target y --max-evals 300000 --threads 2 --quiet");
    EXPECT_NE(whole.output.find("best: y = 2.5*x1*exp(x2)"), std::string::npos) << whole.output;
    // The resume wrote its own checkpoints on to the file: now at the end.
    EXPECT_EQ(read_json(ck)["state"]["next_stage"], "finish");
}

TEST(CheckpointCli, ResumeRefusesAnotherTableACorruptFileAndSearchOptions) {
    ScratchDir dir("checkpoint-bad");
    const Table table = exp_table();
    const std::string data = write_exp_csv(dir, "exp.csv", table);
    const std::string ck = dir.path("ck.json");
    ASSERT_EQ(run_kepler("fit " + data + " --target y --max-evals 500 --quiet --checkpoint " + ck).exit_code, 0);

    Table changed = table;
    changed.data(3, 1) += 0.5;
    write_exp_csv(dir, "exp.csv", changed);
    auto r = run_kepler("fit --resume " + ck + " --quiet");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("kepler: error: " + ck + ": the table '" + data +
                            "' is not the one the checkpoint was made on: its values differ"),
              std::string::npos)
        << r.output;

    const std::string corrupt = dir.write("corrupt.json", "{\"checkpoint_schema_version\": 1,\n  \"state\": [1, 2,\n");
    r = run_kepler("fit --resume " + corrupt + " --quiet");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("kepler: error: " + corrupt + ":3:1: expected a checkpoint in JSON"), std::string::npos)
        << r.output;

    r = run_kepler("fit --resume " + ck + " --target x1 --quiet");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("--resume: --target comes from the checkpoint"), std::string::npos) << r.output;
    r = run_kepler("fit " + data + " --resume " + ck + " --quiet");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("--resume: the data file comes from the checkpoint"), std::string::npos) << r.output;
    r = run_kepler("fit --resume " + dir.path("missing.json") + " --quiet");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("missing.json: cannot read the checkpoint file"), std::string::npos) << r.output;
}

TEST(CheckpointCli, AScreenedRunRefusesACheckpoint) {
    ScratchDir dir("checkpoint-wide");
    std::ostringstream csv;
    csv << "y";
    for (int c = 0; c < 10; ++c) csv << ",c" << c;
    csv << "\n";
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(1.0, 2.0);
    for (int r = 0; r < 100; ++r) {
        std::vector<double> v(10);
        for (double& x : v) x = u(rng);
        csv << v[0] * v[1];
        for (double x : v) csv << "," << x;
        csv << "\n";
    }
    const std::string data = dir.write("wide.csv", csv.str());
    const auto r =
        run_kepler("fit " + data + " --target y --max-evals 500 --quiet --checkpoint " + dir.path("ck.json"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("10 candidate inputs are screened, and a screened run has no checkpoints"),
              std::string::npos)
        << r.output;
}

TEST(CheckpointCli, SigtermLeavesAWholeCheckpointThatResumes) {
    ScratchDir dir("checkpoint-signal");
    // No short formula fits: the search would run to its time limit.
    const std::string data = dir.write("unreachable.csv", kepler::testing::unreachable_law_csv(1000, 7));
    const std::string ck = dir.path("ck.json");
    const std::string log = dir.path("output.txt");
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        const std::string binary = kepler::testing::kepler_binary();
        execl(binary.c_str(), binary.c_str(), "fit", data.c_str(), "--target", "y", "--time-limit", "120", "--threads",
              "2", "--checkpoint", ck.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    ASSERT_GT(pid, 0);
    // The first checkpoint is written before the first stage; then stop it while it searches.
    for (int k = 0; k < 200 && !std::filesystem::exists(ck); ++k)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 143);
    const api::CheckpointFile saved = api::read_checkpoint(ck);  // whole and valid
    EXPECT_EQ(saved.inputs, (std::vector<std::string>{"a", "b", "c", "d"}));
    const auto resumed = run_kepler("fit --resume " + ck + " --max-evals 20000 --quiet --json " + dir.path("r.json"));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    const nlohmann::json doc = read_json(dir.path("r.json"));
    EXPECT_EQ(doc["evaluations_before_resume"], saved.state.evaluations);
    EXPECT_FALSE(doc["interrupted"].get<bool>());
}

// ---- the memory cap (--max-memory) ----

TEST(MaxMemoryCli, CapsTheEnumerationAndScreening) {
    ScratchDir dir("max-memory");
    const std::string data = write_exp_csv(dir, "long.csv", long_table());
    auto r = run_kepler("fit " + data + " --target y --max-evals 150000 --max-memory 1 --explain --quiet --json " +
                        dir.path("r.json"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("stage 2, enumeration over the inputs (dimensionally typed):"), std::string::npos);
    EXPECT_NE(r.output.find("stopped at the memory cap"), std::string::npos) << r.output;
    EXPECT_EQ(read_json(dir.path("r.json"))["options"]["max_memory"], 1);

    // 400 channels: screening's all-pairs correlation alone needs 2.4 MB.
    std::ostringstream csv;
    csv << "y";
    for (int c = 0; c < 400; ++c) csv << ",c" << c;
    csv << "\n";
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(1.0, 2.0);
    for (int row = 0; row < 60; ++row) {
        std::vector<double> v(400);
        for (double& x : v) x = u(rng);
        csv << v[0] * v[1];
        for (double x : v) csv << "," << x;
        csv << "\n";
    }
    const std::string wide = dir.write("wide.csv", csv.str());
    r = run_kepler("fit " + wide + " --target y --max-evals 1000 --max-memory 1 --quiet");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("screening 400 channels needs at least"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("over the memory cap of 1 MB"), std::string::npos) << r.output;
}

// ---- the memory cap of screening ----

TEST(ScreenMemory, FewerRowsFitTheCapAndTooManyChannelsAreRefused) {
    ScreenOptions o;
    const std::size_t full = screening_bytes(1000, o);
    EXPECT_EQ(full, 8u * (5000u * 1000 + 3u * 2000 * 1000 + 2u * 1000 * 1000));
    fit_screen_to_memory(o, 1000, std::size_t{50} << 20);
    EXPECT_LE(screening_bytes(1000, o), std::size_t{50} << 20);
    EXPECT_LT(o.max_rows, 5000u);
    EXPECT_GE(o.pair_rows, kMinScreenRows);
    ScreenOptions untouched;
    fit_screen_to_memory(untouched, 1000, std::size_t{2048} << 20);
    EXPECT_EQ(untouched.max_rows, 5000u);
    ScreenOptions wide;
    try {
        fit_screen_to_memory(wide, 20000, std::size_t{2048} << 20);
        FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("screening 20000 channels needs at least 6"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("over the memory cap of 2048 MB"), std::string::npos) << e.what();
    }
}
