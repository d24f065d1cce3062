// Links the network IR, zoo and trace writers (traces/) and nothing else: the test "traces: the network IR links
// without SystemC" checks with ldd that this program does not load libsystemc.
#include <cstdio>

#include "traces/zoo/zoo.h"

int main() {
  const rp::traces::Network n = rp::traces::build_model("mnasnet-a1", rp::traces::BuildOptions{});
  std::printf("%s: %d layers\n", n.name().c_str(), n.size());
  return 0;
}
