#include "experiments/kinds/shared_settings.h"

#include <cmath>
#include <cstdio>

#include "accel_models/config/accelerator_config.h"
#include "simulator/error.h"
#include "traces/writers/output_guard.h"
#include "traces/zoo/zoo.h"

namespace rp::kinds {

using settings::ParamSpec;
using settings::TextSpec;

void declare_kind(SettingsVisitor& v, std::string& kind, const std::vector<std::string>& kinds, std::string& name) {
  v.text("kind", kind, TextSpec::word(kinds, std::nullopt, "the kind of experiment"));
  v.text("name", name, TextSpec::optional("", "a label for the experiment").outside_identity());
}

void declare_hardware(SettingsVisitor& v, Hardware& h) {
  v.text("accelerator", h.accelerator,
         TextSpec::required("the accelerator simulated: a built-in name or a YAML file", TextSpec::kAccelerator)
             .checked([](const std::string& a) { accel::AcceleratorConfig::load(a); }));
  v.overrides("set", h.set, "accelerator overrides, as --set (e.g. {hbm.bandwidth_gbps: 1200})");
  declare_batch(v, h.batch);
}

void resolve_hardware(Hardware& h, const std::string& file) {
  try {
    const auto acc = accel::AcceleratorConfig::load(h.accelerator).with_text(h.set).build();
    if (h.batch == 0) h.batch = acc->info().default_batch;
  } catch (const UsageError& err) {
    throw UsageError(file + ": key 'set': " + err.what());
  }
}

void declare_output(SettingsVisitor& v, std::string& output) {
  v.text("output", output,
         TextSpec::required("the HDF5 output (relative paths: to the experiment file's directory; `run --output "
                            "PATH` replaces it); side files go to OUTPUT-STEM.files/")
             .checked(check_output)
             .file_relative()
             .outside_identity());
}

void check_output(const std::string& output) {
  try {
    traces::check_h5_output(output);
  } catch (const UsageError& e) {
    const std::string what = e.what();
    if (what.rfind("cannot write", 0) != 0) throw;
    // A directory the user cannot write (an installed experiment's): say how to write elsewhere.
    throw UsageError(what + " (give a writable output: ridgepoint run FILE --output PATH)");
  }
}

std::vector<settings::CommandLineValue> output_option(const std::string& output) {
  if (output.empty()) return {};
  return {{"output", "--output", output}};
}

void declare_batch(SettingsVisitor& v, int64_t& batch) {
  v.integer("batch", batch,
            ParamSpec::between(1, static_cast<double>(traces::kMaxBatch), "images",
                               "batch of the simulated inferences (absent: the accelerator's default_batch)")
                .or_default(0));
}

void declare_resolution(SettingsVisitor& v, int& resolution, int min, int fallback) {
  v.integer("resolution", resolution,
            ParamSpec::between(min, traces::kMaxResolution, "px", "input resolution of the ImageNet-scale networks")
                .or_default(fallback));
}

void declare_point_limit(SettingsVisitor& v, int64_t& limit) {
  v.integer("point_limit", limit,
            ParamSpec::between(1, 1e9, "points", "refuse more points than this (a guard against typos)")
                .or_default(1000000)
                .outside_identity());
}

void check_point_limit(double points, int64_t limit, const std::string& file, const std::string& key) {
  if (points <= static_cast<double>(limit)) return;
  char count[40];
  std::snprintf(count, sizeof count, "%.0f", points);
  throw UsageError(file + ": key '" + key + "': " + count + " points, more than the limit of " + std::to_string(limit) +
                   " (set 'point_limit: " + count + "' to run them all)");
}

void declare_seed(SettingsVisitor& v, int64_t& seed) {
  v.integer("seed", seed, ParamSpec::between(0, 4611686018427387904.0, "", "random seed").or_default(1));
}

nas::RewardSpec RewardSettings::spec(double target_ms, const nas::RewardSpec& fallback) const {
  if (std::isfinite(w)) return nas::RewardSpec::soft(target_ms, w);
  if (std::isfinite(alpha)) return {target_ms, alpha, beta};
  nas::RewardSpec r = fallback;
  r.target_ms = target_ms;
  return r;
}

void declare_reward(SettingsVisitor& v, RewardSettings& r, bool optional, const SettingsVisitor::Body& more) {
  v.section(
      "reward",
      [&](SettingsVisitor& s) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const ParamSpec exponent = ParamSpec::between(-100, 0, "", "").or_default(nan);
        ParamSpec w = exponent, a = exponent, b = exponent;
        w.description = "soft constraint: ACC x (LAT/T)^w on both sides of T (e.g. -0.07)";
        a.description = "exponent when LAT <= T (hard constraint: 0)";
        b.description = "exponent when LAT > T (hard constraint: -1)";
        s.real("w", r.w, w);
        s.real("alpha", r.alpha, a);
        s.real("beta", r.beta, b);
        s.require(!(s.given("w") && (s.given("alpha") || s.given("beta"))), "w",
                  "give either w or alpha and beta, not both");
        s.require(s.given("alpha") == s.given("beta"), s.given("alpha") ? "beta" : "alpha",
                  "give alpha and beta together (or w alone)");
        s.require(optional || s.given("w") || s.given("alpha"), "w",
                  "expected {w: W} (soft, e.g. -0.07) or {alpha: A, beta: B} (hard: alpha 0, beta -1)");
        if (more) more(s);
      },
      optional);
}

