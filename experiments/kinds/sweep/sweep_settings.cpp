#include "experiments/kinds/sweep/sweep_settings.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>

#include "experiments/kinds/kind.h"
#include "experiments/kinds/model_files.h"
#include "experiments/kinds/shared_settings.h"
#include "experiments/run/identity.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

namespace rp::kinds {
namespace {

using settings::Axis;
using settings::TextSpec;

bool is_workload_key(const std::string& k) { return k == "batch" || k == "resolution" || k == "seq_len"; }

// A swept batch, resolution or sequence length: an integer in its bounds (traces/zoo/zoo.h), else UsageError naming
// the file, key and value.
long long workload_value(const std::string& file, const std::string& key, const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  const long long lo = key == "resolution" ? traces::kMinResolution : 1;
  const long long hi = key == "batch"     ? traces::kMaxBatch
                       : key == "seq_len" ? traces::kMaxSeqLen
                                          : traces::kMaxResolution;
  if (text.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
    throw UsageError(file + ": grid key '" + key + "': expected an integer in [" + std::to_string(lo) + ", " +
                     std::to_string(hi) + "], got '" + text + "'");
  }
  return v;
}

// Every combination of the swept values: the grid's cartesian product (last key fastest), each with every zip
// position.
std::vector<std::vector<std::string>> combinations(const SweepSettings& s) {
  std::vector<std::vector<std::string>> combos{{}};
  for (const Axis& a : s.grid) {
    std::vector<std::vector<std::string>> next;
    for (const auto& c : combos) {
      for (const auto& v : a.values) {
        next.push_back(c);
        next.back().push_back(v);
      }
    }
    combos = std::move(next);
  }
  if (s.zip.empty()) return combos;
  std::vector<std::vector<std::string>> next;
  for (const auto& c : combos) {
    for (size_t j = 0; j < s.zip[0].values.size(); ++j) {
      next.push_back(c);
      for (const Axis& a : s.zip) next.back().push_back(a.values[j]);
    }
  }
  return next;
}

void check_axes(const Sweep& w, const std::string& file) {
  const SweepSettings& s = w.settings;
  for (size_t i = 1; i < s.zip.size(); ++i) {
    if (s.zip[i].values.size() != s.zip[0].values.size()) {
      throw UsageError(file + ": key 'zip': lists must have equal lengths ('" + s.zip[0].key + "' has " +
                       std::to_string(s.zip[0].values.size()) + ", '" + s.zip[i].key + "' has " +
                       std::to_string(s.zip[i].values.size()) + ")");
    }
  }
  std::set<std::string> seen;
  for (const auto& k : w.keys) {
    if (!seen.insert(k).second) throw UsageError(file + ": key '" + k + "': appears twice among grid and zip keys");
  }
  // The point count before anything is expanded (in double: a product of list lengths cannot overflow it).
  double points = static_cast<double>(s.models.size() * s.accelerators.size());
  for (const Axis& a : s.grid) points *= static_cast<double>(a.values.size());
  if (!s.zip.empty()) points *= static_cast<double>(s.zip[0].values.size());
  check_point_limit(points, s.point_limit, file, s.grid.empty() ? "zip" : "grid");
}

// Each accelerator's config read once, with the fixed overrides; every swept accelerator key exists for it.
void read_configs(Sweep& w, const std::string& file) {
  for (const auto& acc : w.settings.accelerators) {
    try {
      w.configs.push_back(accel::AcceleratorConfig::load(acc).with_text(w.settings.set));
    } catch (const UsageError& err) {
      throw UsageError(file + ": accelerator " + acc + ": " + err.what());
    }
    const auto keys = w.configs.back().keys();
    for (const auto& k : w.keys) {
      if (is_workload_key(k)) continue;
      if (std::find(keys.begin(), keys.end(), w.configs.back().resolve(k)) == keys.end()) {
        throw UsageError(file + ": grid: " + w.configs.back().unknown_key_message(k));
      }
    }
  }
}

// The points, each typed once (its accelerator values applied once, to report a bad value before any work).
void expand(Sweep& w, const std::string& file) {
  const std::vector<std::vector<std::string>> combos = combinations(w.settings);
  for (size_t a = 0; a < w.settings.accelerators.size(); ++a) {
    for (const auto& c : combos) {
      Point p;
      p.accelerator_index = a;
      p.accelerator = w.settings.accelerators[a];
      p.values = c;
      for (size_t i = 0; i < w.keys.size(); ++i) {
        if (!is_workload_key(w.keys[i])) {
          p.typed.push_back(w.configs[a].parse_override(w.keys[i] + "=" + c[i]));
        } else if (w.keys[i] == "batch") {
          p.batch = workload_value(file, w.keys[i], c[i]);
        } else if (w.keys[i] == "seq_len") {
          p.seq_len = workload_value(file, w.keys[i], c[i]);
        } else {
          p.resolution = static_cast<int>(workload_value(file, w.keys[i], c[i]));
        }
      }
      try {
        w.configs[a].with(p.typed);
      } catch (const UsageError& err) {
        std::string shown;
        for (size_t i = 0; i < w.keys.size(); ++i) shown += (i ? " " : "") + w.keys[i] + "=" + c[i];
        throw UsageError(file + ": point " + std::to_string(w.points.size()) + " (" + shown + "): " + err.what());
      }
      for (const auto& m : w.settings.models) {
        p.index = static_cast<int64_t>(w.points.size());
        p.model = m;
        w.points.push_back(p);
      }
    }
  }
}

}  // namespace

void check_model(const std::string& model) {
  const Importer* imp = importer_for(model);
  if (!imp) {
    traces::build_model(model, traces::BuildOptions{});
    return;
  }
  run::input_file("network", model);  // readable now; imported once when the run starts (ModelCache)
  if (imp->import == import_torchscript_file && !libtorch_linked()) {
    throw NeedsLibTorch("a TorchScript model (" + model + ")");  // ridgepoint-torch runs the whole command
  }
}

void describe(settings::SettingsVisitor& v, SweepSettings& s) {
  declare_kind(v, s.kind, {"simulate", "sweep"}, s.name);
  v.list("models", s.models,
         TextSpec::required("the networks: zoo names, network files or model files (.pt, .onnx)", TextSpec::kNetwork)
             .checked(check_model));
  v.list("accelerators", s.accelerators,
         TextSpec::required("the accelerators: built-in names or YAML files", TextSpec::kAccelerator)
             .checked([](const std::string& a) { accel::AcceleratorConfig::load(a); }));
  declare_batch(v, s.batch);
  v.overrides("set", s.set, "accelerator overrides applied to every point, as --set");
  declare_output(v, s.output);
  declare_point_limit(v, s.point_limit);
  v.axes("grid", s.grid, "sweep: accelerator keys (or batch, resolution, seq_len) and their values; every combination");
  v.axes("zip", s.zip, "sweep: keys whose values move together (equal-length lists), crossed with the grid");
  const bool axes = v.given("grid") || v.given("zip");
  v.require(s.kind == "sweep" || !axes, v.given("grid") ? "grid" : "zip",
            "only a 'kind: sweep' experiment takes a grid or zip");
  v.require(s.kind != "sweep" || axes, "grid", "a sweep needs a 'grid' (or 'zip') of parameters");
}

std::vector<settings::KeyInfo> sweep_keys() {
  SweepSettings s;
  return settings::list(declaration(s, describe));
}

Sweep load_sweep(const std::string& file, const std::string& kind, const std::string& output) {
  Sweep w;
  w.settings.kind = kind;
  w.settings = load_settings<SweepSettings>(file, describe, output);
  for (const auto& a : w.settings.grid) w.keys.push_back(a.key);
  for (const auto& a : w.settings.zip) w.keys.push_back(a.key);
  check_axes(w, file);
  read_configs(w, file);
  expand(w, file);
  return w;
}

}  // namespace rp::kinds
