#include "experiments/kinds/run_plan.h"

#include <sys/stat.h>

#include <algorithm>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/config/raw_config.h"
#include "experiments/kinds/shared_settings.h"
#include "traces/data/fashion_mnist.h"
#include "traces/zoo/zoo.h"

namespace rp::kinds {
namespace {

bool regular_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// A reference names a file when it is not a built-in name and a file is there (the loaders' own rule).
bool names_file(const settings::Reference& r) {
  if (r.role == "accelerator") {
    const auto names = accel::builtin_accelerators();
    if (std::find(names.begin(), names.end(), r.value) != names.end()) return false;
  } else {
    for (const auto& e : traces::zoo()) {
      if (e.name == r.value) return false;
    }
  }
  return regular_file(r.value);
}

}  // namespace

run::RunPlan make_plan(const std::string& kind, const std::string& output, const settings::Declare& declare,
                       const run::RunRequest& request, bool reads_dataset, const Hardware* hardware) {
  run::RunPlan p;
  p.kind = kind;
  p.output = output;
  p.resolved_yaml = settings::resolved_yaml(declare);
  p.identity.settings = settings::canonical(declare);
  p.identity.version = request.version;
  std::vector<std::string> seen;
  for (const settings::Reference& r : settings::references(declare)) {
    const std::string key = r.role + ":" + r.value;
    if (!names_file(r) || std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    p.identity.inputs.push_back(run::input_file(r.role, r.value));
  }
  if (reads_dataset) {
    for (const std::string& f : traces::FashionMnist::files()) {
      p.identity.inputs.push_back(run::input_file("data set", request.dataset_dir + "/" + f));
    }
  }
  if (hardware) {
    p.accelerator = hardware->accelerator;
    p.accelerator_config = accel::AcceleratorConfig::load(hardware->accelerator).with_text(hardware->set).yaml();
  }
  return p;
}

}  // namespace rp::kinds
