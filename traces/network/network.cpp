#include "traces/network/network.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "simulator/error.h"

namespace rp::traces {
namespace {

[[noreturn]] void shape_error(const std::string& layer, const std::string& what) {
  throw UsageError("layer '" + layer + "': " + what);
}

// Output size of one spatial dimension; throws when the window does not fit.
int64_t out_dim(const std::string& layer, int64_t in, int k, int s, const Padding& p, bool vertical) {
  if (k < 1 || s < 1) shape_error(layer, "kernel and stride must be >= 1");
  int64_t out = 0;
  switch (p.mode) {
    case Padding::Mode::kSame:
      out = (in + s - 1) / s;
      break;
    case Padding::Mode::kValid:
      out = in >= k ? (in - k) / s + 1 : 0;
      break;
    case Padding::Mode::kExplicit: {
      const int64_t padded = in + (vertical ? p.top + p.bottom : p.left + p.right);
      out = padded >= k ? (padded - k) / s + 1 : 0;
      break;
    }
  }
  if (out < 1) {
    shape_error(layer, "a " + std::to_string(k) + "-wide window does not fit an input of size " + std::to_string(in));
  }
  return out;
}

// The IR counts elements, MACs and bytes in 64 bits. A layer whose counts would come near that (an absurd batch,
// resolution or channel count) is refused by name before any count is formed: 2^50 elements (x 8 bytes) and 2^60
// MACs leave room for the sums over a network.
constexpr double kMaxElements = 1125899906842624.0;  // 2^50
constexpr double kMaxMacs = 1152921504606846976.0;   // 2^60

void check_size(const std::string& layer, const Shape& s) {
  const double e =
      static_cast<double>(s.n) * static_cast<double>(s.h) * static_cast<double>(s.w) * static_cast<double>(s.c);
  if (e > kMaxElements) {
    shape_error(layer, "output " + s.str() + " has more than 2^50 elements (batch, resolution or channels too large)");
  }
}

int64_t checked_macs(const std::string& layer, const Shape& out, int64_t per_output) {
  check_size(layer, out);
  if (static_cast<double>(out.elements()) * static_cast<double>(per_output) > kMaxMacs) {
    shape_error(layer, "more than 2^60 multiply-accumulates (batch, resolution or channels too large)");
  }
  return out.elements() * per_output;
}

}  // namespace

Network::Network(std::string name, DType dtype) : name_(std::move(name)), dtype_(dtype) {}

const Layer& Network::in(const std::string& layer_name, int id) const {
  if (id < 0 || id >= size()) shape_error(layer_name, "input id " + std::to_string(id) + " does not exist");
  return layers_[static_cast<size_t>(id)];
}

size_t Network::name_slot(const std::string& layer_name) const {
  const size_t mask = names_.size() - 1;  // a power of two
  size_t i = std::hash<std::string>{}(layer_name)&mask;
  while (names_[i] >= 0 && layers_[static_cast<size_t>(names_[i])].name != layer_name) i = (i + 1) & mask;
  return i;
}

void Network::reserve(size_t layers) {
  layers_.reserve(layers);
  size_t slots = 64;
  while (slots < 2 * layers) slots *= 2;
  if (slots <= names_.size()) return;
  names_.assign(slots, -1);
  for (size_t id = 0; id < layers_.size(); ++id) names_[name_slot(layers_[id].name)] = static_cast<int>(id);
}

int Network::push(Layer l) {
  if (l.name.empty()) throw UsageError("a layer has an empty name");
  if (2 * (layers_.size() + 1) > names_.size()) reserve(std::max<size_t>(32, 2 * layers_.size()));
  const size_t slot = name_slot(l.name);
  if (names_[slot] >= 0) shape_error(l.name, "duplicate layer name");
  check_size(l.name, l.output);
  if (l.output.elements() <= 0) shape_error(l.name, "empty output shape " + l.output.str());
  l.group = group_;
  const int id = size();
  names_[slot] = id;
  layers_.push_back(std::move(l));
  return id;
}

int Network::find(const std::string& layer_name) const {
  if (names_.empty()) return -1;
  return names_[name_slot(layer_name)];
}

int Network::add_input(const std::string& name, Shape shape) {
  if (shape.n < 1 || shape.h < 1 || shape.w < 1 || shape.c < 1) shape_error(name, "bad input shape " + shape.str());
  Layer l;
  l.name = name;
  l.kind = LayerKind::kInput;
  l.output = shape;
  return push(std::move(l));
}

int Network::add_conv2d(const std::string& name, int input, const ConvAttrs& a) {
  const Shape x = in(name, input).output;
  if (a.filters < 1) shape_error(name, "filters must be >= 1");
  if (a.groups < 1 || x.c % a.groups != 0 || a.filters % a.groups != 0) {
    shape_error(name, "groups " + std::to_string(a.groups) + " must divide input channels " + std::to_string(x.c) +
                          " and filters " + std::to_string(a.filters));
  }
  Layer l;
  l.name = name;
  l.kind = LayerKind::kConv2D;
  l.inputs = {input};
  l.conv = a;
  l.output = {x.n, out_dim(name, x.h, a.kernel_h, a.stride_h, a.padding, true),
              out_dim(name, x.w, a.kernel_w, a.stride_w, a.padding, false), a.filters};
  const int64_t k = int64_t{a.kernel_h} * a.kernel_w * (x.c / a.groups);
  l.macs = checked_macs(name, l.output, k);
  l.params = k * a.filters + (a.bias ? a.filters : 0);
  return push(std::move(l));
}

int Network::add_dense(const std::string& name, int input, int64_t units, bool bias) {
  const Shape x = in(name, input).output;
  if (units < 1) shape_error(name, "units must be >= 1");
  Layer l;
  l.name = name;
  l.kind = LayerKind::kDense;
  l.inputs = {input};
  l.conv.filters = units;
  l.conv.bias = bias;
  l.output = {x.n, x.h, x.w, units};
  l.macs = checked_macs(name, l.output, x.c);
  l.params = x.c * units + (bias ? units : 0);
  return push(std::move(l));
}

int Network::add_batch_norm(const std::string& name, int input) {
  const Layer& p = in(name, input);
  Layer l;
  l.name = name;
  l.kind = LayerKind::kBatchNorm;
  l.inputs = {input};
  l.output = p.output;
  l.params = 2 * p.output.c;  // gamma and beta; moving mean/variance are not trainable
  l.foldable = p.kind == LayerKind::kConv2D;
  return push(std::move(l));
}

int Network::add_activation(const std::string& name, int input, Act act) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::kActivation;
  l.inputs = {input};
  l.act = act;
  l.output = in(name, input).output;
  return push(std::move(l));
}

