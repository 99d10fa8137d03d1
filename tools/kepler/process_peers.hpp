// The peers of this process (kepler/core/peers.hpp): Open MPI's when the binary was built with
// KEPLER_MPI and started by mpirun or srun, else a SinglePeer. MPI is initialised only then,
// so a plain `kepler fit` never touches it (no MPI library call, no daemon, no environment).
#pragma once

#include <memory>
#include <string>

#include "kepler/core/peers.hpp"

namespace kepler::cli {

// For main(): MPI_Init on construction when launched by mpirun / srun (the environment names
// a rank: OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK), MPI_Finalize on destruction.
class PeersSession {
public:
    PeersSession();
    ~PeersSession();
    PeersSession(const PeersSession&) = delete;
    PeersSession& operator=(const PeersSession&) = delete;
};

// The process's peers; a SinglePeer outside a PeersSession or when not launched by mpirun.
Peers& process_peers();

// Under mpirun with more than one rank: prints "kepler: error: rank R of N: MESSAGE" on stderr
// and ends the whole job (MPI_Abort: a rank that failed must not leave the others waiting in a
// collective). Alone: does nothing (the caller reports the error as usual).
void abort_job_if_spread(const std::string& message, int code);

// "rank R of N: " under mpirun with more than one rank, else "".
std::string rank_prefix();

}  // namespace kepler::cli
