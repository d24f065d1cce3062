// Supernet training (SPOS), checkpoints and weights as bytes (the rest of supernet.h is in supernet.cpp).
#include "nas/hurricane/supernet/supernet.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <numeric>
#include <sstream>

#include "nas/hurricane/supernet/supernet_impl.h"
#include "nas/train/torch_data.h"
#include "simulator/error.h"

namespace rp::hurricane {
namespace {

using torch::serialize::InputArchive;
using torch::serialize::OutputArchive;
using State = std::vector<std::pair<std::string, torch::Tensor>>;  // Supernet::Impl::state()

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kOrderStream = 1, kPathStream = 2;

// SplitMix64's finaliser: a bijective 64-bit mix.
uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A stateless 64-bit key of (seed, stream, a, b, c): the batch order of pass a, or the op of layer c in batch b of
// pass a. Nothing carries over between batches, so a resumed run draws what the uninterrupted run draws.
uint64_t key(uint64_t seed, uint64_t stream, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  uint64_t h = mix64(seed + kGolden);
  for (uint64_t v : {stream, a, b, c}) h = mix64(h ^ (v + kGolden));
  return h;
}

// The order of pass `pass` over images 0..n-1: Fisher-Yates driven by SplitMix64 from key(seed, pass). The modulo
// bias is below n / 2^64 (negligible for n <= 50000); unlike std::shuffle the result does not depend on the
// standard library.
std::vector<int64_t> pass_order(uint64_t seed, int64_t pass, int64_t n) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  uint64_t state = key(seed, kOrderStream, static_cast<uint64_t>(pass));
  for (int64_t i = n - 1; i > 0; --i) {
    state += kGolden;
    const auto j = static_cast<int64_t>(mix64(state) % static_cast<uint64_t>(i + 1));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  return order;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string describe(const std::string& name, const torch::Tensor& t) {
  std::string s = name + " ";
  for (int64_t d = 0; d < t.dim(); ++d) s += (d ? "x" : "") + std::to_string(t.size(d));
  return s;
}

// The archive's bytes.
std::string bytes_of(OutputArchive& a, const std::string& what) {
  std::ostringstream out(std::ios::binary);
  try {
    a.save_to(out);
  } catch (const c10::Error& e) {
    throw SimulationError("cannot serialize " + what + ": " + first_line(e.what_without_backtrace()));
  }
  return out.str();
}

void open_archive(InputArchive& a, const std::string& bytes, const std::string& source, const std::string& what) {
  try {
    a.load_from(bytes.data(), bytes.size());
  } catch (const c10::Error& e) {
    throw UsageError("cannot read " + what + " '" + source + "': " + first_line(e.what_without_backtrace()));
  }
}

// The supernet's parameters and buffers as "t0", "t1", ... plus a signature (every name and shape), which tells a
// file of another supernet apart.
std::string signature(const State& state) {
  std::string s;
  for (const auto& [name, t] : state) s += describe(name, t) + "\n";
  return s;
}

void write_state(const State& state, OutputArchive& a) {
  int i = 0;
  for (const auto& [name, t] : state) a.write("t" + std::to_string(i++), t.detach());
  a.write("signature", c10::IValue(signature(state)));
}

// Reads every tensor first and copies them in only when all are there with the right shapes.
void read_state(const State& state, InputArchive& a, const std::string& source, const std::string& what) {
  c10::IValue v;
  if (!a.try_read("signature", v) || !v.isString()) {
    throw UsageError(what + " '" + source + "' holds no supernet weights (no signature)");
  }
  const std::string theirs = v.toStringRef(), ours = signature(state);
  if (theirs != ours) {
    std::istringstream t(theirs), o(ours);
    std::string lt, lo;
    int n = 0;
    while (true) {
      const bool gt = static_cast<bool>(std::getline(t, lt)), go = static_cast<bool>(std::getline(o, lo));
      if (!gt || !go || lt != lo) {
        throw UsageError(what + " '" + source + "' holds another supernet's weights: tensor " + std::to_string(n) +
                         " is '" + (gt ? lt : "absent") + "' there, '" + (go ? lo : "absent") + "' here");
      }
      ++n;
    }
  }
  std::vector<torch::Tensor> read(state.size());
  for (size_t i = 0; i < state.size(); ++i) {
    if (!a.try_read("t" + std::to_string(i), read[i]) || !read[i].sizes().equals(state[i].second.sizes())) {
      throw UsageError(what + " '" + source + "' is corrupt: tensor " + state[i].first + " is missing or misshapen");
    }
  }
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < state.size(); ++i) state[i].second.copy_(read[i]);  // shares the module's storage
}

// What a checkpoint must agree on to be resumed (the image total and the thread count may change).
std::string fingerprint(const SupernetTrainOptions& o, const std::vector<char>& active) {
  std::ostringstream s;
  s.precision(17);
  s << "train_images " << o.train_images << ", batch " << o.batch << ", lr " << o.lr << ", seed " << o.seed
    << ", layers ";
  for (size_t l = 0; l < active.size(); ++l) {
    s << (l ? "," : "") << (active[l] ? std::string("*") : std::to_string(o.fixed[l]));
  }
  if (o.only_active_weights) s << ", only the active layers learn";
  return s.str();
}

std::string checkpoint_bytes(const State& state, const torch::optim::Adam& opt, int64_t done,
                             const std::string& print) {
  OutputArchive a;
  OutputArchive weights(a.compilation_unit()), adam(a.compilation_unit());
  write_state(state, weights);
  opt.save(adam);
  a.write("weights", weights);
  a.write("adam", adam);
  a.write("images_done", c10::IValue(done));
  a.write("options", c10::IValue(print));
  return bytes_of(a, "the supernet checkpoint");
}

int64_t load_checkpoint(const State& state, torch::optim::Adam& opt, const std::string& print, const std::string& bytes,
                        const std::string& source) {
  const std::string what = "supernet checkpoint";
  InputArchive a;
  open_archive(a, bytes, source, what);
  try {
    c10::IValue options, done;
    if (!a.try_read("options", options) || !options.isString() || !a.try_read("images_done", done) || !done.isInt()) {
      throw UsageError(what + " '" + source + "' is not a supernet checkpoint");
    }
    if (options.toStringRef() != print) {
      throw UsageError(what + " '" + source + "' was written with other options (" + options.toStringRef() + "; now " +
                       print + "); delete it to start over");
    }
    InputArchive weights, adam;
    a.read("weights", weights);
    read_state(state, weights, source, what);
    a.read("adam", adam);
    opt.load(adam);
    return done.toInt();
  } catch (const c10::Error& e) {
    throw UsageError("cannot read " + what + " '" + source + "': " + first_line(e.what_without_backtrace()));
  }
}

}  // namespace

std::string Supernet::save_weights() const {
  OutputArchive a;
  write_state(impl_->state(), a);
  return bytes_of(a, "the supernet weights");
}

void Supernet::load_weights(const std::string& bytes, const std::string& source) {
  InputArchive a;
  open_archive(a, bytes, source, "supernet weights");
  try {
    InputArchive weights;  // a checkpoint holds the weights as a nested archive
    if (a.try_read("weights", weights)) {
      read_state(impl_->state(), weights, source, "supernet weights");
    } else {
      read_state(impl_->state(), a, source, "supernet weights");
    }
  } catch (const c10::Error& e) {
    throw UsageError("cannot read supernet weights '" + source + "': " + first_line(e.what_without_backtrace()));
  }
}

void Supernet::restore_ops(const std::string& bytes, const std::string& source, const Path& path,
                           const std::vector<char>& layers) {
  impl_->check_path(path, "restore_ops: path");
  if (layers.size() != path.size()) {
    throw std::logic_error("restore_ops: `layers` has " + std::to_string(layers.size()) + " entries, the path " +
                           std::to_string(path.size()));
  }
  std::vector<std::string> prefixes;  // the modules' names (Supernet's constructor) and the dot of their members
  for (size_t l = 0; l < path.size(); ++l) {
    if (layers[l]) prefixes.push_back("layer" + std::to_string(l) + "_op" + std::to_string(path[l]) + ".");
  }
  const State state = impl_->state();
  std::vector<torch::Tensor> now;  // every current value, put back outside the chosen ops
  for (const auto& [name, t] : state) now.push_back(t.detach().clone());
  load_weights(bytes, source);  // whole or not at all (read_state)
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < state.size(); ++i) {
    const std::string& name = state[i].first;
    const bool chosen = std::any_of(prefixes.begin(), prefixes.end(),
                                    [&](const std::string& p) { return name.compare(0, p.size(), p) == 0; });
    if (!chosen) state[i].second.copy_(now[i]);
  }
}