namespace {

// The broadcast of two shapes (each dimension equal, or 1 in one of them); throws naming the layer otherwise.
Shape broadcast(const std::string& layer, const std::string& op, const Shape& x, const Shape& y) {
  Shape out;
  for (int i = 0; i < 4; ++i) {
    if (x.dim(i) != y.dim(i) && x.dim(i) != 1 && y.dim(i) != 1) {
      shape_error(layer,
                  op + " needs broadcastable shapes (each dimension equal or 1), got " + x.str() + " and " + y.str());
    }
    out.dim(i) = std::max(x.dim(i), y.dim(i));
  }
  return out;
}

}  // namespace

int Network::add_add(const std::string& name, int a, int b) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::kAdd;
  l.inputs = {a, b};
  l.output = broadcast(name, "add", in(name, a).output, in(name, b).output);
  return push(std::move(l));
}

int Network::add_mul(const std::string& name, int a, int b) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::kMul;
  l.inputs = {a, b};
  l.output = broadcast(name, "mul", in(name, a).output, in(name, b).output);
  return push(std::move(l));
}

int Network::add_global_avg_pool(const std::string& name, int input) {
  const Shape x = in(name, input).output;
  Layer l;
  l.name = name;
  l.kind = LayerKind::kGlobalAvgPool;
  l.inputs = {input};
  l.output = {x.n, 1, 1, x.c};
  return push(std::move(l));
}

int Network::add_max_pool(const std::string& name, int input, const ConvAttrs& w) {
  const Shape x = in(name, input).output;
  Layer l;
  l.name = name;
  l.kind = LayerKind::kMaxPool;
  l.inputs = {input};
  l.conv = w;
  l.conv.filters = x.c;
  l.output = {x.n, out_dim(name, x.h, w.kernel_h, w.stride_h, w.padding, true),
              out_dim(name, x.w, w.kernel_w, w.stride_w, w.padding, false), x.c};
  return push(std::move(l));
}

int Network::add_avg_pool(const std::string& name, int input, const ConvAttrs& w) {
  const int id = add_max_pool(name, input, w);
  layers_.back().kind = LayerKind::kAvgPool;
  return id;
}

int Network::add_space_to_depth(const std::string& name, int input, int block) {
  const Shape x = in(name, input).output;
  if (block < 2 || x.h % block != 0 || x.w % block != 0) {
    shape_error(name, "block " + std::to_string(block) + " must be >= 2 and divide " + x.str() + " spatially");
  }
  Layer l;
  l.name = name;
  l.kind = LayerKind::kSpaceToDepth;
  l.inputs = {input};
  l.block = block;
  l.output = {x.n, x.h / block, x.w / block, x.c * block * block};
  return push(std::move(l));
}

