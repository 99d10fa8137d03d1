// `kepler fit --checkpoint FILE` and `--resume FILE`: the checkpoints of a run written as the
// search passes its stage boundaries, and the checkpoint file read back into the fit's options.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "fit_arguments.hpp"
#include "kepler/api/checkpoint.hpp"
#include "kepler/pipeline/discover.hpp"

namespace kepler::cli {

// Writes a run's checkpoints to one file, atomically (write_file_atomically): at a stage
// boundary when kMinInterval has passed since the last write, and the latest at the end
// (finish(), also after a signal stopped the run).
class CheckpointWriter {
public:
    static constexpr std::chrono::seconds kMinInterval{2};

    // `base`: the data file, the table's fingerprint, the options and the inputs' names; its
    // state is replaced by each checkpoint.
    CheckpointWriter(std::string path, api::CheckpointFile base);

    // For DiscoverOptions::on_stage_done. Throws std::runtime_error when the file cannot be written.
    void on_stage_done(const RunCheckpoint& checkpoint);
    // Writes the latest checkpoint unless written already. Throws as on_stage_done.
    void finish();

private:
    void write();

    std::string path_;
    api::CheckpointFile file_;
    bool have_ = false, written_ = false;
    std::optional<std::chrono::steady_clock::time_point> last_write_;
};

}  // namespace kepler::cli
