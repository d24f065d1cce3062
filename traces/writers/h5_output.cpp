#include "traces/writers/h5_output.h"

#include <vector>

#include "simulator/error.h"

namespace rp::traces {
namespace {

// HDF5's core driver grows its in-memory file by this much at a time.
constexpr size_t kCoreIncrement = size_t{1} << 20;
// Every kind of object a file can have open, the file itself excepted.
constexpr unsigned kObjects = H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR;

// Turns HDF5's automatic error-stack printing off while alive, restoring the previous handler afterwards.
class QuietHdf5 {
 public:
  QuietHdf5() {
    H5Eget_auto2(H5E_DEFAULT, &m_func, &m_data);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, m_func, m_data); }
  QuietHdf5(const QuietHdf5&) = delete;
  QuietHdf5& operator=(const QuietHdf5&) = delete;

 private:
  H5E_auto2_t m_func = nullptr;
  void* m_data = nullptr;
};

// Closes every object still open in `file` (the C++ wrappers that own them later see invalid ids and skip them).
void close_open_objects(hid_t file) {
  const ssize_t n = H5Fget_obj_count(file, kObjects);
  if (n <= 0) return;
  std::vector<hid_t> ids(static_cast<size_t>(n));
  const ssize_t got = H5Fget_obj_ids(file, kObjects, static_cast<size_t>(n), ids.data());
  for (ssize_t i = 0; i < got; ++i) {
    while (H5Iis_valid(ids[static_cast<size_t>(i)]) > 0 && H5Idec_ref(ids[static_cast<size_t>(i)]) > 0) {}
  }
}

// Closes the file however build_image() is left, silently: an H5File destructor that fails prints to stderr.
class ClosedOnExit {
 public:
  explicit ClosedOnExit(H5::H5File& file) : m_file(file) {}
  ~ClosedOnExit() {
    if (H5Iis_valid(m_file.getId()) <= 0) return;
    close_open_objects(m_file.getId());
    try {
      m_file.close();
    } catch (const H5::Exception&) {  // nothing was written anywhere: the in-memory file is just dropped
    }
  }
  ClosedOnExit(const ClosedOnExit&) = delete;
  ClosedOnExit& operator=(const ClosedOnExit&) = delete;

 private:
  H5::H5File& m_file;
};

// The complete file `fill` builds, as bytes; see h5_output.h. Throws H5::Exception (and what `fill` throws).
std::vector<char> build_image(const std::string& name, const H5Fill& fill) {
  H5::FileAccPropList fapl;
  fapl.setFcloseDegree(H5F_CLOSE_SEMI);
  fapl.setCore(kCoreIncrement, false);
  H5::H5File file(name, H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, fapl);
  const ClosedOnExit closer(file);
  fill(file);
  const ssize_t open = H5Fget_obj_count(file.getId(), kObjects);
  if (open != 0) {
    throw H5::FileIException("write_h5",
                             std::to_string(open) + " object(s) still open after writing (a program " +
                                 "error: keep every group, dataset and attribute inside the fill function)");
  }
  if (H5Fflush(file.getId(), H5F_SCOPE_GLOBAL) < 0) throw H5::FileIException("H5Fflush", "flushing the file failed");
  const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
  if (size <= 0) throw H5::FileIException("H5Fget_file_image", "cannot size the file image");
  std::vector<char> image(static_cast<size_t>(size));
  if (H5Fget_file_image(file.getId(), image.data(), image.size()) != size) {
    throw H5::FileIException("H5Fget_file_image", "cannot copy the file image");
  }
  file.close();  // checked: throws H5::FileIException (with H5F_CLOSE_SEMI, also for an object left open)
  return image;
}

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

}  // namespace

std::vector<char> h5_image(const std::string& path, const std::string& scratch_name, const H5Fill& fill) {
  const QuietHdf5 quiet;
  try {
    return build_image(scratch_name, fill);
  } catch (const H5::Exception& e) {
    throw SimulationError(one_line("cannot write '" + path + "': HDF5: " + e.getFuncName() + ": " + e.getDetailMsg()));
  }
}

}  // namespace rp::traces