int Network::add_space_to_batch(const std::string& name, int input, int block) {
  const Shape x = in(name, input).output;
  if (block < 2 || x.h % block != 0 || x.w % block != 0) {
    shape_error(name, "block " + std::to_string(block) + " must be >= 2 and divide " + x.str() + " spatially");
  }
  Layer l;
  l.name = name;
  l.kind = LayerKind::kSpaceToBatch;
  l.inputs = {input};
  l.block = block;
  l.output = {x.n * block * block, x.h / block, x.w / block, x.c};
  return push(std::move(l));
}

namespace {

void check_axis(const std::string& layer, int axis) {
  if (axis < 0 || axis > 3) shape_error(layer, "axis " + std::to_string(axis) + " must be 0..3 (n, h, w, c)");
}

}  // namespace

int Network::add_concat(const std::string& name, const std::vector<int>& inputs, int axis) {
  if (inputs.empty()) shape_error(name, "concat needs at least one input");
  check_axis(name, axis);
  Shape out = in(name, inputs[0]).output;
  out.dim(axis) = 0;
  // An input with batch 1 is broadcast over the batch when concatenating along another axis (a class token:
  // torch's expand + cat).
  for (int id : inputs) out.n = std::max(out.n, axis == 0 ? out.n : in(name, id).output.n);
  for (int id : inputs) {
    Shape x = in(name, id).output;
    if (axis != 0 && x.n == 1) x.n = out.n;
    for (int i = 0; i < 4; ++i) {
      if (i != axis && x.dim(i) != out.dim(i)) {
        shape_error(name, "concat inputs differ outside axis " + std::to_string(axis) + ": " +
                              in(name, inputs[0]).output.str() + " vs " + x.str());
      }
    }
    out.dim(axis) += x.dim(axis);
  }
  Layer l;
  l.name = name;
  l.kind = LayerKind::kConcat;
  l.inputs = inputs;
  l.axis = axis;
  l.output = out;
  return push(std::move(l));
}

int Network::add_split(const std::string& name, int input, int parts, int part, int axis) {
  check_axis(name, axis);
  const int64_t extent = in(name, input).output.dim(axis);
  if (parts < 1 || part < 0 || part >= parts || extent % parts != 0) {
    shape_error(name, "split part " + std::to_string(part) + " of " + std::to_string(parts) +
                          " must index equal slices of " + std::to_string(extent) +
                          (axis == 3 ? " channels" : " elements along axis " + std::to_string(axis)));
  }
  const int id = add_slice(name, input, axis, extent / parts * part, extent / parts);
  layers_.back().parts = parts;
  layers_.back().part = part;
  return id;
}

int Network::add_slice(const std::string& name, int input, int axis, int64_t begin, int64_t size) {
  check_axis(name, axis);
  Shape x = in(name, input).output;
  if (begin < 0 || size < 1 || begin + size > x.dim(axis)) {
    shape_error(name, "slice [" + std::to_string(begin) + ", " + std::to_string(begin + size) + ") of axis " +
                          std::to_string(axis) + " does not fit " + x.str());
  }
  Layer l;
  l.name = name;
  l.kind = LayerKind::kSplit;
  l.inputs = {input};
  l.parts = 0;
  l.axis = axis;
  l.begin = begin;
  x.dim(axis) = size;
  l.output = x;
  return push(std::move(l));
}

int Network::add_channel_shuffle(const std::string& name, int input, int groups) {
  const Shape x = in(name, input).output;
  if (groups < 1 || x.c % groups != 0) {
    shape_error(name, "shuffle groups " + std::to_string(groups) + " must divide " + std::to_string(x.c) + " channels");
  }
  Layer l;
  l.name = name;
  l.kind = LayerKind::kChannelShuffle;
  l.inputs = {input};
  l.shuffle_groups = groups;
  l.output = x;
  return push(std::move(l));
}

int Network::add_flatten(const std::string& name, int input) {
  const Shape x = in(name, input).output;
  Layer l;
  l.name = name;
  l.kind = LayerKind::kFlatten;
  l.inputs = {input};
  l.output = {x.n, 1, 1, x.h * x.w * x.c};
  return push(std::move(l));
}

