#include "accel_models/common/registry.h"

#include <utility>

#include "accel_models/config/accel_yaml.h"
#include "accel_models/config/param_checks.h"
#include "simulator/error.h"

namespace rp::accel {
namespace {

struct FamilyEntry {
  const char* name;
  FamilyFactory make;
};

constexpr FamilyEntry kFamilies[] = {
    {"tpu", make_tpu},
    {"gpu", make_gpu},
};

}  // namespace

std::unique_ptr<IAccelerator> make_accelerator(const std::string& name_or_file,
                                               const std::vector<std::string>& overrides) {
  const AcceleratorYaml y = load_accelerator_yaml(name_or_file, overrides);
  AcceleratorInfo info;
  info.name = y.root.str("name");
  info.family = y.root.str("family");
  info.label = y.label;
  info.resolved_yaml = y.resolved_text;
  try {
    info.precision = traces::parse_dtype(y.root.str("precision"));
  } catch (const UsageError& e) {
    y.root.fail("precision", e.what());
  }
  info.default_batch = positive_int(y.root, "default_batch");
  std::string known;
  for (const auto& f : kFamilies) {
    if (info.family == f.name) return f.make(y.root, std::move(info));
    known += (known.empty() ? "" : ", ") + std::string(f.name);
  }
  y.root.fail("family", "unknown family '" + info.family + "' (expected one of: " + known + ")");
}

}  // namespace rp::accel
