#pragma once
// Modules shipped beside the executable and loaded with dlopen() only when a command needs them (the HDF5 writer,
// traces/writers/h5_seam.h; the MPI pool, experiments/run/mpi_seam.h): where they live and how a factory symbol is
// found, in one place.
//   PREFIX/bin/ridgepoint  ->  PREFIX/lib/ridgepoint/FILE      (the build tree has the same layout)
// Errors: SimulationError when /proc/self/exe cannot be read; UsageError, one line, when the module cannot be loaded
// or lacks the symbol: "cannot load the WHAT module PATH: WHY (HINT)". A loaded module is never closed.
#include <string>

namespace rp::sim {

// EXE_DIR/../lib/ridgepoint/FILE for the running executable; `what` names the module in the error.
std::string sibling_module_path(const std::string& file, const std::string& what);

// dlopen()s `path` (RTLD_NOW | RTLD_LOCAL) and returns its symbol `symbol`.
void* load_module_symbol(const std::string& path, const char* symbol, const std::string& what, const std::string& hint);

}  // namespace rp::sim
