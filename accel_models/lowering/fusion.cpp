#include "accel_models/lowering/fusion.h"

#include <algorithm>

namespace rp::accel {

using traces::Layer;
using traces::LayerKind;

bool is_elementwise(const Layer& l) {
  return l.kind == LayerKind::kBatchNorm || l.kind == LayerKind::kActivation || l.kind == LayerKind::kAdd ||
         l.kind == LayerKind::kMul;
}

bool is_view(const Layer& l) { return l.kind == LayerKind::kFlatten || l.kind == LayerKind::kReshape; }

namespace {

bool is_anchor_for_input_fusion(const Layer& l) {
  return (l.kind == LayerKind::kConv2D && !l.is_depthwise()) || l.kind == LayerKind::kDense;
}

struct Builder {
  const traces::Network& net;
  const FusionPolicy& policy;
  traces::Consumers consumers;
  std::vector<int> group_of;  // layer -> working group index, -1 for inputs
  std::vector<FusionGroup> groups;
  std::vector<int> tail;  // working group -> tail layer
  std::vector<bool> alive;
  std::vector<bool> pure_elementwise;

  Builder(const traces::Network& n, const FusionPolicy& p)
      : net(n), policy(p), consumers(n.consumers()), group_of(static_cast<size_t>(n.size()), -1) {
    const auto layers = static_cast<size_t>(n.size());  // at most one group per layer
    groups.reserve(layers);
    tail.reserve(layers);
    alive.reserve(layers);
    pure_elementwise.reserve(layers);
  }

  int new_group(int id) {
    groups.push_back({});
    groups.back().anchor = id;
    groups.back().members.reserve(4);  // an anchor, its batch norm and activation: most groups, without regrowth
    groups.back().members.push_back(id);
    tail.push_back(id);
    alive.push_back(true);
    pure_elementwise.push_back(is_elementwise(net.layer(id)));
    group_of[static_cast<size_t>(id)] = static_cast<int>(groups.size()) - 1;
    return static_cast<int>(groups.size()) - 1;
  }

  void join(int g, int id, bool becomes_tail) {
    groups[static_cast<size_t>(g)].members.push_back(id);
    group_of[static_cast<size_t>(id)] = g;
    if (becomes_tail) tail[static_cast<size_t>(g)] = id;
    if (!is_elementwise(net.layer(id))) pure_elementwise[static_cast<size_t>(g)] = false;
  }

  // Rule 1: the group `l` can join through input `p`, or -1.
  int output_fusion_target(int id) {
    const Layer& l = net.layer(id);
    for (int p : l.inputs) {
      // Only through a full-size operand: an SE scale (N x 1 x 1 x C) never pulls the multiply into its group.
      if (net.layer(p).output != l.output) continue;
      const int g = group_of[static_cast<size_t>(p)];
      if (g < 0 || tail[static_cast<size_t>(g)] != p) continue;
      bool ok = true;
      for (int c : consumers[static_cast<size_t>(p)]) ok = ok && (c == id || group_of[static_cast<size_t>(c)] == g);
      for (int q : l.inputs) {
        const int gq = group_of[static_cast<size_t>(q)];
        ok = ok && (gq <= g);  // inputs (-1), earlier groups or this one
      }
      if (ok) return g;
    }
    return -1;
  }

  // Rule 3: a pure elementwise group whose every member feeds only itself or `id`.
  int input_fusion_source(int id) {
    const Layer& l = net.layer(id);
    if (l.inputs.empty()) return -1;
    const int p = l.inputs[0];
    const int g = group_of[static_cast<size_t>(p)];
    if (g < 0 || !pure_elementwise[static_cast<size_t>(g)] || tail[static_cast<size_t>(g)] != p) return -1;
    for (int m : groups[static_cast<size_t>(g)].members) {
      for (int c : consumers[static_cast<size_t>(m)]) {
        if (c != id && group_of[static_cast<size_t>(c)] != g) return -1;
      }
    }
    return g;
  }

  void add(int id) {
    const Layer& l = net.layer(id);
    if (l.kind == LayerKind::kInput || l.kind == LayerKind::kConstant) return;  // read from memory
    if ((is_elementwise(l) || is_view(l)) && policy.fuse_elementwise && policy.may_fuse(l)) {
      const int g = output_fusion_target(id);
      if (g >= 0) return join(g, id, true);
    }
    if (l.kind == LayerKind::kGlobalAvgPool && policy.fuse_reductions) {
      const int g = group_of[static_cast<size_t>(l.inputs[0])];
      if (g >= 0 && tail[static_cast<size_t>(g)] == l.inputs[0]) return join(g, id, false);
    }
    const int src = (policy.fuse_input_elementwise && is_anchor_for_input_fusion(l)) ? input_fusion_source(id) : -1;
    const int g = new_group(id);
    if (src >= 0) {
      FusionGroup& from = groups[static_cast<size_t>(src)];
      FusionGroup& to = groups[static_cast<size_t>(g)];
      to.prologue = from.members;
      to.members.insert(to.members.begin(), from.members.begin(), from.members.end());
      for (int m : from.members) group_of[static_cast<size_t>(m)] = g;
      alive[static_cast<size_t>(src)] = false;
    }
  }

  std::vector<FusionGroup> finish() {
    std::vector<int> renumber(groups.size(), -1);
    std::vector<FusionGroup> out;
    out.reserve(groups.size());
    for (size_t g = 0; g < groups.size(); ++g) {
      if (!alive[g]) continue;
      renumber[g] = static_cast<int>(out.size());
      out.push_back(std::move(groups[g]));
    }
    for (auto& grp : out) {
      const int self = static_cast<int>(&grp - out.data());
      std::sort(grp.members.begin(), grp.members.end());
      grp.name = net.layer(grp.anchor).name;
      grp.external_inputs.reserve(2);  // most groups read one or two tensors and wait for one or two groups
      grp.deps.reserve(2);
      for (int m : grp.members) {
        for (int p : net.layer(m).inputs) {
          const int gp = group_of[static_cast<size_t>(p)];
          const int rp = gp < 0 ? -1 : renumber[static_cast<size_t>(gp)];
          if (rp == self) continue;
          if (std::find(grp.external_inputs.begin(), grp.external_inputs.end(), p) == grp.external_inputs.end()) {
            grp.external_inputs.push_back(p);
          }
          if (rp >= 0 && std::find(grp.deps.begin(), grp.deps.end(), rp) == grp.deps.end()) grp.deps.push_back(rp);
        }
        const auto& cs = consumers[static_cast<size_t>(m)];
        bool leaves = cs.empty();
        for (int c : cs) leaves = leaves || renumber[static_cast<size_t>(group_of[static_cast<size_t>(c)])] != self;
        if (leaves) grp.outputs.push_back(m);
      }
    }
    return out;
  }
};

}  // namespace

std::vector<FusionGroup> fuse(const traces::Network& net, const FusionPolicy& policy) {
  Builder b(net, policy);
  for (int id = 0; id < net.size(); ++id) b.add(id);
  return b.finish();
}

}  // namespace rp::accel
