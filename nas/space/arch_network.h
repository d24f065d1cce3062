#pragma once
// An architecture of a search space as block strings, as the network IR at any resolution and batch (through
// traces/zoo/mbconv_family.h, the zoo's builder), and as a network YAML file that `ridgepoint info` / `simulate`
// accept (docs/models.md).
#include <cstdint>
#include <string>
#include <vector>

#include "nas/space/search_space.h"
#include "traces/network/network.h"
#include "traces/zoo/block_string.h"

namespace rp::nas {

// The block arguments of an architecture (ImageNet widths, before any width or depth scaling):
//  kernel, expansion and SE ratio replace the base block's (SE 0: no SE); filters x m: output filters
//  round_filters(base_out, m) (multiples of 8), each block's input = the previous block's output (block 0: the
//  stem's 32); layers: max(1, base repeats + delta); conv fused: f1; act: a0 / a1; s2d on: block 0 gets d1 and
//  block 1 d2 (EfficientNet-X-B0's space-to-depth before stage 2).
std::vector<traces::BlockArgs> arch_blocks(const SearchSpace& space, const Choices& c);
std::vector<std::string> arch_block_strings(const SearchSpace& space, const Choices& c);

// The architecture whose blocks are the base network's (EfficientNet-B0's kernels, expansions, SE, filters and
// depths), depthwise, no space-to-depth, activation `act` where the space has an activation decision.
Choices base_choices(const SearchSpace& space, traces::Act act = traces::Act::kSwish);

traces::Network arch_network(const SearchSpace& space, const Choices& c, int resolution, int64_t batch,
                             traces::DType dtype, const std::string& name = "candidate");

// A network YAML file (docs/models.md format) for the architecture at `resolution`; `comment` lines (without '#')
// go on top.
std::string network_yaml(const SearchSpace& space, const Choices& c, int resolution, const std::string& name,
                         const std::vector<std::string>& comment);

}  // namespace rp::nas
