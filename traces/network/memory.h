#pragma once
// Memory a network needs while it runs: its weights, the peak of its live activations and its attention layers' KV
// cache, each a separate figure (bytes at the network's dtype). The accelerator side (accel_models/memory_check.h)
// checks their sum against an HBM capacity.
//
// Liveness rule (one inference, layers executed one at a time in the IR's topological order, every tensor written
// to memory: an upper bound on what a fusing compiler keeps there):
//  - a layer's output buffer is live from the step of its producer to the step of its last consumer; a tensor no
//    layer consumes (a network output) stays live to the last step;
//  - inputs are buffers like any other (live from their own step);
//  - reshape and flatten are views: their output shares its input's buffer, which then stays live until the last
//    consumer of either (every other layer writes a new buffer);
//  - constants (kConstant) and every layer's params (conv / dense / embedding tables, norms) are weights, resident
//    throughout and counted in weight_bytes only, never among the activations;
//  - the peak is the largest sum of live buffers over the steps (at step i the inputs of layer i and its output
//    are both live).
// KV cache: an attention layer with cache_len > 0 reads cache_len cached key and value positions for each of its
// batch x heads: n x h x cache_len x (Dk + Dv) elements (its k and v last dimensions), resident throughout.
#include <cstdint>

#include "traces/network/network.h"

namespace rp::traces {

struct MemoryFootprint {
  int64_t weight_bytes = 0;      // Network::weight_bytes (every constant element included)
  int64_t activation_bytes = 0;  // peak of the sum of live buffers over the steps
  int peak_layer = -1;           // the step (layer id) where that peak is reached; -1 for an empty network
  int64_t kv_cache_bytes = 0;    // summed over attention layers
  int64_t total() const { return weight_bytes + activation_bytes + kv_cache_bytes; }
};

MemoryFootprint memory_footprint(const Network& net);

}  // namespace rp::traces
