// The processes one run is spread over, as the engine sees them: a rank, a size and a few
// collective operations on byte buffers. The engine never includes mpi.h; the CLI implements
// this interface over Open MPI (tools/kepler/mpi_peers.*) when it was started by mpirun, and
// everything else (one process, the tests, Python) uses SinglePeer, under which every
// operation is the trivial one and a search runs exactly as without peers.
//
// Collective means: every rank calls it, in the same order, with the same arguments (except
// the buffers); a rank that skips one leaves the others waiting for ever. The engine keeps to
// that by deciding together (all_agree) at each point where ranks could decide differently (a
// clock, a cancel flag).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kepler {

// A task of Peers::deal failed on some rank: thrown by deal on every rank of the job, once
// rank 0 has taken in every result that arrived. what() is the task's own message.
class PeerFailure : public std::runtime_error {
public:
    PeerFailure(int failed_rank, const std::string& message) : std::runtime_error(message), rank_(failed_rank) {}
    int failed_rank() const noexcept { return rank_; }

private:
    int rank_;
};

class Peers {
public:
    virtual ~Peers() = default;

    virtual int rank() const = 0;  // 0 .. size() - 1; rank 0 prints and writes
    virtual int size() const = 0;

    // Every rank's buffer, in rank order, on every rank. Collective.
    virtual std::vector<std::string> all_gather(const std::string& mine) = 0;

    // Runs tasks 0 .. count - 1 over the ranks, each handed to whichever rank asks next
    // (dynamic load balancing: a long task does not hold the others up). `work(i)` runs task i
    // on the rank it was handed to and returns its result as bytes; `done(i, result)` is then
    // called on rank 0 (from the thread that called deal) as each result arrives, in arrival
    // order. Once `stop` (may be null) is set on rank 0, no further task is handed out. Returns
    // on rank 0 the results by task index (an empty string for a task never run), elsewhere
    // nothing. Collective. With one rank an exception of `work` propagates. With more, the
    // first exception of `work` on any rank stops the dealing: no task is handed out after it,
    // the tasks under way finish and `done` sees their results on rank 0, and then deal throws
    // PeerFailure (the failed rank, the exception's message) on every rank, so rank 0 can keep
    // what it has and no rank is left waiting.
    virtual std::vector<std::string> deal(std::size_t count, const std::function<std::string(std::size_t)>& work,
                                          const std::function<void(std::size_t, const std::string&)>& done,
                                          const std::atomic<bool>* stop) = 0;

    // What the collectives sent so far from this rank: messages and bytes (for the figures).
    struct Traffic {
        std::uint64_t collectives = 0;  // all_gather calls, and one per deal
        std::uint64_t messages = 0;
        std::uint64_t bytes = 0;
    };
    virtual Traffic traffic() const = 0;
};

// One process: rank 0 of 1. all_gather returns {mine}; deal runs the tasks in order.
class SinglePeer final : public Peers {
public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    std::vector<std::string> all_gather(const std::string& mine) override { return {mine}; }
    std::vector<std::string> deal(std::size_t count, const std::function<std::string(std::size_t)>& work,
                                  const std::function<void(std::size_t, const std::string&)>& done,
                                  const std::atomic<bool>* stop) override;
    Traffic traffic() const override { return {}; }
};

// True on every rank iff `mine` is true on every rank (a collective AND). With no peers or one
// rank, `mine`. How ranks take a decision that rests on a clock or a signal together.
bool all_agree(Peers* peers, bool mine);

// Byte buffers for the collectives: numbers in the machine's own representation (the ranks
// of one job run the same binary on the same architecture), strings with their length.
class ByteWriter {
public:
    template <class T>
    void put(const T& value) {
        const auto* p = reinterpret_cast<const char*>(&value);
        bytes_.append(p, sizeof(T));
    }
    void put_string(const std::string& s) {
        put<std::uint64_t>(s.size());
        bytes_ += s;
    }
    const std::string& bytes() const noexcept { return bytes_; }
    std::string take() noexcept { return std::move(bytes_); }

private:
    std::string bytes_;
};

// Reads what a ByteWriter wrote, in the same order. Throws std::out_of_range past the end.
class ByteReader {
public:
    explicit ByteReader(const std::string& bytes) : bytes_(bytes) {}
    template <class T>
    T get() {
        T value;
        copy_out(reinterpret_cast<char*>(&value), sizeof(T));
        return value;
    }
    std::string get_string();
    bool at_end() const noexcept { return position_ == bytes_.size(); }

private:
    void copy_out(char* out, std::size_t n);
    const std::string& bytes_;
    std::size_t position_ = 0;
};

}  // namespace kepler
