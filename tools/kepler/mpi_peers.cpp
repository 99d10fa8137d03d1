#include "mpi_peers.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

namespace kepler::cli {

namespace {

constexpr int kRequestTag = 1;  // worker -> rank 0: the result of its last task (if any), asking for the next
constexpr int kAssignTag = 2;   // rank 0 -> worker: the next task, or kNoTask
constexpr std::int64_t kNoTask = -1;

void check(int code, const char* what) {
    if (code != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

int as_count(std::size_t n) {
    if (n > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw std::runtime_error("MPI: a message over 2 GiB");
    return static_cast<int>(n);
}

// What a worker's request carries besides asking for the next task.
enum class Carries : std::uint8_t { nothing = 0, result = 1, failure = 2 };

// A worker's request: what it carries, the task, the result's bytes (or the failure's message).
std::string request_bytes(Carries carries, std::size_t task, const std::string& text) {
    ByteWriter out;
    out.put<std::uint8_t>(static_cast<std::uint8_t>(carries));
    out.put<std::uint64_t>(task);
    out.put_string(text);
    return out.take();
}

// The message of an exception caught with catch (...).
std::string message_of(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& x) {
        return x.what();
    } catch (...) {
        return "an unknown exception";
    }
}

}  // namespace

MpiPeers::MpiPeers() {
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
}

MpiPeers::~MpiPeers() { MPI_Finalize(); }

void MpiPeers::abort(int code) {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);  // MPI_Abort does not return; in case it does
}

void MpiPeers::sent(std::uint64_t messages, std::uint64_t bytes) {
    traffic_.messages += messages;
    traffic_.bytes += bytes;
}

// Sizes first (one MPI_Allgather of 8 bytes each), then the bytes (MPI_Allgatherv). Counted as
// what this rank's buffer costs if sent to each other rank: 2 (size - 1) messages.
std::vector<std::string> MpiPeers::all_gather(const std::string& mine) {
    const auto n = static_cast<std::size_t>(size_);
    std::vector<std::uint64_t> sizes(n);
    const std::uint64_t my_size = mine.size();
    check(MPI_Allgather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD), "MPI_Allgather");
    std::vector<int> counts(n), offsets(n);
    std::size_t total = 0;
    for (std::size_t r = 0; r < n; ++r) {
        counts[r] = as_count(sizes[r]);
        offsets[r] = as_count(total);
        total += sizes[r];
    }
    std::string all(total, '\0');
    check(MPI_Allgatherv(mine.data(), as_count(mine.size()), MPI_BYTE, all.data(), counts.data(), offsets.data(),
                         MPI_BYTE, MPI_COMM_WORLD),
          "MPI_Allgatherv");
    ++traffic_.collectives;
    sent(2 * (n - 1), (sizeof my_size + mine.size()) * (n - 1));
    std::vector<std::string> out(n);
    for (std::size_t r = 0; r < n; ++r)
        out[r] = all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(counts[r]));
    return out;
}

std::vector<std::string> MpiPeers::deal(std::size_t count, const std::function<std::string(std::size_t)>& work,
                                        const std::function<void(std::size_t, const std::string&)>& done,
                                        const std::atomic<bool>* stop) {
    ++traffic_.collectives;
    std::vector<std::string> results;
    Failure failure;
    if (rank_ == 0)
        results = coordinate(count, work, done, stop, failure);
    else
        serve(work);
    // Every rank learns of the first failure (rank 0 knows it) and throws it.
    ByteWriter out;
    out.put<std::int64_t>(failure.rank);
    out.put_string(failure.message);
    std::string bytes = out.take();
    std::uint64_t size = bytes.size();
    check(MPI_Bcast(&size, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD), "MPI_Bcast");
    bytes.resize(size);
    check(MPI_Bcast(bytes.data(), as_count(size), MPI_BYTE, 0, MPI_COMM_WORLD), "MPI_Bcast");
    if (rank_ == 0) sent(2 * static_cast<std::uint64_t>(size_ - 1), (sizeof size + size) * (size_ - 1));
    ByteReader in(bytes);
    const auto failed = in.get<std::int64_t>();
    if (failed >= 0) throw PeerFailure(static_cast<int>(failed), in.get_string());
    return results;
}

