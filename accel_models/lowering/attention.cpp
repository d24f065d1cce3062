#include "accel_models/lowering/attention.h"

#include "traces/network/add_layer.h"

namespace rp::accel {

using traces::Layer;
using traces::LayerKind;
using traces::Network;
using traces::Shape;

namespace {

// With a cache, the cached positions of k (or v) followed by the new ones; else the new ones.
int with_cache(Network& out, const Layer& a, int kv, const char* what) {
  if (a.cache_len == 0) return kv;
  Shape cache = out.layer(kv).output;
  cache.w = a.cache_len;
  const std::string base = a.name + "." + what;
  const int c = out.add_constant(base + "_cache", cache);
  return out.add_concat(base + "_cat", {c, kv}, 2);
}

int expand(Network& out, const Layer& a, int q, int k, int v) {
  const int keys = with_cache(out, a, k, "k"), values = with_cache(out, a, v, "v");
  const int qk = out.add_matmul(a.name + ".qk", q, keys, true);
  const int scale = out.add_mul(a.name + ".scale", qk, out.add_constant(a.name + ".scale_factor", {1, 1, 1, 1}));
  const int p = out.add_softmax(a.name + ".softmax", scale);
  return out.add_matmul(a.name + ".av", p, values, false);
}

}  // namespace

bool has_attention(const Network& net) {
  for (const Layer& l : net.layers()) {
    if (l.kind == LayerKind::kAttention) return true;
  }
  return false;
}

int64_t kv_cache_bytes(const Network& net, const Layer& a) {
  const Shape q = net.layer(a.inputs[0]).output;
  return q.n * q.h * a.cache_len * (q.c + a.output.c) * traces::dtype_bytes(net.dtype());
}

Network unfuse_attention(const Network& net) {
  Network out(net.name(), net.dtype());
  std::vector<int> id(static_cast<size_t>(net.size()), -1);
  for (int i = 0; i < net.size(); ++i) {
    const Layer& l = net.layer(i);
    std::vector<int> inputs;
    for (int p : l.inputs) inputs.push_back(id[static_cast<size_t>(p)]);
    out.set_group(l.group);
    id[static_cast<size_t>(i)] = l.kind == LayerKind::kAttention ? expand(out, l, inputs[0], inputs[1], inputs[2])
                                                                 : traces::add_layer(out, l, inputs);
  }
  return out;
}

}  // namespace rp::accel
