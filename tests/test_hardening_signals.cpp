// SIGINT (Ctrl-C), SIGTERM and SIGHUP during `kepler fit`: the search stops within about a
// second, the best formulas so far are printed and written to the JSON file, and the process
// exits with 128 + the signal's number (130, 143, 129), so a script can tell a stopped run from
// a complete one.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"
#include "random_inputs.hpp"

using kepler::testing::kepler_binary;
using kepler::testing::ScratchDir;

namespace {

// A table no short formula fits: the search would run to its time limit.
std::string unreachable_table(const ScratchDir& dir) {
    return dir.write("unreachable.csv", kepler::testing::unreachable_law_csv(1000, 7));
}

struct Stopped {
    int exit_code = -1;
    double seconds = 0.0;  // from the signal to the process's end
    std::string output;
    std::string json;
};

// Starts a fit, waits until it is searching, sends `signal`, and collects what it left.
Stopped fit_and_stop(int signal, const std::string& name) {
    ScratchDir dir(name);
    const std::string data = unreachable_table(dir);
    const std::string json = dir.path("result.json");
    const std::string log = dir.path("output.txt");
    pid_t pid = fork();
    if (pid == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        const std::string binary = kepler_binary();
        execl(binary.c_str(), binary.c_str(), "fit", data.c_str(), "--target", "y", "--time-limit", "120", "--json",
              json.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    Stopped stopped;
    if (pid < 0) return stopped;
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const auto sent = std::chrono::steady_clock::now();
    kill(pid, signal);
    int status = 0;
    waitpid(pid, &status, 0);
    stopped.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
    std::ifstream out(log);
    stopped.output.assign(std::istreambuf_iterator<char>(out), std::istreambuf_iterator<char>());
    stopped.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    std::ifstream in(json);
    stopped.json.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return stopped;
}

void expect_stopped_with_result(const Stopped& s, int code) {
    EXPECT_EQ(s.exit_code, code) << s.output;
    EXPECT_LT(s.seconds, 2.0) << "the search must stop within about a second of the signal";
    EXPECT_NE(s.output.find("(interrupted)"), std::string::npos) << s.output;
    EXPECT_NE(s.output.find("best: y = "), std::string::npos) << s.output;
    ASSERT_FALSE(s.json.empty()) << s.output;
    const nlohmann::json doc = nlohmann::json::parse(s.json);
    EXPECT_TRUE(doc["interrupted"].get<bool>());
    EXPECT_TRUE(doc["best"]["formula"].is_string());
}

}  // namespace

TEST(HardeningSignals, SigintStopsTheSearchKeepsTheResultAndExits130) {
    expect_stopped_with_result(fit_and_stop(SIGINT, "sigint"), 128 + SIGINT);
}

TEST(HardeningSignals, SigtermStopsTheSearchKeepsTheResultAndExits143) {
    expect_stopped_with_result(fit_and_stop(SIGTERM, "sigterm"), 128 + SIGTERM);
}

TEST(HardeningSignals, SighupStopsTheSearchKeepsTheResultAndExits129) {
    expect_stopped_with_result(fit_and_stop(SIGHUP, "sighup"), 128 + SIGHUP);
}

// The signal mpirun forwards to every rank (README, "Several processes"): stops like Ctrl-C.
TEST(HardeningSignals, Sigusr2StopsTheSearchKeepsTheResultAndExits140) {
    expect_stopped_with_result(fit_and_stop(SIGUSR2, "sigusr2"), 128 + SIGUSR2);
}
