#include "traces/network/memory.h"

#include <algorithm>
#include <vector>

namespace rp::traces {
namespace {

bool is_view(LayerKind k) { return k == LayerKind::kReshape || k == LayerKind::kFlatten; }

// The layer whose buffer layer `id`'s output lives in (itself unless it is a view).
std::vector<int> buffer_roots(const Network& net) {
  std::vector<int> root(static_cast<size_t>(net.size()));
  for (int id = 0; id < net.size(); ++id) {
    const Layer& l = net.layer(id);
    root[static_cast<size_t>(id)] = is_view(l.kind) ? root[static_cast<size_t>(l.inputs.at(0))] : id;
  }
  return root;
}

// Peak of the live buffers: a difference array over the steps (+bytes at the producer, -bytes after the end).
void peak_activations(const Network& net, MemoryFootprint& m) {
  const int n = net.size();
  const std::vector<int> root = buffer_roots(net);
  const Consumers consumers = net.consumers();
  std::vector<int> end(static_cast<size_t>(n), -1);  // last step each buffer is needed, per root
  for (int id = 0; id < n; ++id) {
    const auto& c = consumers[static_cast<size_t>(id)];
    const int last = c.empty() ? n - 1 : *std::max_element(c.begin(), c.end());
    int& e = end[static_cast<size_t>(root[static_cast<size_t>(id)])];
    e = std::max(e, last);
  }
  std::vector<int64_t> delta(static_cast<size_t>(n) + 1, 0);
  for (int id = 0; id < n; ++id) {
    if (root[static_cast<size_t>(id)] != id || net.layer(id).kind == LayerKind::kConstant) continue;
    const int64_t bytes = net.output_bytes(id);
    delta[static_cast<size_t>(id)] += bytes;
    delta[static_cast<size_t>(end[static_cast<size_t>(id)]) + 1] -= bytes;
  }
  int64_t live = 0;
  for (int i = 0; i < n; ++i) {
    live += delta[static_cast<size_t>(i)];
    if (live > m.activation_bytes || m.peak_layer < 0) {
      m.activation_bytes = live;
      m.peak_layer = i;
    }
  }
}

int64_t kv_cache(const Network& net) {
  int64_t bytes = 0;
  for (const Layer& l : net.layers()) {
    if (l.kind != LayerKind::kAttention || l.cache_len <= 0) continue;
    const int64_t dk = net.layer(l.inputs.at(1)).output.c, dv = net.layer(l.inputs.at(2)).output.c;
    bytes += l.output.n * l.output.h * l.cache_len * (dk + dv) * dtype_bytes(net.dtype());
  }
  return bytes;
}

}  // namespace

MemoryFootprint memory_footprint(const Network& net) {
  MemoryFootprint m;
  m.weight_bytes = net.weight_bytes();
  peak_activations(net, m);
  m.kv_cache_bytes = kv_cache(net);
  return m;
}

}  // namespace rp::traces
