// hdf5_module() for `ridgepoint` and `ridgepoint-torch`: the module beside the executable, loaded on first use.
#include "simulator/module_loader.h"
#include "traces/writers/h5_seam.h"

namespace rp::traces {
namespace {

Hdf5Module& load_module() {
  const auto factory = reinterpret_cast<Hdf5Factory>(sim::load_module_symbol(
      hdf5_module_path(), kHdf5Factory, "HDF5", "HDF5 outputs need it: rebuild, or reinstall with cmake --install"));
  return *factory();
}

}  // namespace

std::string hdf5_module_path() { return sim::sibling_module_path("ridgepoint-hdf5.so", "HDF5"); }

Hdf5Module& hdf5_module() {
  static Hdf5Module& module = load_module();  // thread-safe once; a failed load throws and is tried again
  return module;
}

}  // namespace rp::traces
