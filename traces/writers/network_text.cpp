#include "traces/writers/network_text.h"

#include <yaml-cpp/yaml.h>

namespace rp::traces {

namespace {

void shape(YAML::Emitter& e, const Shape& s) {
  e << YAML::Flow << YAML::BeginSeq << s.n << s.h << s.w << s.c << YAML::EndSeq;
}

void pair(YAML::Emitter& e, const char* key, int a, int b) {
  e << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq << a << b << YAML::EndSeq;
}

void window(YAML::Emitter& e, const ConvAttrs& c) {
  pair(e, "kernel", c.kernel_h, c.kernel_w);
  pair(e, "stride", c.stride_h, c.stride_w);
  e << YAML::Key << "padding" << YAML::Value;
  switch (c.padding.mode) {
    case Padding::Mode::kSame:
      e << "same";
      break;
    case Padding::Mode::kValid:
      e << "valid";
      break;
    case Padding::Mode::kExplicit:
      e << YAML::Flow << YAML::BeginSeq << c.padding.top << c.padding.bottom << c.padding.left << c.padding.right
        << YAML::EndSeq;
      break;
  }
}

void attributes(YAML::Emitter& e, const Layer& l) {
  switch (l.kind) {
    case LayerKind::kConv2D:
      window(e, l.conv);
      e << YAML::Key << "groups" << YAML::Value << l.conv.groups << YAML::Key << "filters" << YAML::Value
        << l.conv.filters << YAML::Key << "bias" << YAML::Value << l.conv.bias;
      break;
    case LayerKind::kDense:
      e << YAML::Key << "units" << YAML::Value << l.conv.filters << YAML::Key << "bias" << YAML::Value << l.conv.bias;
      break;
    case LayerKind::kMaxPool:
    case LayerKind::kAvgPool:
      window(e, l.conv);
      break;
    case LayerKind::kActivation:
      e << YAML::Key << "act" << YAML::Value << act_name(l.act);
      break;
    case LayerKind::kBatchNorm:
      e << YAML::Key << "foldable" << YAML::Value << l.foldable;
      break;
    case LayerKind::kSpaceToDepth:
    case LayerKind::kSpaceToBatch:
      e << YAML::Key << "block" << YAML::Value << l.block;
      break;
    case LayerKind::kSplit:
      if (l.parts > 0) {
        e << YAML::Key << "parts" << YAML::Value << l.parts << YAML::Key << "part" << YAML::Value << l.part;
      } else {
        e << YAML::Key << "begin" << YAML::Value << l.begin;
      }
      e << YAML::Key << "axis" << YAML::Value << l.axis;
      break;
    case LayerKind::kConcat:
      e << YAML::Key << "axis" << YAML::Value << l.axis;
      break;
    case LayerKind::kMatMul:
      e << YAML::Key << "trans_b" << YAML::Value << l.trans_b;
      break;
    case LayerKind::kEmbedding:
      e << YAML::Key << "vocab" << YAML::Value << l.vocab;
      break;
    case LayerKind::kPermute:
      if (l.perm[0] >= 0) {
        e << YAML::Key << "perm" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (int p : l.perm) e << p;
        e << YAML::EndSeq;
      }
      break;
    case LayerKind::kAttention:
      e << YAML::Key << "causal" << YAML::Value << l.causal << YAML::Key << "cache_len" << YAML::Value << l.cache_len;
      break;
    case LayerKind::kWindowPartition:
    case LayerKind::kWindowReverse:
      e << YAML::Key << "window" << YAML::Value << l.block;
      break;
    case LayerKind::kRoll:
      e << YAML::Key << "shift" << YAML::Value << l.shift;
      break;
    case LayerKind::kChannelShuffle:
      e << YAML::Key << "shuffle_groups" << YAML::Value << l.shuffle_groups;
      break;
    case LayerKind::kConstant:
      if (l.learned >= 0) e << YAML::Key << "learned" << YAML::Value << l.learned;
      break;
    default:
      break;
  }
}

}  // namespace

std::string network_yaml(const Network& net) {
  YAML::Emitter e;
  e << YAML::BeginMap << YAML::Key << "name" << YAML::Value << net.name() << YAML::Key << "dtype" << YAML::Value
    << dtype_name(net.dtype()) << YAML::Key << "batch" << YAML::Value << net.batch() << YAML::Key << "resolution"
    << YAML::Value << net.resolution() << YAML::Key << "macs" << YAML::Value << net.macs() << YAML::Key << "params"
    << YAML::Value << net.params() << YAML::Key << "layers" << YAML::Value << YAML::BeginSeq;
  for (const Layer& l : net.layers()) {
    e << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << l.name << YAML::Key << "kind"
      << YAML::Value << kind_name(l.kind);
    if (!l.group.empty()) e << YAML::Key << "group" << YAML::Value << l.group;
    e << YAML::Key << "inputs" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (int i : l.inputs) e << net.layer(i).name;
    e << YAML::EndSeq << YAML::Key << "input_shapes" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (int i : l.inputs) shape(e, net.layer(i).output);
    e << YAML::EndSeq << YAML::Key << "output_shape" << YAML::Value;
    shape(e, l.output);
    attributes(e, l);
    e << YAML::Key << "macs" << YAML::Value << l.macs << YAML::Key << "params" << YAML::Value << l.params
      << YAML::EndMap;
  }
  e << YAML::EndSeq << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

}  // namespace rp::traces
