#pragma once
// Fusion: groups the layers of a network into the kernels / XLA fusions a software stack would run. Each group is
// one round trip to memory: it reads its external inputs, does all its members' work on chip and writes only the
// outputs that leave the group. Which layers may join a group is the family's policy (TPU: every elementwise op;
// GPU/cuDNN: only ReLU-like activations and batch norm into the convolution).
//
// Rules, applied in topological order:
//  1. output fusion (fuse_elementwise): an elementwise or view layer joins the group whose tail produced one of its
//     full-size inputs (never a broadcast operand such as an SE scale), if every other consumer of that tail is
//     already in the group and its other inputs come from earlier groups (so no cycle can form). It becomes the
//     new tail.
//  2. reduction fusion (fuse_reductions): a global pool joins its producer's group as a side output
//     (XLA multi-output fusion); the tail stays.
//  3. input fusion (fuse_input_elementwise): a group made only of elementwise layers whose single output feeds only
//     a new anchor (conv / dense) is folded into that anchor's group as a prologue (e.g. the SE multiply read by the
//     projection conv), saving its write and read.
//  Every other layer starts a new group (its anchor).
#include <functional>
#include <string>
#include <vector>

#include "traces/network/network.h"

namespace rp::accel {

struct FusionPolicy {
  bool fuse_elementwise = true;
  bool fuse_reductions = true;
  bool fuse_input_elementwise = true;
  // Whether an elementwise / view layer may join a group by rule 1 (default: all).
  std::function<bool(const traces::Layer&)> may_fuse = [](const traces::Layer&) { return true; };
};

struct FusionGroup {
  int anchor = -1;                   // defining layer (first member that is not a prologue)
  std::vector<int> members;          // all layer ids in topological order, prologue included
  std::vector<int> prologue;         // input-fused elementwise layers (rule 3)
  std::vector<int> external_inputs;  // layer ids read from memory (distinct)
  std::vector<int> outputs;          // member ids written to memory (consumed outside the group, or network outputs)
  std::vector<int> deps;             // indices of groups this one waits for
  std::string name;                  // the anchor's layer name
};

// Elementwise ops: batch norm, activations, add, mul. View ops (no data movement): flatten.
bool is_elementwise(const traces::Layer& l);
bool is_view(const traces::Layer& l);

// Groups every layer except inputs. Groups are returned in a topological order.
std::vector<FusionGroup> fuse(const traces::Network& net, const FusionPolicy& policy);

}  // namespace rp::accel