void declare_proxy_training(SettingsVisitor& v, ProxyTraining& t, int64_t default_images,
                            const ProxyTrainingKeys& keys) {
  const std::string fashion = keys.what + " (Fashion-MNIST: its 60K less the 10K validation split";
  v.integer("train_images", t.train_images,
            ParamSpec::between(
                1, 50000, "images",
                keys.dataset ? fashion + "; a dataset: at most its images before the validation split)" : fashion + ")")
                .or_default(static_cast<double>(default_images)));
  v.integer("epochs", t.epochs, ParamSpec::between(1, 1000, "", "passes over those images").or_default(1));
  declare_seed(v, t.seed);
  if (!keys.threads) return;
  v.integer("threads", t.threads,
            ParamSpec::between(1, 64, "",
                               "LibTorch intra-op threads per training process (results are reproducible "
                               "for a seed and a thread count)")
                .or_default(1));
}

std::string proxy_training_text(const ProxyTraining& t, const traces::DatasetSpec& d) {
  const std::string name = d.format == "fashion-mnist" ? std::string("Fashion-MNIST") : d.format;
  return std::to_string(t.train_images) + " " + name + " images x " + std::to_string(t.epochs) + " epochs, seed " +
         std::to_string(t.seed);
}

void declare_dataset(SettingsVisitor& v, traces::DatasetSpec& d) {
  v.section(
      "dataset",
      [&](SettingsVisitor& g) {
        g.text("format", d.format,
               TextSpec::word({"fashion-mnist", "idx", "cifar10", "image-dir"}, std::string("fashion-mnist"),
                              "proxy: the training data (docs/nas.md \"Data sets\"; only with method proxy)"));
        const auto path = [&](const char* key, std::string& value, const char* what) {
          g.text(key, value, TextSpec::optional("", what).file_relative());
        };
        path("train", d.train, "idx: image file; cifar10: .bin file or directory; image-dir: ROOT/CLASS/*.pgm|*.ppm");
        path("test", d.test, "the test images, as train");
        path("train_labels", d.train_labels, "idx: the training labels' IDX file");
        path("test_labels", d.test_labels, "idx: the test labels' IDX file");
        g.integer("validation", d.validation,
                  ParamSpec::between(1, 10000000, "images", "the last training images, the validation split")
                      .or_default(10000));
        const bool fashion = d.format == "fashion-mnist", idx = d.format == "idx";
        for (const char* k : {"train", "test"}) {
          g.require(fashion || g.given(k), k, "required for format: " + d.format);
          g.require(!fashion || !g.given(k), k, "not for format: fashion-mnist (read from --fashion-mnist DIR)");
        }
        for (const char* k : {"train_labels", "test_labels"})
          g.require(!idx || g.given(k), k, "required for format: idx");
        for (const char* k : {"train_labels", "test_labels"}) g.require(idx || !g.given(k), k, "for format: idx only");
        g.require(!fashion || !g.given("validation"), "validation", "Fashion-MNIST's validation split is 10000");
      },
      true);
}

void declare_device(SettingsVisitor& v, ProxyTraining& t) {
  v.text("device", t.device,
         TextSpec::word({"cpu", "cuda"}, std::string("cpu"),
                        "where proxy training runs (cuda: needs a CUDA-enabled LibTorch; Debian's is CPU-only)"));
}

}  // namespace rp::kinds
