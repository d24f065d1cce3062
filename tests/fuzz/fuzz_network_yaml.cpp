// libFuzzer harness: the network-YAML loader (traces/zoo/network_file.h, format in docs/models.md). Each input is
// loaded as a network file and built into the network IR, whose totals are then computed. A thrown rp::UsageError
// is the documented outcome for a bad file; anything else (a crash, another exception, a sanitizer report, a hang)
// is a finding.
#include <cstddef>
#include <cstdint>

#include "simulator/error.h"
#include "tests/fuzz/fuzz_input_file.h"
#include "traces/zoo/network_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static rp::fuzz::InputFile file("network.yaml");
  try {
    const rp::traces::Network net = rp::traces::load_network_file(file.write(data, size), rp::traces::BuildOptions{});
    volatile int64_t sink = net.macs() + net.params() + net.activation_bytes();
    (void)sink;
  } catch (const rp::UsageError&) {}
  return 0;
}
