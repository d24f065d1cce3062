// The one symbol of ridgepoint-hdf5.so (h5_seam.h kHdf5Factory); everything else in the module is hidden.
#include "traces/writers/hdf5_module.h"

extern "C" __attribute__((visibility("default"))) rp::traces::Hdf5Module* rp_hdf5_module() {
  return &rp::traces::linked_hdf5_module();
}
