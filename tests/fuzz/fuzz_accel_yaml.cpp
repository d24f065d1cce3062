// libFuzzer harness: the accelerator-YAML loader (accel_models/config/accelerator_config.h). Each input is loaded
// as an accelerator file; a config that loads is built into an accelerator, and its resolved YAML must load back
// to the same resolved YAML (the documented round trip of AcceleratorConfig::yaml). A thrown rp::UsageError is the
// documented outcome for a bad file; anything else (a crash, another exception, a sanitizer report, a round trip
// that differs) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "accel_models/config/accelerator_config.h"
#include "simulator/error.h"
#include "tests/fuzz/fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static rp::fuzz::InputFile file("accel.yaml");
  std::string resolved;
  try {
    const rp::accel::AcceleratorConfig config = rp::accel::AcceleratorConfig::load(file.write(data, size));
    config.build();
    resolved = config.yaml();
  } catch (const rp::UsageError&) {
    return 0;
  }
  const std::string& path = file.write(reinterpret_cast<const uint8_t*>(resolved.data()), resolved.size());
  std::string again;
  try {
    again = rp::accel::AcceleratorConfig::load(path).yaml();
  } catch (const rp::UsageError& e) {
    std::fprintf(stderr, "the resolved YAML of a valid config does not load: %s\n%s", e.what(), resolved.c_str());
    std::abort();
  }
  if (again != resolved) {
    std::fprintf(stderr, "the resolved YAML loads to different values:\n%s\n---\n%s", resolved.c_str(), again.c_str());
    std::abort();
  }
  return 0;
}
