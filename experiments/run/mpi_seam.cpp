#include "experiments/run/mpi_seam.h"

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include "experiments/run/interrupt.h"
#include "simulator/error.h"

namespace rp::run {
namespace {

const MpiHost kHost{&interrupted, &throw_if_interrupted, &encode_reply, &decode_reply};

MpiBackend& load_backend() {
  const std::string path = mpi_module_path();
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);  // never closed: the backend lives on
  std::string why = handle ? "" : ::dlerror();
  if (why.rfind(path + ": ", 0) == 0) why.erase(0, path.size() + 2);  // the loader names the path too
  const auto factory = handle ? reinterpret_cast<MpiFactory>(::dlsym(handle, kMpiFactory)) : nullptr;
  if (handle && !factory) why = std::string("it has no symbol ") + kMpiFactory;
  if (!factory) {
    throw UsageError("cannot load the MPI module " + path + ": " + why +
                     " (mpirun needs it: rebuild, or reinstall with cmake --install)");
  }
  return *factory(&kHost);
}

}  // namespace

std::string mpi_module_path() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw SimulationError("cannot read /proc/self/exe to find the MPI module");
  std::string exe(buf, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/')) + "/../lib/ridgepoint/ridgepoint-mpi.so";
}

MpiBackend& mpi_backend() {
  static MpiBackend& backend = load_backend();  // thread-safe once; a failed load throws and is tried again
  return backend;
}

std::unique_ptr<JobPool> make_mpi_pool(int ranks) { return mpi_backend().make_pool(ranks); }

void serve_mpi_jobs(const Job& job) { mpi_backend().serve(job); }

}  // namespace rp::run