// A worker: ask rank 0 for a task (sending the last result with the request), run it, repeat
// until told there is none. A task that throws is reported to rank 0 in place of its result
// (rank 0 then hands out no more tasks); deal() throws it on every rank afterwards.
void MpiPeers::serve(const std::function<std::string(std::size_t)>& work) {
    Carries carries = Carries::nothing;
    std::size_t task = 0;
    std::string text;
    while (true) {
        const std::string request = request_bytes(carries, task, text);
        check(MPI_Send(request.data(), as_count(request.size()), MPI_BYTE, 0, kRequestTag, MPI_COMM_WORLD), "MPI_Send");
        sent(1, request.size());
        std::int64_t next = kNoTask;
        check(MPI_Recv(&next, 1, MPI_INT64_T, 0, kAssignTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
        if (next == kNoTask) return;
        task = static_cast<std::size_t>(next);
        try {
            text = work(task);
            carries = Carries::result;
        } catch (...) {
            text = message_of(std::current_exception());
            carries = Carries::failure;
        }
    }
}

// Rank 0: hands out tasks to whoever asks, and works through its own share on a second thread
// (rank 0 is a worker too: with few ranks a pure coordinator would leave a rank's cores idle,
// and answering a request costs microseconds, so the coordinator takes no core of its own).
std::vector<std::string> MpiPeers::coordinate(std::size_t count, const std::function<std::string(std::size_t)>& work,
                                              const std::function<void(std::size_t, const std::string&)>& done,
                                              const std::atomic<bool>* stop, Failure& failure) {
    std::vector<std::string> results(count);
    std::mutex mutex;
    std::size_t next = 0;
    std::deque<std::pair<std::size_t, std::string>> finished;  // rank 0's own, not yet passed to done
    bool local_done = false;
    auto fail = [&](int rank, std::string message) {  // keeps the first failure
        std::lock_guard<std::mutex> lock(mutex);
        if (failure.rank < 0) failure = {rank, std::move(message)};
    };
    auto take = [&]() -> std::int64_t {
        std::lock_guard<std::mutex> lock(mutex);
        if ((stop && stop->load()) || failure.rank >= 0 || next >= count) return kNoTask;
        return static_cast<std::int64_t>(next++);
    };
    std::thread local([&] {
        try {
            for (std::int64_t t = take(); t != kNoTask; t = take()) {
                std::string r = work(static_cast<std::size_t>(t));
                std::lock_guard<std::mutex> lock(mutex);
                finished.emplace_back(static_cast<std::size_t>(t), std::move(r));
            }
        } catch (...) {
            fail(0, message_of(std::current_exception()));
        }
        std::lock_guard<std::mutex> lock(mutex);
        local_done = true;
    });
    auto accept = [&](std::size_t task, std::string r) {
        if (task >= count) return;
        results[task] = std::move(r);
        if (done) done(task, results[task]);
    };
    int workers = size_ - 1;
    bool all_local_done = false;
    while (workers > 0 || !all_local_done) {
        std::deque<std::pair<std::size_t, std::string>> mine;
        {
            std::lock_guard<std::mutex> lock(mutex);
            mine.swap(finished);
            all_local_done = local_done;
        }
        for (auto& [task, r] : mine) accept(task, std::move(r));
        int waiting = 0;
        MPI_Status status;
        check(MPI_Iprobe(MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &waiting, &status), "MPI_Iprobe");
        if (!waiting) {
            if (workers > 0 || !all_local_done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            continue;
        }
        int bytes = 0;
        check(MPI_Get_count(&status, MPI_BYTE, &bytes), "MPI_Get_count");
        std::string request(static_cast<std::size_t>(bytes), '\0');
        check(MPI_Recv(request.data(), bytes, MPI_BYTE, status.MPI_SOURCE, kRequestTag, MPI_COMM_WORLD,
                       MPI_STATUS_IGNORE),
              "MPI_Recv");
        ByteReader in(request);
        const auto carries = static_cast<Carries>(in.get<std::uint8_t>());
        const auto task = static_cast<std::size_t>(in.get<std::uint64_t>());
        std::string r = in.get_string();
        if (carries == Carries::result) accept(task, std::move(r));
        if (carries == Carries::failure) fail(status.MPI_SOURCE, std::move(r));
        const std::int64_t assigned = take();
        check(MPI_Send(&assigned, 1, MPI_INT64_T, status.MPI_SOURCE, kAssignTag, MPI_COMM_WORLD), "MPI_Send");
        sent(1, sizeof assigned);
        if (assigned == kNoTask) --workers;
    }
    local.join();
    for (auto& [task, r] : finished) accept(task, std::move(r));
    return results;
}

}  // namespace kepler::cli
