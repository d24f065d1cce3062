#pragma once
// The layer-list form of a network file: the network IR written layer by layer, as traces/writers/network_text.h
// writes it (`ridgepoint import -o`, a trace's /meta/network). Format and batch rule: docs/networks.md.
//   name, dtype, batch (the batch the layers are written at), resolution, macs, params (checked when given),
//   layers: one mapping per layer in topological order: name, kind, inputs (layer names), output_shape [N, H, W, C],
//           the kind's attributes; group, input_shapes, macs and params are optional and checked when given.
// Batch rule: every tensor's first dimension is outermost (row-major, as PyTorch and ONNX lay out a batch). Built at
// batch B from a file written at batch B0, each layer whose output shape is an attribute (input, reshape, relayout,
// window reverse) has its first dimension N replaced by N / B0 x B (N must be a multiple of B0); constants (weights)
// keep theirs; every other shape follows through add_layer. At B == B0 the file's shapes, MACs and params must be the
// ones add_layer derives, so a file that reads back is the IR it was written from.
#include <cstdint>

#include "traces/network/network.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/zoo.h"

namespace rp::traces {

// True when `root` is a layer-list network file (it has `layers`).
bool is_layer_list(const YamlMap& root);

// Builds the layer list of `root` at options.batch (the batch rule above) and options.dtype. A resolution (or a
// sequence length) other than the file's own is refused: the list fixes every shape. Throws UsageError naming the
// file, line, layer and key for a missing, unknown or bad key, and for a shape, MACs or params that differ from the
// derived ones.
Network load_layer_list(const YamlMap& root, const BuildOptions& options);

// `net` rebuilt at `batch` and `dtype` by the batch rule above (its first input's N is the batch it was built at).
// Throws UsageError naming the layer whose first dimension is not a multiple of that batch.
Network rescale(const Network& net, int64_t batch, DType dtype);

}  // namespace rp::traces