int Network::add_constant(const std::string& name, Shape shape, int64_t learned) {
  if (shape.n < 1 || shape.h < 1 || shape.w < 1 || shape.c < 1) shape_error(name, "bad constant shape " + shape.str());
  Layer l;
  l.name = name;
  l.kind = LayerKind::kConstant;
  l.output = shape;
  check_size(name, shape);
  if (learned > shape.elements()) {
    shape_error(name, "a constant of " + std::to_string(shape.elements()) + " elements derived from " +
                          std::to_string(learned) + " learned parameters (at most its elements)");
  }
  l.learned = learned < 0 ? -1 : learned;
  l.params = learned < 0 ? shape.elements() : learned;
  return push(std::move(l));
}

int Network::add_matmul(const std::string& name, int a, int b, bool trans_b) {
  const Shape x = in(name, a).output, y = in(name, b).output;
  const int64_t k = trans_b ? y.c : y.w, n = trans_b ? y.w : y.c;
  if (x.c != k) {
    shape_error(name, "matmul " + x.str() + " x " + y.str() + (trans_b ? " (second transposed)" : "") +
                          ": inner dimensions " + std::to_string(x.c) + " and " + std::to_string(k) + " differ");
  }
  const Shape batch = broadcast(name, "matmul", {x.n, x.h, 1, 1}, {y.n, y.h, 1, 1});
  Layer l;
  l.name = name;
  l.kind = LayerKind::kMatMul;
  l.inputs = {a, b};
  l.trans_b = trans_b;
  l.output = {batch.n, batch.h, x.w, n};
  l.macs = checked_macs(name, l.output, k);
  return push(std::move(l));
}

int Network::add_softmax(const std::string& name, int input) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::kSoftmax;
  l.inputs = {input};
  l.output = in(name, input).output;
  return push(std::move(l));
}

int Network::add_layer_norm(const std::string& name, int input) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::kLayerNorm;
  l.inputs = {input};
  l.output = in(name, input).output;
  l.params = 2 * l.output.c;  // gamma and beta
  return push(std::move(l));
}

int Network::add_embedding(const std::string& name, int ids, int64_t vocab, int64_t dim) {
  const Shape x = in(name, ids).output;
  if (x.c != 1) shape_error(name, "embedding needs indices of shape n x h x w x 1, got " + x.str());
  if (vocab < 1 || dim < 1) shape_error(name, "embedding vocab and dim must be >= 1");
  Layer l;
  l.name = name;
  l.kind = LayerKind::kEmbedding;
  l.inputs = {ids};
  l.vocab = vocab;
  l.output = {x.n, x.h, x.w, dim};
  check_size(name, Shape{1, 1, vocab, dim});
  l.params = vocab * dim;
  return push(std::move(l));
}

int Network::add_reshape(const std::string& name, int input, Shape shape) {
  const Shape x = in(name, input).output;
  if (shape.elements() != x.elements() || shape.n < 1 || shape.h < 1 || shape.w < 1 || shape.c < 1) {
    shape_error(name, "reshape from " + x.str() + " to " + shape.str() + " changes the number of elements");
  }
  Layer l;
  l.name = name;
  l.kind = LayerKind::kReshape;
  l.inputs = {input};
  l.output = shape;
  return push(std::move(l));
}

int Network::add_permute(const std::string& name, int input, std::array<int, 4> perm) {
  const Shape x = in(name, input).output;
  std::array<bool, 4> seen{};
  for (int p : perm) {
    if (p < 0 || p > 3 || seen[static_cast<size_t>(p)]) {
      shape_error(name, "permute needs a permutation of 0, 1, 2, 3");
    }
    seen[static_cast<size_t>(p)] = true;
  }
  Layer l;
  l.name = name;
  l.kind = LayerKind::kPermute;
  l.inputs = {input};
  l.perm = perm;
  for (int i = 0; i < 4; ++i) l.output.dim(i) = x.dim(perm[static_cast<size_t>(i)]);
  return push(std::move(l));
}

int Network::add_relayout(const std::string& name, int input, Shape shape) {
  const int id = add_reshape(name, input, shape);
  layers_.back().kind = LayerKind::kPermute;
  layers_.back().perm = {{-1, -1, -1, -1}};
  return id;
}

