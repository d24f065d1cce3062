#pragma once
// The seam between Ridgepoint and HDF5. libhdf5 (with curl, krb5, LDAP, ... behind it) is loaded only by a process
// that writes or reads an HDF5 file: in `ridgepoint` and `ridgepoint-torch` its code lives in a module of its own
// (lib/ridgepoint/ridgepoint-hdf5.so beside the executable's bin/, in the build tree and after `cmake --install`
// alike), which hdf5_module() dlopen()s on first use; `simulate` without --trace, `info`, `kinds`, `--help` load no
// HDF5 library. Every other program (tests, the Python module, benchmarks) links the same code in (the OBJECT
// library rp_hdf5_linked): which of the two defines hdf5_module() is chosen at link time.
//
//   traces::write_hdf5_atomically(path, [&](traces::H5Out& root) {   // the HDF5 side of h5_output.h, H5-free
//     auto meta = root.group("meta");                                 // destroy it before the fill returns
//     meta->attr("tool_version", version);
//     root.table("points", table);                                    // Hdf5Table (hdf5_table.h)
//   });
//
// Contract: hdf5_module() loads the module once per process (a process-wide handle, as the dynamic loader's own
// state); if it cannot, UsageError in one line naming the module's path and the loader's reason. The file is built
// and written as h5_output.h says (in memory, then one checked atomic write). An HDF5 failure inside a fill is an
// H5::Exception of the module's own copy of HDF5's C++ API: let it pass (the module turns it into one
// rp::SimulationError line naming the output).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "traces/writers/output_file.h"

namespace rp::traces {

class Hdf5Table;

// A group of the HDF5 file being built. The same attribute and table types as hdf5_table.h and hdf5_writer.h.
class H5Out {
 public:
  virtual ~H5Out() = default;
  virtual void table(const std::string& name, const Hdf5Table& table) = 0;   // Hdf5Table::write
  virtual void attr(const std::string& name, const std::string& value) = 0;  // UTF-8 variable-length
  virtual void attr(const std::string& name, double value) = 0;              // float64
  virtual void attr(const std::string& name, int64_t value) = 0;             // int64
  virtual std::unique_ptr<H5Out> group(const std::string& name) = 0;         // created; open while alive
};
using H5OutFill = std::function<void(H5Out& root)>;

// What the module does.
class Hdf5Module {
 public:
  virtual ~Hdf5Module() = default;
  // The bytes of the file `fill` builds (h5_output.h's h5_image): rp::SimulationError "cannot write 'PATH': HDF5:
  // ..." on an HDF5 failure, any other exception of `fill` unchanged.
  virtual std::vector<char> image(const std::string& path, const std::string& scratch_name, const H5OutFill& fill) = 0;
  // output_guard.h's written_by_ridgepoint for a regular file (the caller checked that).
  virtual bool written_by_ridgepoint(const std::string& path) = 0;
  // The string attribute `name` of the root group of `path`, or nothing when it has none; rp::SimulationError in
  // one line when the file cannot be read as HDF5.
  virtual std::optional<std::string> root_attr(const std::string& path, const std::string& name) = 0;
};

// The module's factory: `extern "C" rp::traces::Hdf5Module* rp_hdf5_module()`, returning an object that lives as
// long as the process.
constexpr const char* kHdf5Factory = "rp_hdf5_module";
using Hdf5Factory = Hdf5Module* (*)();

// The module's path: DIR/../lib/ridgepoint/ridgepoint-hdf5.so, DIR the running executable's directory.
std::string hdf5_module_path();
// The module (loaded on first use) or the linked-in implementation, whichever this program was linked with.
Hdf5Module& hdf5_module();

// Builds the file with `fill` and writes it to `out`'s temporary; the caller then calls out.commit().
void write_hdf5(OutputFile& out, const H5OutFill& fill);
// OutputFile out(path); write_hdf5(out, fill); out.commit(). rp::UsageError for a refused or unwritable `path`
// (output_file.h), rp::SimulationError for a failed write; `path` is then unchanged.
void write_hdf5_atomically(const std::string& path, const H5OutFill& fill);

}  // namespace rp::traces