SupernetTrainStats Supernet::train(const traces::FashionMnist& data, const SupernetTrainOptions& o,
                                   const std::function<void(int64_t, int64_t)>& progress) {
  const int64_t pool = data.train_pool();
  if (o.images < 1) throw UsageError("supernet images must be >= 1, got " + std::to_string(o.images));
  if (o.train_images < 1 || o.train_images > pool) {
    throw UsageError("supernet train_images must be in 1.." + std::to_string(pool) + ", got " +
                     std::to_string(o.train_images));
  }
  if (o.batch < 2) throw UsageError("supernet batch must be >= 2 (batch norm), got " + std::to_string(o.batch));
  if (!(o.lr > 0)) throw UsageError("supernet lr must be > 0, got " + std::to_string(o.lr));
  if (o.threads < 1) throw UsageError("threads must be >= 1, got " + std::to_string(o.threads));
  if (o.checkpoint_every_images < 1) {
    throw UsageError("checkpoint_every_images must be >= 1, got " + std::to_string(o.checkpoint_every_images));
  }
  Impl& m = *impl_;
  const size_t n_layers = m.ops.size();
  std::vector<char> active = o.active.empty() ? std::vector<char>(n_layers, 1) : o.active;
  if (active.size() != n_layers) {
    throw std::logic_error("supernet training: `active` has " + std::to_string(active.size()) + " entries, the " +
                           "supernet " + std::to_string(n_layers) + " layers");
  }
  const bool all_active = std::all_of(active.begin(), active.end(), [](char a) { return a != 0; });
  if (!all_active) m.check_path(o.fixed, "supernet training: fixed path");

  at::set_num_threads(o.threads);
  const std::vector<torch::Tensor> params = m.root->parameters();
  const std::vector<torch::Tensor> held =
      o.only_active_weights ? m.held_parameters(active) : std::vector<torch::Tensor>{};
  torch::optim::Adam& opt = m.optimizer(o.lr);
  const std::string print = fingerprint(o, active);
  SupernetTrainStats st;
  int64_t done = 0;
  if (o.resume) done = load_checkpoint(m.state(), opt, print, *o.resume, o.resume_name);
  st.resumed_from = done;

  const auto start = std::chrono::steady_clock::now();
  const int64_t n = o.train_images;
  int64_t order_pass = -1;
  std::vector<int64_t> order;
  std::deque<double> losses;
  int64_t next_checkpoint = (done / o.checkpoint_every_images + 1) * o.checkpoint_every_images;
  Path path(n_layers);
  m.root->train();
  while (done < o.images) {
    poll(o.stop);
    // Batches start at multiples of `batch` within each pass, so `done` is always on a batch boundary.
    const int64_t pass = done / n, begin = done % n, end = std::min(n, begin + o.batch);
    const int64_t batch_index = begin / o.batch;
    done += end - begin;
    if (end - begin >= 2) {
      if (pass != order_pass) {
        order = pass_order(o.seed, pass, n);
        order_pass = pass;
      }
      for (size_t l = 0; l < n_layers; ++l) {
        path[l] = active[l] ? static_cast<int>(key(o.seed, kPathStream, static_cast<uint64_t>(pass),
                                                   static_cast<uint64_t>(batch_index), l) %
                                               m.ops[l].size())
                            : o.fixed[l];
      }
      const torch::Tensor x = nas::images(data.train, order, static_cast<size_t>(begin), static_cast<size_t>(end));
      const torch::Tensor y = nas::labels(data.train, order, static_cast<size_t>(begin), static_cast<size_t>(end));
      const torch::Tensor loss = torch::nn::functional::cross_entropy(m.forward(path, x), y);
      // Gradients are cleared to undefined (not zero), so Adam skips the ops this batch did not use instead of
      // moving them along their old momentum.
      for (auto p : params) p.mutable_grad() = torch::Tensor();
      loss.backward();
      for (auto p : held) p.mutable_grad() = torch::Tensor();  // Adam skips them too
      opt.step();
      losses.push_back(loss.item<double>());
      if (losses.size() > 20) losses.pop_front();
    }
    if (o.checkpoint && done >= next_checkpoint && done < o.images) {
      o.checkpoint(done, checkpoint_bytes(m.state(), opt, done, print));
      next_checkpoint = (done / o.checkpoint_every_images + 1) * o.checkpoint_every_images;
    }
    if (progress) progress(std::min(done, o.images), o.images);
  }
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  st.images_done = done;
  st.images_per_s = static_cast<double>(done - st.resumed_from) / std::max(st.seconds, 1e-9);
  if (!losses.empty()) st.final_loss = std::accumulate(losses.begin(), losses.end(), 0.0) / losses.size();
  if (o.checkpoint && done > st.resumed_from) o.checkpoint(done, checkpoint_bytes(m.state(), opt, done, print));
  return st;
}

}  // namespace rp::hurricane
