#include "nas/hurricane/space/space_gen.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "simulator/error.h"

namespace rp::hurricane {
namespace {

std::vector<traces::OpSpec> parse_ops(const std::vector<std::string>& names, const std::string& key) {
  std::vector<traces::OpSpec> ops;
  for (const auto& n : names) {
    try {
      ops.push_back(traces::parse_op(n));
    } catch (const UsageError& e) {
      throw UsageError(key + ": " + e.what());
    }
    for (size_t i = 0; i + 1 < ops.size(); ++i) {
      if (ops[i].name() == n) throw UsageError(key + ": op '" + n + "' is listed twice");
    }
  }
  return ops;
}

bool by_score(const RankedOp& a, const RankedOp& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.op < b.op;  // a stable, documented tie-break
}

}  // namespace

double op_score(double mflops, double mparams, double latency_ms, double alpha) {
  if (!(latency_ms > 0) || std::isinf(latency_ms)) return 0;
  return std::pow(mflops * mparams, alpha) / latency_ms;
}

std::vector<std::vector<std::string>> HwSpace::choices() const {
  std::vector<std::vector<std::string>> out;
  for (const auto& l : layers) {
    out.emplace_back();
    for (const auto& k : l.kept) out.back().push_back(k.op);
  }
  return out;
}

std::vector<int> HwSpace::top_choice() const { return std::vector<int>(layers.size(), 0); }

double HwSpace::size() const {
  double s = 1;
  for (const auto& l : layers) s *= static_cast<double>(l.kept.size());
  return s;
}

void space_row_columns(Columns& c, SpaceRow& r) {
  c.column("layer", r.layer);
  c.column("rank", r.rank);
  c.column("op", r.op);
  c.column("score", r.score);
  c.column("latency_ms", r.latency_ms);
  c.column("mflops", r.mflops);
  c.column("mparams", r.mparams);
  c.column("kept", r.kept);
  c.column("exploring", r.exploring);
}

std::vector<SpaceRow> space_rows(const HwSpace& s) {
  std::vector<SpaceRow> rows;
  for (const LayerSpace& l : s.layers) {
    for (size_t r = 0; r < l.ranked.size(); ++r) {
      const RankedOp& x = l.ranked[r];
      SpaceRow row{l.slot.index, static_cast<int>(r), x.op, x.score, x.latency_ms, x.mflops, x.mparams};
      for (const RankedOp& k : l.kept) {
        if (k.op == x.op) {
          row.kept = true;
          row.exploring = k.exploring;
        }
      }
      rows.push_back(row);
    }
  }
  return rows;
}

HwSpace generate_space(const SpaceOptions& o, const traces::Skeleton& skeleton, int64_t batch, traces::DType dtype,
                       const OpLatency& latency) {
  const bool fixed = !o.fixed_ops.empty();
  const std::vector<traces::OpSpec> pool = fixed
                                               ? parse_ops(o.fixed_ops, "space.ops")
                                               : (o.pool.empty() ? traces::op_pool() : parse_ops(o.pool, "space.pool"));
  const int n = skeleton.layers();
  if (!fixed && (o.p < 1 || o.p > static_cast<int>(pool.size()))) {
    throw UsageError("space.p: " + std::to_string(o.p) + " ops per layer asked of a pool of " +
                     std::to_string(pool.size()) + " (expected 1.." + std::to_string(pool.size()) + ")");
  }
  if (!(o.alpha >= 0) || std::isinf(o.alpha)) throw UsageError("space.alpha: expected a number >= 0");
  if (o.exploring_layers < 0 || o.exploring_layers > n) {
    throw UsageError("space.exploring_layers: expected 0.." + std::to_string(n) + ", got " +
                     std::to_string(o.exploring_layers));
  }
  const auto start = std::chrono::steady_clock::now();
  HwSpace space;
  space.skeleton = skeleton;
  // Layers of one stage after its first share a shape: each (shape, op) is benchmarked once.
  std::map<std::tuple<int64_t, int64_t, int, int, int, std::string>, RankedOp> memo;
  for (const traces::Slot& slot : traces::slots(skeleton)) {
    LayerSpace layer;
    layer.slot = slot;
    for (const auto& op : pool) {
      const auto key =
          std::make_tuple(slot.in_channels, slot.out_channels, slot.stride, slot.in_h, slot.in_w, op.name());
      auto it = memo.find(key);
      if (it == memo.end()) {
        const traces::Network net = traces::op_network(skeleton, slot, op, batch, dtype);
        RankedOp r;
        r.op = op.name();
        r.mflops = static_cast<double>(net.flops()) / static_cast<double>(batch) / 1e6;
        r.mparams = static_cast<double>(net.params()) / 1e6;
        r.latency_ms = latency(net);
        if (std::isnan(r.latency_ms)) r.latency_ms = std::numeric_limits<double>::infinity();
        r.score = op_score(r.mflops, r.mparams, r.latency_ms, o.alpha);
        ++space.benchmarks;
        it = memo.emplace(key, r).first;
      }
      layer.ranked.push_back(it->second);
    }
    std::sort(layer.ranked.begin(), layer.ranked.end(), by_score);
    std::vector<RankedOp> feasible;
    for (const auto& r : layer.ranked) {
      if (!std::isinf(r.latency_ms)) feasible.push_back(r);
    }
    if (feasible.empty()) {
      throw UsageError("layer " + std::to_string(slot.index) + ": no op of the pool runs on this accelerator");
    }
    const size_t keep = fixed ? feasible.size() : std::min(feasible.size(), static_cast<size_t>(o.p));
    layer.kept.assign(feasible.begin(), feasible.begin() + static_cast<long>(keep));
    if (!fixed && slot.index >= n - o.exploring_layers && feasible.size() > keep) {
      auto best = feasible.begin() + static_cast<long>(keep);
      for (auto it = best + 1; it != feasible.end(); ++it) {
        if (it->mflops * it->mparams > best->mflops * best->mparams) best = it;  // ties: the earlier, higher score
      }
      RankedOp e = *best;
      e.exploring = true;
      layer.kept.push_back(e);
    }
    space.layers.push_back(std::move(layer));
  }
  space.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return space;
}

}  // namespace rp::hurricane
