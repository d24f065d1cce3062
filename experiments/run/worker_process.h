#pragma once
// Forking a worker process that dies with its parent: every `--jobs N` worker (sweeps, NAS and LACS training
// pools, HURRICANE) is started through fork_worker(), so killing the parent, even with kill -9, kills its workers
// at once instead of leaving them computing and appending to the journal behind a rerun's back.
// How: the child asks the kernel for SIGKILL when its parent dies (Linux prctl PR_SET_PDEATHSIG), then checks that
// the parent is still the one that forked it (getppid), which closes the race of a parent killed between fork() and
// prctl(). The signal follows the parent *thread* that forked: call this from the thread that lives as long as the
// run (the main thread). MPI ranks need nothing of this: mpirun (OpenMPI's daemons) kills every rank of a job when
// one rank or mpirun itself dies.
#include <sys/types.h>

namespace rp::run {

// Like fork(): the child's pid in the parent, 0 in the child. Flushes stdio first (no output printed twice).
// Throws rp::SimulationError when the process cannot be forked.
pid_t fork_worker();

}  // namespace rp::run
