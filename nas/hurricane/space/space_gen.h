#pragma once
// HURRICANE's hardware-aware search-space generation (shared/reference/hurricane.md section 2): every op of the
// pool is benchmarked at every learnable layer of the skeleton on the target, scored
//   score = (MFLOPs x Mparams)^alpha / latency_ms
// (MFLOPs: the op's FLOPs per image at 2 per MAC, / 10^6; Mparams: its trainable parameters / 10^6; latency_ms: the
// simulated latency of the op alone at the layer's input shape and the run's batch), and each layer keeps its top p
// ops by score. The last `exploring_layers` layers also keep one exploring op: of the ops not kept, the one of
// largest capacity (MFLOPs x Mparams; score breaks ties), so the search can buy accuracy where latency is cheap.
// A hand-designed space instead gives every layer the same fixed op list (still benchmarked and sorted by score).
// Latency is measured standalone (see docs/hurricane.md for why): the benchmark callback gets the op's network.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "simulator/record.h"
#include "traces/zoo/layerwise_net.h"

namespace rp::hurricane {

struct SpaceOptions {
  int p = 4;                           // ops kept per layer (1..pool size)
  double alpha = 0.5;                  // capacity exponent (>= 0)
  int exploring_layers = 4;            // the last this many layers get an exploring op (0..layers)
  std::vector<std::string> pool;       // candidate ops (empty: all 32 of traces/zoo/op_pool.h)
  std::vector<std::string> fixed_ops;  // hand-designed space: every layer keeps exactly these (p, exploring unused)
};

struct RankedOp {
  std::string op;
  double score = 0, latency_ms = 0, mflops = 0, mparams = 0;
  bool exploring = false;
};

struct LayerSpace {
  traces::Slot slot;
  std::vector<RankedOp> kept;    // the layer's choices, by descending score (the exploring op last)
  std::vector<RankedOp> ranked;  // every op of the pool, by descending score (infeasible ops last, score 0)
};

struct HwSpace {
  traces::Skeleton skeleton;  // ImageNet scale
  std::vector<LayerSpace> layers;
  double seconds = 0;      // wall time of the generation (benchmarking included)
  int64_t benchmarks = 0;  // op networks benchmarked

  std::vector<std::vector<std::string>> choices() const;  // per layer, the kept ops' names
  std::vector<int> top_choice() const;                    // a_win0: index 0 at every layer
  double size() const;                                    // product of the kept counts
};

// One row of the space table: an op of the pool at a layer, with its rank there (0: the best score), its figures,
// and whether the layer kept it (and as its exploring op).
struct SpaceRow {
  int layer = 0, rank = 0;
  std::string op;
  double score = 0, latency_ms = 0, mflops = 0, mparams = 0;
  bool kept = false, exploring = false;
};
// The columns of /space (simulator/record.h): layer, rank, op, score, latency_ms, mflops, mparams, kept, exploring.
void space_row_columns(Columns& c, SpaceRow& r);
// Every (layer, ranked op) of the space, layer by layer, in rank order.
std::vector<SpaceRow> space_rows(const HwSpace& s);

// The latency in ms of a network on the target, or +infinity when it cannot run there (e.g. does not fit).
using OpLatency = std::function<double(const traces::Network&)>;

double op_score(double mflops, double mparams, double latency_ms, double alpha);

// Validates the options (UsageError naming the key: p larger than the pool, unknown op names, alpha < 0,
// exploring_layers out of range) and generates the space for `skeleton` at `batch` and `dtype`.
HwSpace generate_space(const SpaceOptions& o, const traces::Skeleton& skeleton, int64_t batch, traces::DType dtype,
                       const OpLatency& latency);

}  // namespace rp::hurricane
