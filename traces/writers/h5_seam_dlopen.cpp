// hdf5_module() for `ridgepoint` and `ridgepoint-torch`: the module beside the executable, loaded on first use.
#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include "simulator/error.h"
#include "traces/writers/h5_seam.h"

namespace rp::traces {
namespace {

Hdf5Module& load_module() {
  const std::string path = hdf5_module_path();
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);  // never closed: the module lives on
  std::string why = handle ? "" : ::dlerror();
  if (why.rfind(path + ": ", 0) == 0) why.erase(0, path.size() + 2);  // the loader names the path too
  const auto factory = handle ? reinterpret_cast<Hdf5Factory>(::dlsym(handle, kHdf5Factory)) : nullptr;
  if (handle && !factory) why = std::string("it has no symbol ") + kHdf5Factory;
  if (!factory) {
    throw UsageError("cannot load the HDF5 module " + path + ": " + why +
                     " (HDF5 outputs need it: rebuild, or reinstall with cmake --install)");
  }
  return *factory();
}

}  // namespace

std::string hdf5_module_path() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw SimulationError("cannot read /proc/self/exe to find the HDF5 module");
  std::string exe(buf, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/')) + "/../lib/ridgepoint/ridgepoint-hdf5.so";
}

Hdf5Module& hdf5_module() {
  static Hdf5Module& module = load_module();  // thread-safe once; a failed load throws and is tried again
  return module;
}

}  // namespace rp::traces
