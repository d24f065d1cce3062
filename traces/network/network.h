#pragma once
// The network IR: a DAG of layers with NHWC shapes and one element type. Layers are added in topological order;
// every add_* call validates shapes and throws UsageError naming the layer when they do not fit.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "traces/network/layer.h"

namespace rp::traces {

class Network {
 public:
  Network(std::string name, DType dtype);

  int add_input(const std::string& name, Shape shape);
  int add_conv2d(const std::string& name, int input, const ConvAttrs& attrs);
  int add_dense(const std::string& name, int input, int64_t units, bool bias = true);
  int add_batch_norm(const std::string& name, int input);
  int add_activation(const std::string& name, int input, Act act);
  int add_add(const std::string& name, int a, int b);  // same shapes
  int add_mul(const std::string& name, int a, int b);  // same shapes, or b is N x 1 x 1 x C (SE broadcast)
  int add_global_avg_pool(const std::string& name, int input);
  int add_max_pool(const std::string& name, int input, const ConvAttrs& window);
  int add_avg_pool(const std::string& name, int input, const ConvAttrs& window);
  int add_space_to_depth(const std::string& name, int input, int block);
  int add_space_to_batch(const std::string& name, int input, int block);
  int add_concat(const std::string& name, const std::vector<int>& inputs);  // along channels
  int add_split(const std::string& name, int input, int parts, int part);
  int add_channel_shuffle(const std::string& name, int input, int groups);
  int add_flatten(const std::string& name, int input);

  // Tag for layers added from now on (block / stage name used in reports).
  void set_group(std::string group) { group_ = std::move(group); }

  const std::string& name() const { return name_; }
  void set_name(std::string n) { name_ = std::move(n); }
  DType dtype() const { return dtype_; }
  const std::vector<Layer>& layers() const { return layers_; }
  const Layer& layer(int id) const { return layers_.at(static_cast<size_t>(id)); }
  int size() const { return static_cast<int>(layers_.size()); }
  int find(const std::string& layer_name) const;    // -1 if absent
  std::vector<std::vector<int>> consumers() const;  // consumer ids of each layer

  int64_t batch() const;   // N of the first input
  int resolution() const;  // H of the first input
  int64_t macs() const;
  int64_t flops() const { return 2 * macs(); }
  int64_t params() const;
  int64_t weight_bytes() const { return params() * dtype_bytes(dtype_); }
  int64_t activation_bytes() const;    // sum of every layer's output tensor at the dtype
  int64_t input_bytes(int id) const;   // bytes of the layer's input tensors
  int64_t output_bytes(int id) const;  // bytes of the layer's output tensor

 private:
  int push(Layer l);
  const Layer& in(const std::string& layer_name, int id) const;

  std::string name_;
  DType dtype_;
  std::string group_;
  std::vector<Layer> layers_;
  std::unordered_map<std::string, int> by_name_;
};

}  // namespace rp::traces
