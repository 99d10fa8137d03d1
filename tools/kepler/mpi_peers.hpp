// kepler::Peers over Open MPI (MPI_COMM_WORLD). Built only with KEPLER_MPI; the only place the
// project includes mpi.h. The engine sees the abstract Peers (kepler/core/peers.hpp).
//
// Threads: MPI is called only from the thread that created this object (MPI_THREAD_FUNNELED
// would do; SERIALIZED is asked for in case a TBB arena runs the caller's work on another
// thread). deal() runs rank 0's own share of the tasks on a second thread that makes no MPI
// call, while the calling thread hands out tasks; it polls (MPI_Iprobe, then a 1 ms sleep)
// rather than blocking in MPI_Recv, which in Open MPI spins and would take a core from the work.
// A task that throws on any rank is reported to rank 0, and at the end of deal() one broadcast
// tells every rank, which throws PeerFailure (kepler/core/peers.hpp).
#pragma once

#include <string>

#include "kepler/core/peers.hpp"

namespace kepler::cli {

class MpiPeers final : public Peers {
public:
    MpiPeers();            // MPI_Init_thread; throws std::runtime_error if MPI cannot start
    ~MpiPeers() override;  // MPI_Finalize
    MpiPeers(const MpiPeers&) = delete;
    MpiPeers& operator=(const MpiPeers&) = delete;

    int rank() const override { return rank_; }
    int size() const override { return size_; }
    std::vector<std::string> all_gather(const std::string& mine) override;
    std::vector<std::string> deal(std::size_t count, const std::function<std::string(std::size_t)>& work,
                                  const std::function<void(std::size_t, const std::string&)>& done,
                                  const std::atomic<bool>* stop) override;
    Traffic traffic() const override { return traffic_; }

    // MPI_Abort(MPI_COMM_WORLD, code): ends every rank of the job.
    [[noreturn]] void abort(int code);

private:
    struct Failure {
        int rank = -1;  // none
        std::string message;
    };
    std::vector<std::string> coordinate(std::size_t count, const std::function<std::string(std::size_t)>& work,
                                        const std::function<void(std::size_t, const std::string&)>& done,
                                        const std::atomic<bool>* stop, Failure& failure);
    void serve(const std::function<std::string(std::size_t)>& work);
    void sent(std::uint64_t messages, std::uint64_t bytes);

    int rank_ = 0;
    int size_ = 1;
    Traffic traffic_;
};

}  // namespace kepler::cli
