// Ctrl-C during `kepler fit`: the search stops, and the best formulas so far are still
// printed and written to the JSON file.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"

using kepler::testing::kepler_binary;
using kepler::testing::ScratchDir;

namespace {

// A table no short formula fits: the search would run to its time limit.
std::string noise_table(const ScratchDir& dir) {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    std::ostringstream csv;
    csv << "y,a,b,c,d,e,f\n";
    for (int r = 0; r < 2000; ++r) {
        for (int j = 0; j < 7; ++j) csv << (j ? "," : "") << u(rng);
        csv << "\n";
    }
    return dir.write("noise.csv", csv.str());
}

}  // namespace

TEST(CliInterrupt, SigintStopsTheSearchAndStillWritesTheResult) {
    ScratchDir dir("sigint");
    const std::string data = noise_table(dir);
    const std::string json = dir.path("result.json");
    const std::string log = dir.path("stdout.txt");

    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        const std::string binary = kepler_binary();
        execl(binary.c_str(), binary.c_str(), "fit", data.c_str(), "--target", "y", "--time-limit", "120", "--json",
              json.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const auto sent = std::chrono::steady_clock::now();
    ASSERT_EQ(kill(pid, SIGINT), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();

    std::ifstream out_file(log);
    std::string output((std::istreambuf_iterator<char>(out_file)), std::istreambuf_iterator<char>());
    ASSERT_TRUE(WIFEXITED(status)) << output;
    EXPECT_EQ(WEXITSTATUS(status), 130) << output;  // 128 + SIGINT: the run was stopped
    EXPECT_LT(seconds, 2.0) << "the search must stop within about a second of Ctrl-C";
    EXPECT_NE(output.find("(interrupted)"), std::string::npos) << output;
    EXPECT_NE(output.find("best: y = "), std::string::npos) << output;

    std::ifstream in(json);
    ASSERT_TRUE(in.good()) << output;
    nlohmann::json doc = nlohmann::json::parse(in);
    EXPECT_TRUE(doc["interrupted"].get<bool>());
    EXPECT_TRUE(doc["best"]["formula"].is_string());
}

TEST(CliDeterminism, SameSeedAndThreadsGiveTheSameFormula) {
    const std::string data = std::string(KEPLER_SOURCE_DIR) + "/datasets/examples/pendulum.csv";
    auto first = kepler::testing::run_kepler("fit " + data + " --target T --threads 2 --seed 7 --time-limit 30");
    auto second = kepler::testing::run_kepler("fit " + data + " --target T --threads 2 --seed 7 --time-limit 30");
    ASSERT_EQ(first.exit_code, 0) << first.output;
    auto best_line = [](const std::string& s) { return s.substr(s.find("best: ")); };
    EXPECT_EQ(best_line(first.output), best_line(second.output));
}
