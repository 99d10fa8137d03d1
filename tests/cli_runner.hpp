// Runs the built `kepler` executable and captures what it printed and its exit code.
#pragma once

#include <sys/wait.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace kepler::testing {

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

inline std::string kepler_binary() { return std::string(KEPLER_BINARY_DIR) + "/tools/kepler"; }

inline CommandResult run_kepler(const std::string& arguments) {
    CommandResult result;
    std::string command = kepler_binary() + " " + arguments + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return result;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) result.output.append(buffer, n);
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

// A scratch directory for one test's files, removed afterwards.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& name)
        : path_(std::filesystem::temp_directory_path() / ("kepler-test-" + name + "-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() { std::filesystem::remove_all(path_); }
    std::string write(const std::string& file, const std::string& text) const {
        std::string p = (path_ / file).string();
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    std::string path(const std::string& file) const { return (path_ / file).string(); }

private:
    std::filesystem::path path_;
};

}  // namespace kepler::testing
