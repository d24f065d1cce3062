#include "nas/space/arch_network.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace rp::nas {

std::vector<traces::BlockArgs> arch_blocks(const SearchSpace& space, const Choices& c) {
  space.check(c);
  std::vector<traces::BlockArgs> blocks = traces::decode_blocks(space.base_blocks);
  std::vector<double> mult(blocks.size(), 1.0);
  bool s2d = false;
  for (size_t i = 0; i < c.size(); ++i) {
    const Decision& d = space.decisions[i];
    const double v = d.values[static_cast<size_t>(c[i])];
    if (d.block < 0) {
      if (d.field == Field::kSpaceToDepth) s2d = v != 0;
      continue;
    }
    traces::BlockArgs& b = blocks[static_cast<size_t>(d.block)];
    switch (d.field) {
      case Field::kKernel:
        b.kernel_size = static_cast<int>(v);
        break;
      case Field::kExpand:
        b.expand_ratio = static_cast<int>(v);
        break;
      case Field::kSe:
        if (v > 0)
          b.se_ratio = v;
        else
          b.se_ratio.reset();
        break;
      case Field::kFilters:
        mult[static_cast<size_t>(d.block)] = v;
        break;
      case Field::kLayers:
        b.num_repeat = std::max(1, b.num_repeat + static_cast<int>(v));
        break;
      case Field::kConv:
        b.fused = v != 0;
        break;
      case Field::kAct:
        b.activation = v != 0 ? traces::Act::kSwish : traces::Act::kReLU;
        break;
      case Field::kSpaceToDepth:
        break;
    }
  }
  int in = space.family.stem_filters;
  for (size_t b = 0; b < blocks.size(); ++b) {
    blocks[b].input_filters = in;
    blocks[b].output_filters = traces::round_filters(blocks[b].output_filters, mult[b], 8);
    in = blocks[b].output_filters;
  }
  if (s2d && blocks.size() >= 2) {
    blocks[0].space2depth = 1;
    blocks[1].space2depth = 2;
  }
  return blocks;
}

std::vector<std::string> arch_block_strings(const SearchSpace& space, const Choices& c) {
  std::vector<std::string> out;
  for (const auto& b : arch_blocks(space, c)) out.push_back(traces::encode_block(b));
  return out;
}

Choices base_choices(const SearchSpace& space, traces::Act act) {
  const std::vector<traces::BlockArgs> base = traces::decode_blocks(space.base_blocks);
  Choices c(space.decisions.size(), 0);
  for (size_t i = 0; i < c.size(); ++i) {
    const Decision& d = space.decisions[i];
    double want = 0;
    if (d.block >= 0) {
      const traces::BlockArgs& b = base[static_cast<size_t>(d.block)];
      switch (d.field) {
        case Field::kKernel:
          want = b.kernel_size;
          break;
        case Field::kExpand:
          want = b.expand_ratio;
          break;
        case Field::kSe:
          want = b.se_ratio.value_or(0);
          break;
        case Field::kFilters:
          want = 1;
          break;
        case Field::kLayers:
          want = 0;
          break;
        case Field::kConv:
          want = 0;
          break;
        case Field::kAct:
          want = act == traces::Act::kSwish ? 1 : 0;
          break;
        case Field::kSpaceToDepth:
          want = 0;
          break;
      }
    }
    for (size_t o = 0; o < d.values.size(); ++o) {
      if (std::fabs(d.values[o] - want) < 1e-9) c[i] = static_cast<int>(o);
    }
  }
  return c;
}

traces::Network arch_network(const SearchSpace& space, const Choices& c, int resolution, int64_t batch,
                             traces::DType dtype, const std::string& name) {
  traces::FamilyParams p = space.family;
  p.resolution = resolution;
  return traces::build_mbconv_family(name, arch_blocks(space, c), p, batch, dtype);
}

std::string network_yaml(const SearchSpace& space, const Choices& c, int resolution, const std::string& name,
                         const std::vector<std::string>& comment) {
  const traces::FamilyParams& p = space.family;
  std::ostringstream o;
  for (const auto& line : comment) o << "# " << line << "\n";
  o << "name: " << name << "\n"
    << "resolution: " << resolution << "\n"
    << "activation: " << traces::act_name(p.block_act) << "\n"
    << "width: " << p.width << "\n"
    << "depth: " << p.depth << "\n"
    << "se_coefficient: " << p.se_coefficient << "\n"
    << "stem: {filters: " << p.stem_filters << ", kernel: " << p.stem_kernel << ", stride: " << p.stem_stride
    << ", activation: " << traces::act_name(p.stem_act) << "}\n"
    << "blocks:\n";
  for (const auto& b : arch_block_strings(space, c)) o << "  - " << b << "\n";
  o << "head: {filters: " << p.head_filters << ", classes: " << p.num_classes
    << ", activation: " << traces::act_name(p.head_act) << "}\n";
  return o.str();
}

}  // namespace rp::nas
