#include "fit_checkpoint.hpp"

#include <cmath>
#include <utility>

#include "kepler/api/input_error.hpp"
#include "option_checks.hpp"
#include "result_output.hpp"

namespace kepler::cli {

namespace {

using nlohmann::json;

// One field of a checkpoint's "options" object, checked; errors name the file and the field.
class OptionReader {
public:
    OptionReader(const json& options, const std::string& path) : options_(options), path_(path) {}

    [[noreturn]] void fail(const std::string& key, const std::string& expected) const {
        throw api::InputError(path_ + ": field 'options." + key + "': expected " + expected, {path_, 0, 0});
    }
    const json& at(const std::string& key) const {
        const auto it = options_.find(key);
        if (it == options_.end()) fail(key, "a value, found none (the field is missing)");
        return *it;
    }
    std::string text(const std::string& key) const {
        if (!at(key).is_string()) fail(key, "a string");
        return at(key).get<std::string>();
    }
    bool flag(const std::string& key) const {
        if (!at(key).is_boolean()) fail(key, "true or false");
        return at(key).get<bool>();
    }
    std::uint64_t whole(const std::string& key, std::uint64_t min, std::uint64_t max) const {
        const json& v = at(key);
        if (!v.is_number_unsigned() || v.get<std::uint64_t>() < min || v.get<std::uint64_t>() > max)
            fail(key, "a whole number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
        return v.get<std::uint64_t>();
    }
    double seconds(const std::string& key) const {
        const json& v = at(key);
        if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0.0 || v.get<double>() > kMaxSeconds)
            fail(key, "a number of seconds in [0, 1e9]");
        return v.get<double>();
    }
    std::vector<std::string> texts(const std::string& key) const {
        const json& v = at(key);
        if (!v.is_array()) fail(key, "an array of strings");
        for (const json& e : v)
            if (!e.is_string()) fail(key, "an array of strings");
        return v.get<std::vector<std::string>>();
    }

private:
    const json& options_;
    const std::string& path_;
};

}  // namespace

json options_json(const FitArguments& args) {
    return {{"target", args.target},
            {"inputs", args.inputs},
            {"time_limit", args.time_limit + args.resumed_seconds},
            {"threads", args.threads},
            {"seed", args.seed},
            {"max_nodes", args.max_nodes},
            {"max_evals", args.max_evals},
            {"max_memory", args.max_memory},
            {"ops", args.ops},
            {"rows", args.rows},
            {"sample", args.sample},
            {"keep_spikes", args.keep_spikes},
            {"unit_system", args.units.unit_system},
            {"units_file", args.units.units_file},
            {"no_units", args.no_units},
            {"screen", args.screen      ? "on"
                       : args.no_screen ? "off"
                                        : "automatic"}};
}

void take_checkpoint_options(FitArguments& args, const json& options, const std::string& path) {
    const OptionReader r(options, path);
    args.target = r.text("target");
    args.inputs = r.texts("inputs");
    if (!args.time_limit_given) args.time_limit = r.seconds("time_limit");
    if (!args.max_evals_given) args.max_evals = r.whole("max_evals", 0, UINT64_MAX);
    args.seed = r.whole("seed", 0, kMaxSeed);
    args.max_nodes = r.whole("max_nodes", 0, kMaxEnumeratedNodes);
    if (!args.max_memory_given) args.max_memory = r.whole("max_memory", 1, kMaxMemoryMegabytes);
    args.ops = r.text("ops");
    args.rows = r.whole("rows", 0, UINT64_MAX);
    args.sample = r.whole("sample", 0, UINT64_MAX);
    args.keep_spikes = r.flag("keep_spikes");
    args.units.unit_system = r.text("unit_system");
    args.units.units_file = r.text("units_file");
    args.no_units = r.flag("no_units");
    const std::string screen = r.text("screen");
    if (screen != "off" && screen != "automatic")
        r.fail("screen", "\"off\" or \"automatic\" (screened runs have no checkpoints)");
    args.no_screen = screen == "off";
    args.screen = false;
}

CheckpointWriter::CheckpointWriter(std::string path, api::CheckpointFile base)
    : path_(std::move(path)), file_(std::move(base)) {}

void CheckpointWriter::on_stage_done(const RunCheckpoint& checkpoint) {
    file_.state = checkpoint;
    if (!checkpoint.inputs.empty()) file_.inputs = checkpoint.inputs;  // constants brought in included
    have_ = true;
    written_ = false;
    const auto now = std::chrono::steady_clock::now();
    if (!last_write_ || now - *last_write_ >= kMinInterval) write();
}

void CheckpointWriter::finish() {
    if (have_ && !written_) write();
}

void CheckpointWriter::write() {
    write_file_atomically(path_, checkpoint_json(file_).dump(1, ' ', false, json::error_handler_t::replace) + "\n");
    written_ = true;
    last_write_ = std::chrono::steady_clock::now();
}

}  // namespace kepler::cli
