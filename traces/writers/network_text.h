#pragma once
// The network definition as readable text, stored in traces (HDF5 /meta attribute `network`): a YAML document
//   name, dtype, batch, resolution, macs, params,
//   layers: one flow mapping per layer in topological order: name, kind, group, inputs (layer names),
//           input_shapes and output_shape ([N, H, W, C]), the kind's attributes (kernel, stride, padding, groups,
//           filters, bias, act, block, parts/part, shuffle_groups, foldable), macs, params.
// Loadable with yaml.safe_load, and read back as a network file (the layer-list form, traces/zoo/layer_list.h): the
// IR it was written from, at any batch.
#include <string>

#include "traces/network/network.h"

namespace rp::traces {

std::string network_yaml(const Network& net);

}  // namespace rp::traces