int Network::add_attention(const std::string& name, int q, int k, int v, bool causal, int64_t cache_len) {
  const Shape sq = in(name, q).output, sk = in(name, k).output, sv = in(name, v).output;
  if (sq.n != sk.n || sq.n != sv.n || sq.h != sk.h || sq.h != sv.h || sq.c != sk.c || sk.w != sv.w) {
    shape_error(name, "attention needs q (B, H, Sq, D), k (B, H, Skv, D) and v (B, H, Skv, Dv), got " + sq.str() +
                          ", " + sk.str() + " and " + sv.str());
  }
  if (cache_len < 0) shape_error(name, "attention cache length must be >= 0");
  Layer l;
  l.name = name;
  l.kind = LayerKind::kAttention;
  l.inputs = {q, k, v};
  l.causal = causal;
  l.cache_len = cache_len;
  l.output = {sq.n, sq.h, sq.w, sv.c};
  const int64_t keys = sk.w + cache_len;
  // QK^T (Sq x D x keys) and AV (Sq x keys x Dv) per batch and head; a causal mask computes every score too.
  l.macs = checked_macs(name, Shape{sq.n, sq.h, sq.w, keys}, sq.c + sv.c);
  return push(std::move(l));
}

int Network::add_window_partition(const std::string& name, int input, int window) {
  const Shape x = in(name, input).output;
  if (window < 1 || x.h % window != 0 || x.w % window != 0) {
    shape_error(name, "window " + std::to_string(window) + " must be >= 1 and divide " + x.str() + " spatially");
  }
  Layer l;
  l.name = name;
  l.kind = LayerKind::kWindowPartition;
  l.inputs = {input};
  l.block = window;
  l.output = {x.n * (x.h / window) * (x.w / window), 1, int64_t{window} * window, x.c};
  return push(std::move(l));
}

int Network::add_window_reverse(const std::string& name, int input, int window, int64_t height, int64_t width) {
  const Shape x = in(name, input).output;
  const int64_t windows =
      window >= 1 && height % window == 0 && width % window == 0 ? (height / window) * (width / window) : 0;
  if (windows == 0 || x.h != 1 || x.w != int64_t{window} * window || x.n % windows != 0) {
    shape_error(name, "window reverse of " + x.str() + " to " + std::to_string(height) + " x " + std::to_string(width) +
                          " with window " + std::to_string(window) + " does not fit");
  }
  Layer l;
  l.name = name;
  l.kind = LayerKind::kWindowReverse;
  l.inputs = {input};
  l.block = window;
  l.output = {x.n / windows, height, width, x.c};
  return push(std::move(l));
}

int Network::add_roll(const std::string& name, int input, int shift) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::kRoll;
  l.inputs = {input};
  l.shift = shift;
  l.output = in(name, input).output;
  return push(std::move(l));
}

Consumers Network::consumers() const {
  std::vector<size_t> offsets(layers_.size() + 1, 0);  // first counts per producer, then prefix sums
  for (const Layer& l : layers_) {
    for (int p : l.inputs) ++offsets[static_cast<size_t>(p) + 1];
  }
  for (size_t i = 1; i < offsets.size(); ++i) offsets[i] += offsets[i - 1];
  std::vector<int> ids(offsets.back());
  std::vector<size_t> next(offsets.begin(), offsets.end() - 1);
  for (int id = 0; id < size(); ++id) {  // increasing id: each range sorted, as the vectors per layer were
    for (int p : layers_[static_cast<size_t>(id)].inputs) ids[next[static_cast<size_t>(p)]++] = id;
  }
  return Consumers(std::move(offsets), std::move(ids));
}

namespace {

const Layer* first_input(const std::vector<Layer>& layers) {
  for (const Layer& l : layers) {
    if (l.kind == LayerKind::kInput) return &l;
  }
  return nullptr;
}

}  // namespace

int64_t Network::batch() const {
  const Layer* l = first_input(layers_);
  return l ? l->output.n : 0;
}

int Network::resolution() const {
  const Layer* l = first_input(layers_);
  return l ? static_cast<int>(l->output.h) : 0;
}

int64_t Network::seq_len() const {
  const Layer* l = first_input(layers_);
  return (l && l->output.h == 1 && l->output.c == 1) ? l->output.w : 0;
}

int64_t Network::macs() const {
  int64_t s = 0;
  for (const Layer& l : layers_) s += l.macs;
  return s;
}

int64_t Network::params() const {
  int64_t s = 0;
  for (const Layer& l : layers_) s += l.params;
  return s;
}

int64_t Network::weight_bytes() const {
  int64_t s = 0;
  for (const Layer& l : layers_) s += l.weight_elements();
  return s * dtype_bytes(dtype_);
}

int64_t Network::activation_bytes() const {
  int64_t s = 0;
  for (int id = 0; id < size(); ++id) s += output_bytes(id);
  return s;
}

int64_t Network::input_bytes(int id) const {
  int64_t s = 0;
  for (int p : layer(id).inputs) s += output_bytes(p);
  return s;
}

int64_t Network::output_bytes(int id) const { return layer(id).output.elements() * dtype_bytes(dtype_); }

}  // namespace rp::traces
