#pragma once
// The one way Ridgepoint writes an HDF5 file: checked, atomic, never through a symlink. This is the HDF5 side, linked
// by the HDF5 module and tests; code in `ridgepoint` itself writes through h5_seam.h (the same, without HDF5).
//
//   traces::check_h5_output(path);                     // before any work: refuses foreign / non-regular files
//   ...                                                // the work
//   traces::write_h5_atomically(path, [&](H5::H5File& f) {
//     H5::Group meta = f.createGroup("meta");          // create, write, let every object go out of scope
//     traces::write_attr(meta, "tool_version", version);
//     table.write(f, "points");                        // Hdf5Table (hdf5_table.h)
//   });                                                // throws rp::SimulationError; `path` is then unchanged
//
// Or, to have an unwritable destination reported before the work (as `simulate --trace` does): create the
// OutputFile first, `write_h5(out, fill)` when the data is ready, then `out.commit()`.
//
// Migrating a writer that did `OutputFile out(path); try { H5::Exception::dontPrint(); H5::H5File f(out.tmp_path(),
// H5F_ACC_TRUNC); ...; f.close(); } catch (const H5::Exception&) {...} out.commit();`: move the `...` into `fill`
// (using its `f`), and drop the H5File, the close(), the try/catch and dontPrint() (a global switch): the helper
// does all of them, checked. Keep calling check_h5_output(path) before the work.
//
// How: `fill` builds the file in memory (HDF5's core driver, no backing store; the file-access property list has
// close degree H5F_CLOSE_SEMI, so closing the file with an object still open is an error, never a deferred flush).
// After `fill` returns, no object of the file may be open (else the write fails: keep every H5::Group, DataSet,
// Attribute inside `fill`); the file is then flushed, its image taken and the file closed, each step checked. Only
// then is the image written, every byte checked, to the OutputFile's temporary (created with O_CREAT | O_EXCL |
// O_NOFOLLOW, see output_file.h), and commit() fsyncs it, checks that it is still the inode created, renames it
// and fsyncs the directory. So HDF5 itself never touches the disk: a full disk is one checked write() failing with
// "No space left on device", never an HDF5 error in a destructor or at exit, and nothing is renamed into place
// unless it was completely written. The whole file is held in memory twice at the peak (HDF5's copy and the
// image): fine for Ridgepoint's outputs (tables of at most some hundred MB).
//
// Every H5::Exception (which is NOT a std::exception: `catch (const std::exception&)` misses it) thrown by `fill`
// or by the steps above becomes one rp::SimulationError line: "cannot write 'PATH': HDF5: <function>: <detail>".
// Any other exception of `fill` propagates unchanged. On every failure the temporary is removed and the previous
// file at `path` stays as it was. HDF5's automatic error printing is off for the duration of the call.
#include <H5Cpp.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "traces/writers/output_file.h"

namespace rp::traces {

using H5Fill = std::function<void(H5::H5File& file)>;

// The bytes of the complete file `fill` builds (in memory, named `scratch_name` there; see above); HDF5 failures
// become one rp::SimulationError line "cannot write 'PATH': HDF5: ...". Touches no file.
std::vector<char> h5_image(const std::string& path, const std::string& scratch_name, const H5Fill& fill);

// Builds the file with `fill` (see above) and writes it to `out`'s temporary; the caller then calls out.commit().
inline void write_h5(OutputFile& out, const H5Fill& fill) {
  const std::vector<char> image = h5_image(out.path(), out.tmp_path(), fill);
  out.write(std::string_view(image.data(), image.size()));
}

// OutputFile out(path); write_h5(out, fill); out.commit(). Throws rp::UsageError for a refused or unwritable
// `path` (output_file.h), rp::SimulationError for a failed write.
inline void write_h5_atomically(const std::string& path, const H5Fill& fill) {
  OutputFile out(path);
  write_h5(out, fill);
  out.commit();
}

}  // namespace rp::traces
