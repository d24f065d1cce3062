// libFuzzer harness: the experiment-YAML loaders, dispatched on `kind` through the one table of kinds
// (experiments/kinds/kind.h) as `ridgepoint run` does; each kind's check() reads and validates the whole file
// (settings, the accelerators and networks it names, a sweep's points). Nothing is simulated or written. A thrown
// rp::UsageError is the documented outcome for a bad file; anything else (a crash, another exception, a sanitizer
// report, a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "experiments/kinds/kind.h"
#include "simulator/error.h"
#include "tests/fuzz/fuzz_input_file.h"
#include "traces/yaml/yaml_map.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static rp::fuzz::InputFile file("experiment.yaml");
  const std::string& path = file.write(data, size);
  try {
    rp::kinds::find_kind(rp::traces::peek_scalar(path, "kind"), path).check(path);
  } catch (const rp::UsageError&) {}
  return 0;
}
