#include "nas/hurricane/supernet/supernet.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "nas/hurricane/supernet/supernet_impl.h"
#include "nas/train/torch_data.h"
#include "simulator/error.h"

namespace rp::hurricane {
namespace {

constexpr int kBnBatch = 250;  // batch-norm recalibration batch, as the proxy trainer

std::string hwc(const traces::Shape& s) {
  return std::to_string(s.h) + "x" + std::to_string(s.w) + "x" + std::to_string(s.c);
}

bool same_hwc(const traces::Shape& a, const traces::Shape& b) { return a.h == b.h && a.w == b.w && a.c == b.c; }

// The single input of a piece (its first layer); UsageError naming the piece otherwise.
traces::Shape piece_input(const traces::Network& n, const std::string& what) {
  if (n.size() < 2 || n.layer(0).kind != traces::LayerKind::kInput) {
    throw UsageError("supernet " + what + " ('" + n.name() + "') must start with its input and have an op");
  }
  for (int i = 1; i < n.size(); ++i) {
    if (n.layer(i).kind == traces::LayerKind::kInput) {
      throw UsageError("supernet " + what + " ('" + n.name() + "') has more than one input");
    }
  }
  return n.layer(0).output;
}

void check_input(const traces::Network& n, const std::string& what, const traces::Shape& expected,
                 const std::string& from) {
  const traces::Shape in = piece_input(n, what);
  if (!same_hwc(in, expected)) {
    throw UsageError("supernet " + what + " ('" + n.name() + "'): input " + hwc(in) + " does not match " + from + " " +
                     hwc(expected));
  }
}

int64_t numel(const std::vector<torch::Tensor>& ts) {
  int64_t n = 0;
  for (const auto& t : ts) n += t.numel();
  return n;
}

std::vector<float> to_floats(const std::vector<torch::Tensor>& ts) {
  std::vector<float> out;
  for (const auto& t : ts) {
    const torch::Tensor f = t.detach().to(torch::kFloat32).contiguous().flatten();
    out.insert(out.end(), f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
  }
  return out;
}

}  // namespace

Supernet::Supernet(const SupernetSpec& spec, uint64_t init_seed) : impl_(std::make_unique<Impl>()) {
  check_input(spec.stem, "stem", {1, 28, 28, 1}, "the Fashion-MNIST image");
  traces::Shape prev = spec.stem.layers().back().output;
  std::string from = "the stem's output";
  for (size_t l = 0; l < spec.layers.size(); ++l) {
    const std::string layer = "layer " + std::to_string(l);
    if (spec.layers[l].empty()) throw UsageError("supernet " + layer + " has no candidate op");
    traces::Shape out;
    for (size_t c = 0; c < spec.layers[l].size(); ++c) {
      const traces::Network& op = spec.layers[l][c];
      const std::string what = layer + " candidate " + std::to_string(c);
      check_input(op, what, prev, from);
      const traces::Shape o = op.layers().back().output;
      if (c == 0) out = o;
      if (!same_hwc(o, out)) {
        throw UsageError("supernet " + what + " ('" + op.name() + "'): output " + hwc(o) + " differs from candidate " +
                         "0's " + hwc(out));
      }
    }
    prev = out;
    from = layer + "'s output";
  }
  check_input(spec.head, "head", prev, from);
  const traces::Shape logits = spec.head.layers().back().output;
  if (logits.h != 1 || logits.w != 1 || logits.c != 10) {
    throw UsageError("supernet head ('" + spec.head.name() + "') must end in 1x1x10 logits, got " + hwc(logits));
  }

  torch::manual_seed(init_seed);
  Impl& m = *impl_;
  m.stem = m.root->register_module("stem", nas::IrModule(spec.stem));
  m.stem_params = numel(m.stem->parameters());
  for (size_t l = 0; l < spec.layers.size(); ++l) {
    m.ops.emplace_back();
    m.op_params.emplace_back();
    for (size_t c = 0; c < spec.layers[l].size(); ++c) {
      const std::string name = "layer" + std::to_string(l) + "_op" + std::to_string(c);
      m.ops[l].push_back(m.root->register_module(name, nas::IrModule(spec.layers[l][c])));
      m.op_params[l].push_back(numel(m.ops[l][c]->parameters()));
    }
  }
  m.head = m.root->register_module("head", nas::IrModule(spec.head));
  m.head_params = numel(m.head->parameters());
}

Supernet::~Supernet() = default;
Supernet::Supernet(Supernet&&) noexcept = default;
Supernet& Supernet::operator=(Supernet&&) noexcept = default;

int Supernet::layers() const { return static_cast<int>(impl_->ops.size()); }

int Supernet::candidates(int layer) const {
  if (layer < 0 || layer >= layers()) {
    throw std::logic_error("supernet layer " + std::to_string(layer) + " out of range");
  }
  return static_cast<int>(impl_->ops[static_cast<size_t>(layer)].size());
}

int64_t Supernet::path_params(const Path& path) const {
  impl_->check_path(path, "path");
  int64_t n = impl_->stem_params + impl_->head_params;
  for (size_t l = 0; l < path.size(); ++l) n += impl_->op_params[l][static_cast<size_t>(path[l])];
  return n;
}

int64_t Supernet::total_params() const { return numel(impl_->root->parameters()); }

std::vector<float> Supernet::weights(int layer, int op) const {
  if (op < 0 || op >= candidates(layer)) throw std::logic_error("supernet op " + std::to_string(op) + " out of range");
  return to_floats(impl_->ops[static_cast<size_t>(layer)][static_cast<size_t>(op)]->parameters());
}

std::vector<float> Supernet::all_weights() const {
  std::vector<torch::Tensor> ts;
  for (const auto& [name, t] : impl_->state()) ts.push_back(t);
  return to_floats(ts);
}

double Supernet::evaluate(const Path& path, const traces::FashionMnist& data, int64_t val_images, int64_t bn_images,
                          int threads, const StopCheck& stop) {
  impl_->check_path(path, "path");
  if (val_images < 1 || val_images > traces::FashionMnist::kValidation) {
    throw UsageError("val_images must be in 1.." + std::to_string(traces::FashionMnist::kValidation) + ", got " +
                     std::to_string(val_images));
  }
  if (bn_images < 0 || bn_images > data.train_pool()) {
    throw UsageError("bn_images must be in 0.." + std::to_string(data.train_pool()) + ", got " +
                     std::to_string(bn_images));
  }
  if (threads < 1) throw UsageError("threads must be >= 1, got " + std::to_string(threads));
  at::set_num_threads(threads);
  const nas::Forward forward = [&](const torch::Tensor& x) { return impl_->forward(path, x); };

  // The path's batch-norm state, put back afterwards: training resumes from it and other paths share the stem.
  struct Saved {
    torch::Tensor mean, var, count;
    c10::optional<double> momentum;
  };
  std::vector<torch::nn::BatchNorm2d> bns = impl_->path_bns(path);
  std::vector<Saved> saved;
  for (const auto& bn : bns) {
    saved.push_back(
        {bn->running_mean.clone(), bn->running_var.clone(), bn->num_batches_tracked.clone(), bn->options.momentum()});
  }
  const auto restore = [&] {
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < bns.size(); ++i) {
      bns[i]->running_mean.copy_(saved[i].mean);
      bns[i]->running_var.copy_(saved[i].var);
      bns[i]->num_batches_tracked.copy_(saved[i].count);
      bns[i]->options.momentum(saved[i].momentum);
    }
    impl_->root->train();
  };
  double acc = 0;
  try {
    poll(stop);
    if (bn_images > 0) {
      std::vector<int64_t> order(static_cast<size_t>(bn_images));
      std::iota(order.begin(), order.end(), 0);
      impl_->root->train();
      nas::recalibrate_bn(bns, forward, data.train, order, bn_images, kBnBatch);
    }
    poll(stop);
    impl_->root->eval();
    acc = nas::accuracy(forward, data.train, data.train_pool(), val_images);
  } catch (...) {
    restore();
    throw;
  }
  restore();
  return acc;
}

}  // namespace rp::hurricane
