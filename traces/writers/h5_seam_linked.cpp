// hdf5_module() for programs that link HDF5 (tests, the Python module, benchmarks): the implementation itself.
#include "traces/writers/h5_seam.h"
#include "traces/writers/hdf5_module.h"

namespace rp::traces {

std::string hdf5_module_path() { return "(linked in)"; }

Hdf5Module& hdf5_module() { return linked_hdf5_module(); }

}  // namespace rp::traces
