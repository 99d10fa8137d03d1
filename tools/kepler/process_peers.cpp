#include "process_peers.hpp"

#include <cstdlib>
#include <iostream>

#ifdef KEPLER_MPI
#include "mpi_peers.hpp"
#endif

namespace kepler::cli {

namespace {

SinglePeer g_single;
Peers* g_peers = &g_single;
#ifdef KEPLER_MPI
std::unique_ptr<MpiPeers> g_mpi;
#endif

bool launched_by_mpirun() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
        if (std::getenv(name) != nullptr) return true;
    return false;
}

}  // namespace

PeersSession::PeersSession() {
#ifdef KEPLER_MPI
    if (launched_by_mpirun()) {
        g_mpi = std::make_unique<MpiPeers>();
        g_peers = g_mpi.get();
    }
#else
    (void)launched_by_mpirun;
#endif
}

PeersSession::~PeersSession() {
    g_peers = &g_single;
#ifdef KEPLER_MPI
    g_mpi.reset();
#endif
}

Peers& process_peers() { return *g_peers; }

void abort_job_if_spread(const std::string& message, int code) {
    if (g_peers->size() <= 1) return;
    std::cerr << "kepler: error: " << rank_prefix() << message << std::endl;
#ifdef KEPLER_MPI
    if (g_mpi) g_mpi->abort(code);
#endif
    std::_Exit(code);
}

std::string rank_prefix() {
    if (g_peers->size() <= 1) return "";
    return "rank " + std::to_string(g_peers->rank()) + " of " + std::to_string(g_peers->size()) + ": ";
}

}  // namespace kepler::cli
