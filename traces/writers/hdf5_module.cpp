#include "traces/writers/hdf5_module.h"

#include <H5Cpp.h>
#include <hdf5.h>

#include "simulator/error.h"
#include "traces/writers/h5_output.h"
#include "traces/writers/hdf5_table.h"

namespace rp::traces {
namespace {

// A group of the file being built: the file's root (the H5File itself, as the writers always used it) or a group
// created in it, owned and closed with this object.
class GroupOut final : public H5Out {
 public:
  explicit GroupOut(H5::Group& g) : g_(g) {}
  explicit GroupOut(H5::Group&& owned) : owned_(std::move(owned)), g_(owned_) {}

  void table(const std::string& name, const Hdf5Table& t) override { t.write(g_, name); }
  void attr(const std::string& name, const std::string& value) override { write_attr(g_, name, value); }
  void attr(const std::string& name, double value) override { write_attr(g_, name, value); }
  void attr(const std::string& name, int64_t value) override {
    g_.createAttribute(name, H5::PredType::STD_I64LE, H5::DataSpace(H5S_SCALAR))
        .write(H5::PredType::NATIVE_INT64, &value);
  }
  std::unique_ptr<H5Out> group(const std::string& name) override {
    return std::make_unique<GroupOut>(g_.createGroup(name));
  }

 private:
  H5::Group owned_;
  H5::Group& g_;
};

// Turns HDF5's automatic error-stack printing off while alive (a foreign or broken file is an answer, not an error
// to print), restoring the previous handler afterwards.
class Quiet {
 public:
  Quiet() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~Quiet() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
  Quiet(const Quiet&) = delete;
  Quiet& operator=(const Quiet&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

bool has_marker(hid_t file, const char* group) {
  return H5Lexists(file, group, H5P_DEFAULT) > 0 && H5Aexists_by_name(file, group, "tool_version", H5P_DEFAULT) > 0;
}

class Module final : public Hdf5Module {
 public:
  std::vector<char> image(const std::string& path, const std::string& scratch_name, const H5OutFill& fill) override {
    return h5_image(path, scratch_name, [&](H5::H5File& f) {
      GroupOut root(f);
      fill(root);
    });
  }

  bool written_by_ridgepoint(const std::string& path) override {
    const Quiet quiet;
    bool ours = false;
    if (H5Fis_hdf5(path.c_str()) > 0) {
      const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
      if (f >= 0) {
        ours = H5Aexists_by_name(f, "/", "tool_version", H5P_DEFAULT) > 0 || has_marker(f, "meta");
        H5Fclose(f);
      }
    }
    return ours;
  }

  std::optional<std::string> root_attr(const std::string& path, const std::string& name) override {
    const Quiet quiet;
    try {
      H5::H5File f(path, H5F_ACC_RDONLY);
      H5::Group root = f.openGroup("/");
      if (!root.attrExists(name)) return std::nullopt;
      H5::Attribute a = root.openAttribute(name);
      std::string text;
      a.read(a.getStrType(), text);
      return text;
    } catch (const H5::Exception& e) {
      throw SimulationError("cannot read '" + path + "': HDF5: " + e.getFuncName());
    }
  }
};

}  // namespace

Hdf5Module& linked_hdf5_module() {
  static Module module;  // stateless
  return module;
}

}  // namespace rp::traces
