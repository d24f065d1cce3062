#pragma once
// The network IR: a DAG of layers with rank-4 row-major shapes (NHWC for images; (B, 1, S, D) for sequences, (B, H,
// S, Dh) for attention heads) and one element type. Layers are added in topological order; every add_* call
// validates shapes and throws UsageError naming the layer when they do not fit.
// Broadcasting (add, mul, matmul batch dims): each dimension of the two operands is equal or one of them is 1.
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "traces/network/layer.h"

namespace rp::traces {

// The consumer ids of every layer in one flat array (offsets into ids, CSR): consumers[id] is the range of the ids
// of the layers that read layer `id`, in increasing order. Two allocations however many layers: the lowerings and
// the memory check ask for it once per evaluation, and a vector per layer made that a tenth of a search's time.
// A Range points into its Consumers: keep the Consumers alive while a Range is used.
class Consumers {
 public:
  struct Range {
    const int* first = nullptr;
    const int* last = nullptr;
    const int* begin() const { return first; }
    const int* end() const { return last; }
    size_t size() const { return static_cast<size_t>(last - first); }
    bool empty() const { return first == last; }
    int operator[](size_t i) const { return first[i]; }
  };
  Consumers(std::vector<size_t> offsets, std::vector<int> ids) : offsets_(std::move(offsets)), ids_(std::move(ids)) {}
  Range operator[](size_t id) const { return {ids_.data() + offsets_[id], ids_.data() + offsets_[id + 1]}; }
  size_t size() const { return offsets_.size() - 1; }

 private:
  std::vector<size_t> offsets_;  // size() + 1 entries
  std::vector<int> ids_;
};

class Network {
 public:
  Network(std::string name, DType dtype);

  int add_input(const std::string& name, Shape shape);
  int add_conv2d(const std::string& name, int input, const ConvAttrs& attrs);
  // A dense (linear) layer over the last dimension: n x h x w x C -> n x h x w x units.
  int add_dense(const std::string& name, int input, int64_t units, bool bias = true);
  int add_batch_norm(const std::string& name, int input);
  int add_activation(const std::string& name, int input, Act act);
  int add_add(const std::string& name, int a, int b);  // broadcast shapes (SE scale, position embedding)
  int add_mul(const std::string& name, int a, int b);  // broadcast shapes
  int add_global_avg_pool(const std::string& name, int input);
  int add_max_pool(const std::string& name, int input, const ConvAttrs& window);
  int add_avg_pool(const std::string& name, int input, const ConvAttrs& window);
  int add_space_to_depth(const std::string& name, int input, int block);
  int add_space_to_batch(const std::string& name, int input, int block);
  // Inputs agree outside `axis`, except that a batch-1 input is broadcast over the batch (axis != 0).
  int add_concat(const std::string& name, const std::vector<int>& inputs, int axis = 3);
  int add_split(const std::string& name, int input, int parts, int part, int axis = 3);  // equal slices (chunk)
  int add_slice(const std::string& name, int input, int axis, int64_t begin, int64_t size);
  int add_channel_shuffle(const std::string& name, int input, int groups);
  int add_flatten(const std::string& name, int input);

  // Transformer and layout ops (layer.h). A constant is a tensor with no inputs (its n is usually 1); its params
  // are its elements, or `learned` (in [0, elements]) when it is derived from fewer learned parameters.
  int add_constant(const std::string& name, Shape shape, int64_t learned = -1);
  // (.., M, K) x (.., K, N) -> (.., M, N), or (.., N, K) for b when trans_b.
  int add_matmul(const std::string& name, int a, int b, bool trans_b = false);
  int add_softmax(const std::string& name, int input);
  int add_layer_norm(const std::string& name, int input);
  // ids n x h x w x 1 -> n x h x w x dim (a vocab x dim table).
  int add_embedding(const std::string& name, int ids, int64_t vocab, int64_t dim);
  int add_reshape(const std::string& name, int input, Shape shape);
  int add_permute(const std::string& name, int input, std::array<int, 4> perm);
  // A data movement to `shape` that no single 4-D permutation expresses (an importer's > 4-D permute).
  int add_relayout(const std::string& name, int input, Shape shape);
  // q (B, H, Sq, Dh), k (B, H, Skv, Dh), v (B, H, Skv, Dv) -> (B, H, Sq, Dv); cache_len cached positions are read
  // besides k and v (attention over cache_len + Skv keys).
  int add_attention(const std::string& name, int q, int k, int v, bool causal = false, int64_t cache_len = 0);
  int add_window_partition(const std::string& name, int input, int window);
  int add_window_reverse(const std::string& name, int input, int window, int64_t height, int64_t width);
  int add_roll(const std::string& name, int input, int shift);

  // Tag for layers added from now on (block / stage name used in reports).
  void set_group(std::string group) { group_ = std::move(group); }

  const std::string& name() const { return name_; }
  void set_name(std::string n) { name_ = std::move(n); }
  DType dtype() const { return dtype_; }
  const std::vector<Layer>& layers() const { return layers_; }
  void reserve(size_t layers);  // room for this many layers (a builder that knows its size saves the regrowth)
  const Layer& layer(int id) const { return layers_.at(static_cast<size_t>(id)); }
  int size() const { return static_cast<int>(layers_.size()); }
  int find(const std::string& layer_name) const;  // -1 if absent
  Consumers consumers() const;                    // consumer ids of each layer

  int64_t batch() const;    // N of the first input
  int resolution() const;   // H of the first input
  int64_t seq_len() const;  // W of the first input when it is a sequence (H == 1 and C == 1: token ids), else 0
  int64_t macs() const;
  int64_t flops() const { return 2 * macs(); }
  int64_t params() const;
  // Bytes of the weights held in memory: params, plus the elements of constants not learned (masks, gathered biases).
  int64_t weight_bytes() const;
  int64_t activation_bytes() const;    // sum of every layer's output tensor at the dtype
  int64_t input_bytes(int id) const;   // bytes of the layer's input tensors
  int64_t output_bytes(int id) const;  // bytes of the layer's output tensor

 private:
  int push(Layer l);
  const Layer& in(const std::string& layer_name, int id) const;
  // The slot of `layer_name` in names_: the slot holding its id, or the empty slot (-1) where it would go.
  size_t name_slot(const std::string& layer_name) const;

  std::string name_;
  DType dtype_;
  std::string group_;
  std::vector<Layer> layers_;
  // Layer ids by name, open addressing (linear probing, -1 empty, at most half full): no allocation per layer, as
  // a map's node and key copy were (a search builds a network per candidate).
  std::vector<int> names_;
};

}  // namespace rp::traces
