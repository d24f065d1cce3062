#include "traces/writers/output_guard.h"

#include <hdf5.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "simulator/error.h"
#include "traces/writers/output_file.h"

namespace rp::traces {
namespace {

bool has_marker(hid_t file, const char* group) {
  return H5Lexists(file, group, H5P_DEFAULT) > 0 && H5Aexists_by_name(file, group, "tool_version", H5P_DEFAULT) > 0;
}

}  // namespace

bool written_by_ridgepoint(const std::string& path) {
  // Only a regular file is ever opened: H5Fis_hdf5 on a FIFO would wait for a writer forever.
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  // The HDF5 C API, with its error stack silenced for these calls only: a foreign or broken file is an answer
  // here, not an error to print.
  H5E_auto2_t func = nullptr;
  void* data = nullptr;
  H5Eget_auto2(H5E_DEFAULT, &func, &data);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  bool ours = false;
  if (H5Fis_hdf5(path.c_str()) > 0) {
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f >= 0) {
      ours = H5Aexists_by_name(f, "/", "tool_version", H5P_DEFAULT) > 0 || has_marker(f, "meta");
      H5Fclose(f);
    }
  }
  H5Eset_auto2(H5E_DEFAULT, func, data);
  return ours;
}

void check_h5_output(const std::string& path) {
  if (path.empty()) throw UsageError("the output file name is empty");
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
