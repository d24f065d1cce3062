#pragma once
// The settings keys several kinds share, declared once here (experiments/settings/settings.h): a kind that has one
// of these keys declares it through this file, so the key has the same name, type, bounds, default and message in
// every kind (`set:` takes both of its forms everywhere; `epochs` has one range).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "experiments/settings/settings_io.h"
#include "nas/reward/reward.h"
#include "traces/data/image_sets.h"

namespace rp::kinds {

using settings::SettingsVisitor;

// kind: one of `kinds` (the file's kind was peeked to pick the kind; this declares the key), and name: an optional
// label (not part of the identity).
void declare_kind(SettingsVisitor& v, std::string& kind, const std::vector<std::string>& kinds, std::string& name);

// `run --output PATH` as a settings::read value ({} when `output` is empty).
std::vector<settings::CommandLineValue> output_option(const std::string& output);

// Reads `file` into a default S through its declaration `describe` (settings_io.h read()); `output`, when not
// empty, replaces the file's `output` (`run --output PATH`, relative to the current directory).
template <class S>
S load_settings(const std::string& file, void (*describe)(SettingsVisitor&, S&), const std::string& output = "") {
  S s;
  settings::read(
      traces::YamlMap::load_file(file), [&](SettingsVisitor& v) { describe(v, s); }, output_option(output));
  return s;
}
// The declaration `describe` over `s`, for the other operations of settings_io.h.
template <class S>
settings::Declare declaration(S& s, void (*describe)(SettingsVisitor&, S&)) {
  return [&s, describe](SettingsVisitor& v) { describe(v, s); };
}

// accelerator: NAME|FILE, set: overrides, batch: the latency batch (0 until resolve_hardware: its default_batch).
struct Hardware {
  std::string accelerator;
  std::vector<std::string> set;  // "key=value"
  int64_t batch = 0;
};
void declare_hardware(SettingsVisitor& v, Hardware& h);
// Builds the accelerator with its overrides (UsageError "FILE: key 'set': ..." when one does not apply) and
// resolves batch 0 to its default_batch.
void resolve_hardware(Hardware& h, const std::string& file);

// output: the HDF5 file (not part of the run's identity), relative to the experiment file's directory (the lock,
// journal and OUTPUT-STEM.files/ follow it); refused before any work when it exists and Ridgepoint did not write
// it, is not a regular file, or its directory is missing or not writable (check_output).
void declare_output(SettingsVisitor& v, std::string& output);
// traces::check_h5_output, and for a directory that cannot be written (an installed experiment's, read-only) the
// way out: "... (give a writable output: ridgepoint run FILE --output PATH)".
void check_output(const std::string& output);

// batch: [1, 10^6], 0 (absent) meaning the accelerator's default_batch.
void declare_batch(SettingsVisitor& v, int64_t& batch);
// resolution: [min, 4096] (the searches need >= 32: five stride-2 stages).
void declare_resolution(SettingsVisitor& v, int& resolution, int min, int fallback);
// point_limit: more points than the default 1,000,000 are refused unless this raises it (not part of the identity).
void declare_point_limit(SettingsVisitor& v, int64_t& limit);
void check_point_limit(double points, int64_t limit, const std::string& file, const std::string& key);
// A seed: an integer in [0, 2^62].
void declare_seed(SettingsVisitor& v, int64_t& seed);

// reward: {w: W} (soft: alpha = beta = W) or {alpha: A, beta: B}; exponents <= 0 (nas/reward/reward.h).
struct RewardSettings {
  double w = std::numeric_limits<double>::quiet_NaN();
  double alpha = std::numeric_limits<double>::quiet_NaN(), beta = std::numeric_limits<double>::quiet_NaN();
  // The exponents: alpha = beta = w when w was given; `fallback` when nothing was.
  nas::RewardSpec spec(double target_ms, const nas::RewardSpec& fallback) const;
};
// `more`: a kind's own keys of the reward section, declared after w, alpha and beta (NAS: `control`).
void declare_reward(SettingsVisitor& v, RewardSettings& r, bool optional, const SettingsVisitor::Body& more = {});

// Proxy training of candidates on Fashion-MNIST: images of the 50K training pool (the last 10K are the validation
// split), epochs, seed, and `threads`: LibTorch's intra-op threads per training process (1..64, default 1). A
// result is reproducible for a seed and a thread count (both are in the run's identity); another thread count may
// give other accuracies (docs/nas.md "Threads").
struct ProxyTraining {
  int64_t train_images = 10000;
  int epochs = 1;
  int64_t seed = 1;
  int threads = 1;
  std::string device = "cpu";  // cpu | cuda (declare_device; kinds that train with nas::train_proxy)
};
// What one section's proxy training takes (so `ridgepoint kinds KIND` lists only keys the section accepts):
// `what`: train_images' description; `dataset`: whether the section also takes a dataset: (declare_dataset), which
// that description then names; `threads`: whether it declares threads (HURRICANE's retrain: does not: it trains
// with supernet:'s).
struct ProxyTrainingKeys {
  std::string what = "training images per candidate";
  bool dataset = true;
  bool threads = true;
};
void declare_proxy_training(SettingsVisitor& v, ProxyTraining& t, int64_t default_images,
                            const ProxyTrainingKeys& keys = {});
// device: cpu | cuda, where proxy training runs (default cpu). `cuda` needs a CUDA-enabled LibTorch: the kind
// refuses it before any work otherwise (nas::check_device).
void declare_device(SettingsVisitor& v, ProxyTraining& t);
// dataset: {format: fashion-mnist | idx | cifar10 | image-dir, train: PATH, test: PATH, train_labels: PATH,
// test_labels: PATH, validation: N} (traces/data/image_sets.h; paths relative to the settings file); optional:
// absent is Fashion-MNIST from --fashion-mnist DIR.
void declare_dataset(SettingsVisitor& v, traces::DatasetSpec& d);
// "N NAME images x E epochs, seed S": a proxy's training budget as every kind's accuracy_budget attribute and
// written YAMLs state it; NAME is "Fashion-MNIST" or the data set's format (idx, cifar10, image-dir).
std::string proxy_training_text(const ProxyTraining& t, const traces::DatasetSpec& d);

}  // namespace rp::kinds
