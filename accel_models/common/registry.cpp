#include "accel_models/common/registry.h"

#include "accel_models/config/accelerator_config.h"

namespace rp::accel {

const std::vector<FamilyEntry>& families() {
  static const std::vector<FamilyEntry> table = {
      {"tpu", make_tpu_config},
      {"gpu", make_gpu_config},
  };
  return table;
}

std::vector<std::string> family_names() {
  std::vector<std::string> names;
  for (const auto& f : families()) names.emplace_back(f.name);
  return names;
}

std::shared_ptr<const IAccelerator> make_accelerator(const std::string& name_or_file,
                                                     const std::vector<std::string>& overrides) {
  return AcceleratorConfig::load(name_or_file).with_text(overrides).build();
}

}  // namespace rp::accel
