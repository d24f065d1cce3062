#include "traces/writers/h5_seam.h"

namespace rp::traces {

void write_hdf5(OutputFile& out, const H5OutFill& fill) {
  const std::vector<char> image = hdf5_module().image(out.path(), out.tmp_path(), fill);
  out.write(std::string_view(image.data(), image.size()));
}

void write_hdf5_atomically(const std::string& path, const H5OutFill& fill) {
  OutputFile out(path);
  write_hdf5(out, fill);
  out.commit();
}

}  // namespace rp::traces
