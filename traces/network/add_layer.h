#pragma once
// One dispatch from a layer description to the Network::add_* call that builds it, so that every copy of a network
// (a replay with new input shapes, a network file's layer list, an importer's batch scaling) shares one table.
#include <functional>
#include <vector>

#include "traces/network/network.h"

namespace rp::traces {

// Adds a layer like `proto` (its name, kind and attributes) reading `inputs` (ids in `net`). The output shape is
// derived, except where it is an attribute: an input's and a constant's shape, a reshape's, relayout's and window
// reverse's target (proto.output). Throws UsageError as the add_* call does.
int add_layer(Network& net, const Layer& proto, const std::vector<int>& inputs);

// A copy of `src` built layer by layer through add_layer, each layer's group kept. `shape_of` gives the shape of
// each layer whose shape is an attribute (see add_layer), from the source layer; the identity keeps them.
Network replay(const Network& src, const std::function<Shape(const Layer&)>& shape_of);

}  // namespace rp::traces
