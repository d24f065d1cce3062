#pragma once
// The HDF5 side of h5_seam.h: its Hdf5Module, built on h5_output.h, hdf5_table.h and HDF5's C++ API. Compiled into
// the module ridgepoint-hdf5.so (hdf5_module_entry.cpp) and into rp_hdf5_linked; nothing else includes it.
#include "traces/writers/h5_seam.h"

namespace rp::traces {

// The implementation (one per process or module, living as long as it).
Hdf5Module& linked_hdf5_module();

}  // namespace rp::traces
