// libFuzzer harness: the experiment-YAML loaders, dispatched on `kind` as `ridgepoint run` does
// (experiments/cli/torch_kinds.cpp): kind: nas -> nas::NasExperiment::load, kind: lacs -> lacs::LacsExperiment::load,
// kind: hurricane -> hurricane::HurricaneExperiment::load, anything else -> run::Experiment::load (simulate, sweep;
// it rejects other kinds), then the sweep's points are expanded. Nothing is simulated or written. A thrown
// rp::UsageError is the documented outcome for a bad file; anything else (a crash, another exception, a sanitizer report, a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "experiments/kinds/sweep/experiment.h"
#include "experiments/kinds/hurricane/hurricane_experiment.h"
#include "experiments/kinds/lacs/lacs_experiment.h"
#include "experiments/kinds/nas/nas_experiment.h"
#include "simulator/error.h"
#include "tests/fuzz/fuzz_input_file.h"
#include "traces/yaml/yaml_map.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static rp::fuzz::InputFile file("experiment.yaml");
  const std::string& path = file.write(data, size);
  try {
    const std::string kind = rp::traces::peek_scalar(path, "kind");
    if (kind == "nas") {
      rp::nas::NasExperiment::load(path);
    } else if (kind == "lacs") {
      rp::lacs::LacsExperiment::load(path).canonical();
    } else if (kind == "hurricane") {
      rp::hurricane::HurricaneExperiment::load(path);
    } else {
      rp::run::Experiment::load(path).points();
    }
  } catch (const rp::UsageError&) {
  }
  return 0;
}
