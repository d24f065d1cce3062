#include "traces/zoo/layerwise_net.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "simulator/error.h"
#include "traces/zoo/conv_blocks.h"

namespace rp::traces {
namespace {

int add_stem(Network& n, const Skeleton& s, int x) {
  n.set_group("stem");
  return conv_bn(n, "stem/conv", x, square_conv(3, s.stem_stride, s.stem_filters), Act::kReLU);
}

int add_head(Network& n, const Skeleton& s, int x) {
  n.set_group("head");
  x = conv_bn(n, "head/conv", x, square_conv(1, 1, s.head_filters), Act::kReLU);
  x = n.add_global_avg_pool("head/pool", x);
  return n.add_dense("head/fc", x, s.classes, true);
}

int even_width(int64_t c, double width) {
  const int64_t w = static_cast<int64_t>(std::lround(c * width / 2.0)) * 2;
  return static_cast<int>(std::max<int64_t>(8, w));
}

int out_size(int in, int stride) { return (in + stride - 1) / stride; }  // SAME padding

}  // namespace

int Skeleton::layers() const { return std::accumulate(stage_layers.begin(), stage_layers.end(), 0); }

Skeleton default_skeleton(int layers) {
  if (layers < 4 || layers > 64) {
    throw UsageError("layers must be in 4..64 (one learnable layer per stage at least), got " + std::to_string(layers));
  }
  Skeleton s;
  const std::vector<int> ratio = {4, 4, 8, 4};  // SPOS's 20 layers
  std::vector<double> exact;
  int assigned = 0;
  for (size_t i = 0; i < ratio.size(); ++i) {
    exact.push_back(layers * ratio[i] / 20.0);
    s.stage_layers[i] = std::max(1, static_cast<int>(std::floor(exact[i])));
    assigned += s.stage_layers[i];
  }
  while (assigned != layers) {  // largest remainder first (earlier stage on ties); take from the largest stage
    if (assigned < layers) {
      size_t best = 0;
      for (size_t i = 1; i < exact.size(); ++i) {
        if (exact[i] - s.stage_layers[i] > exact[best] - s.stage_layers[best]) best = i;
      }
      ++s.stage_layers[best];
      ++assigned;
    } else {
      auto it = std::max_element(s.stage_layers.begin(), s.stage_layers.end());
      --*it;
      --assigned;
    }
  }
  return s;
}

Skeleton proxy_skeleton(const Skeleton& s, double width, int side, int channels, int classes) {
  Skeleton p = s;
  p.resolution = side;
  p.input_channels = channels;
  p.stem_stride = 1;
  p.stem_filters = even_width(s.stem_filters, width);
  for (auto& c : p.stage_channels) c = even_width(c, width);
  p.head_filters = even_width(s.head_filters, width);
  p.classes = classes;
  return p;
}

std::vector<Slot> slots(const Skeleton& s) {
  std::vector<Slot> out;
  int h = out_size(s.resolution, s.stem_stride), w = h;
  int64_t c = s.stem_filters;
  for (size_t st = 0; st < s.stage_layers.size(); ++st) {
    for (int j = 0; j < s.stage_layers[st]; ++j) {
      Slot slot;
      slot.index = static_cast<int>(out.size());
      slot.stage = static_cast<int>(st);
      slot.in_channels = c;
      slot.out_channels = s.stage_channels[st];
      slot.stride = j == 0 ? 2 : 1;
      slot.in_h = h;
      slot.in_w = w;
      out.push_back(slot);
      h = out_size(h, slot.stride);
      w = out_size(w, slot.stride);
      c = slot.out_channels;
    }
  }
  return out;
}

Network layerwise_network(const std::string& name, const Skeleton& s, const std::vector<OpSpec>& ops, int64_t batch,
                          DType dtype) {
  if (static_cast<int>(ops.size()) != s.layers()) {
    throw UsageError(name + ": " + std::to_string(ops.size()) + " ops given for a skeleton of " +
                     std::to_string(s.layers()) + " learnable layers");
  }
  Network n(name, dtype);
  int x = n.add_input("input", {batch, s.resolution, s.resolution, s.input_channels});
  x = add_stem(n, s, x);
  for (const Slot& slot : slots(s)) {
    x = add_op(n, "layers." + std::to_string(slot.index), x, ops[static_cast<size_t>(slot.index)], slot.out_channels,
               slot.stride);
  }
  add_head(n, s, x);
  return n;
}

Network op_network(const Skeleton&, const Slot& slot, const OpSpec& op, int64_t batch, DType dtype) {
  Network n("layers." + std::to_string(slot.index) + ":" + op.name(), dtype);
  const int x = n.add_input("input", {batch, slot.in_h, slot.in_w, slot.in_channels});
  add_op(n, "layers." + std::to_string(slot.index), x, op, slot.out_channels, slot.stride);
  return n;
}

Network stem_network(const Skeleton& s, int64_t batch, DType dtype) {
  Network n("stem", dtype);
  add_stem(n, s, n.add_input("input", {batch, s.resolution, s.resolution, s.input_channels}));
  return n;
}

Network head_network(const Skeleton& s, int64_t batch, DType dtype) {
  const Slot last = slots(s).back();
  const int h = out_size(last.in_h, last.stride), w = out_size(last.in_w, last.stride);
  Network n("head", dtype);
  add_head(n, s, n.add_input("input", {batch, h, w, last.out_channels}));
  return n;
}

std::string layerwise_yaml(const std::string& name, const Skeleton& s, const std::vector<OpSpec>& ops,
                           const std::vector<std::string>& comment) {
  const auto list = [](const auto& v) {
    std::ostringstream o;
    for (size_t i = 0; i < v.size(); ++i) o << (i ? ", " : "") << v[i];
    return o.str();
  };
  std::vector<std::string> names;
  for (const auto& op : ops) names.push_back(op.name());
  std::ostringstream y;
  for (const auto& c : comment) y << "# " << c << "\n";
  y << "name: " << name << "\n"
    << "resolution: " << s.resolution << "\n"
    << "skeleton: {stem: " << s.stem_filters << ", stages: [" << list(s.stage_layers) << "], channels: ["
    << list(s.stage_channels) << "], head: " << s.head_filters << ", classes: " << s.classes << "}\n"
    << "ops: [" << list(names) << "]\n";
  return y.str();
}

}  // namespace rp::traces
