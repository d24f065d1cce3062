#include "traces/writers/output_guard.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "simulator/error.h"
#include "traces/writers/h5_seam.h"
#include "traces/writers/output_file.h"

namespace rp::traces {
bool written_by_ridgepoint(const std::string& path) {
  // Only a regular file is ever opened: H5Fis_hdf5 on a FIFO would wait for a writer forever.
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  return hdf5_module().written_by_ridgepoint(path);  // loads HDF5 only now: an output exists at `path`
}

void check_h5_output(const std::string& path) {
  if (path.empty()) throw UsageError("the output file name is empty");
  hdf5_module();                    // a missing or broken HDF5 module is reported now, before the work (h5_seam.h)
  refuse_non_regular_output(path);  // a directory, FIFO, socket, device or symlink, before anything opens it
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!written_by_ridgepoint(path)) {
      throw UsageError("output '" + path +
                       "' exists and was not written by Ridgepoint (no HDF5 tool_version "
                       "marker): refusing to overwrite it; move it away or name another output");
    }
  }
  // The system's words, as OutputFile says them: "No such file or directory", "Not a directory", "Permission denied".
  const std::string dir = directory_of(path);
  int err = 0;
  if (::stat(dir.c_str(), &st) != 0) {
    err = errno;
  } else if (!S_ISDIR(st.st_mode)) {
    err = ENOTDIR;
  } else if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    err = errno;
  }
  if (err != 0) throw UsageError("cannot write '" + path + "': " + std::strerror(err));
}

}  // namespace rp::traces
