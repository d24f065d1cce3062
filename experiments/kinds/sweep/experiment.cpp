#include "experiments/kinds/sweep/experiment.h"

#include <cerrno>
#include <iomanip>
#include <set>
#include <sstream>

#include "simulator/error.h"
#include "traces/writers/output_guard.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/zoo.h"

namespace rp::run {
namespace {

std::string join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

// key -> list of scalar values, in document order; each list must be non-empty.
void read_axes(const traces::YamlMap& m, const std::string& section, std::vector<std::string>& keys,
               std::vector<std::vector<std::string>>& values) {
  const traces::YamlMap axes = m.map(section);
  if (axes.keys().empty()) m.fail(section, "is empty: give at least one key with a list of values");
  for (const auto& k : axes.keys()) {
    keys.push_back(k);
    values.push_back(axes.str_list(k));
  }
}

// Experiments past this many points are refused unless `point_limit` raises it (docs/experiments.md): a sweep of
// a million points on this kind of machine runs for hours, and one of 10^7 was never meant.
constexpr long long kDefaultPointLimit = 1000000;

bool is_workload_key(const std::string& k) { return k == "batch" || k == "resolution"; }

// A swept batch or resolution: an integer >= 1 (resolution >= 8), else UsageError naming the file, key and value.
long long workload_value(const std::string& file, const std::string& key, const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  const long long lo = key == "batch" ? 1 : traces::kMinResolution;
  const long long hi = key == "batch" ? traces::kMaxBatch : traces::kMaxResolution;
  if (text.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
    throw UsageError(file + ": grid key '" + key + "': expected an integer in [" + std::to_string(lo) + ", " +
                     std::to_string(hi) + "], got '" + text + "'");
  }
  return v;
}

}  // namespace

Experiment Experiment::load(const std::string& file) {
  const traces::YamlMap root = traces::YamlMap::load_file(file);
  root.reject_unknown({"kind", "models", "accelerators", "batch", "set", "output", "grid", "zip", "name",
                       "point_limit"});
  Experiment e;
  e.file = file;
  e.kind = root.str("kind");
  if (e.kind != "simulate" && e.kind != "sweep") {
    root.fail("kind", "unknown kind '" + e.kind + "' (expected one of simulate, sweep, nas, lacs)");
  }
  e.models = root.str_list("models");
  e.accelerators = root.str_list("accelerators");
  e.output = root.str("output");
  if (e.output.empty()) root.fail("output", "must be a file path");
  try {
    traces::check_h5_output(e.output);  // before any work: never a directory, never a file Ridgepoint did not write
  } catch (const UsageError& err) {
    root.fail("output", err.what());
  }
  e.batch = root.integer_in("batch", 0, 1, traces::kMaxBatch);
  const long long limit = root.integer_in("point_limit", kDefaultPointLimit, 1, 1000000000);
  if (root.has("set")) e.sets = root.str_list("set");

  std::vector<std::string> grid_keys, zip_keys;
  if (e.kind == "sweep") {
    if (!root.has("grid") && !root.has("zip")) root.fail("grid", "a sweep needs a 'grid' (or 'zip') of parameters");
    if (root.has("grid")) read_axes(root, "grid", grid_keys, e.grid);
    if (root.has("zip")) {
      read_axes(root, "zip", zip_keys, e.zip);
      for (size_t i = 1; i < e.zip.size(); ++i) {
        if (e.zip[i].size() != e.zip[0].size()) {
          root.fail("zip", "lists must have equal lengths ('" + zip_keys[0] + "' has " + std::to_string(e.zip[0].size()) +
                               ", '" + zip_keys[i] + "' has " + std::to_string(e.zip[i].size()) + ")");
        }
      }
    }
  } else if (root.has("grid") || root.has("zip")) {
    root.fail(root.has("grid") ? "grid" : "zip", "only a 'kind: sweep' experiment takes a grid or zip");
  }
  e.params = grid_keys;
  e.params.insert(e.params.end(), zip_keys.begin(), zip_keys.end());
  std::set<std::string> seen;
  for (const auto& k : e.params) {
    if (!seen.insert(k).second) root.fail(k, "appears twice among grid and zip keys");
  }
  // The point count, before anything is expanded (in double: a product of list lengths cannot overflow it).
  double points = static_cast<double>(e.models.size() * e.accelerators.size());
  for (const auto& values : e.grid) points *= static_cast<double>(values.size());
  if (!e.zip.empty()) points *= static_cast<double>(e.zip[0].size());
  if (points > static_cast<double>(limit)) {
    std::ostringstream count;
    count << std::fixed << std::setprecision(0) << points;
    root.fail(e.grid.empty() ? "zip" : "grid",
              count.str() + " points, more than the limit of " + std::to_string(limit) +
                  " (set 'point_limit: " + count.str() + "' to run them all)");
  }

  // Models exist (built at batch 1 here: cheap); every accelerator config is read once with the fixed sets; every
  // point's typed overrides apply cleanly.
  for (const auto& m : e.models) traces::build_model(m, traces::BuildOptions{});
  for (const auto& acc : e.accelerators) {
    try {
      e.configs.push_back(accel::AcceleratorConfig::load(acc).with_text(e.sets));
    } catch (const UsageError& err) {
      throw UsageError(file + ": accelerator " + acc + ": " + err.what());
    }
    const auto keys = e.configs.back().keys();
    for (const auto& k : e.params) {
      if (is_workload_key(k)) continue;
      if (std::find(keys.begin(), keys.end(), e.configs.back().resolve(k)) == keys.end()) {
        throw UsageError(file + ": unknown grid key '" + k + "' for accelerator " + acc + " (valid keys: " + join(keys) + ")");
      }
    }
  }
  for (const Point& p : e.points()) {
    try {
      e.configs[p.accelerator_index].with(p.typed);
    } catch (const UsageError& err) {
      throw UsageError(file + ": point " + std::to_string(p.index) + " (" + join(p.overrides, " ") + "): " + err.what());
    }
  }
  e.canonical = "kind=" + e.kind + ";models=" + join(e.models, ",") + ";accelerators=" + join(e.accelerators, ",") +
                ";batch=" + std::to_string(e.batch) + ";set=" + join(e.sets, ",");
  for (size_t i = 0; i < grid_keys.size(); ++i) e.canonical += ";grid." + grid_keys[i] + "=" + join(e.grid[i], ",");
  for (size_t i = 0; i < zip_keys.size(); ++i) e.canonical += ";zip." + zip_keys[i] + "=" + join(e.zip[i], ",");
  return e;
}

std::vector<Point> Experiment::points() const {
  // Parameter combinations: grid cartesian product (last key fastest), each combined with every zip position.
  std::vector<std::vector<std::string>> combos{{}};
  for (const auto& values : grid) {
    std::vector<std::vector<std::string>> next;
    for (const auto& c : combos) {
      for (const auto& v : values) {
        next.push_back(c);
        next.back().push_back(v);
      }
    }
    combos = std::move(next);
  }
  if (!zip.empty()) {
    std::vector<std::vector<std::string>> next;
    for (const auto& c : combos) {
      for (size_t j = 0; j < zip[0].size(); ++j) {
        next.push_back(c);
        for (const auto& values : zip) next.back().push_back(values[j]);
      }
    }
    combos = std::move(next);
  }
  std::vector<Point> out;
  for (size_t a = 0; a < accelerators.size(); ++a) {
    for (const auto& c : combos) {
      // Typed once per parameter combination (configs[a] exists once load() has read the accelerators).
      std::vector<accel::Override> typed;
      int64_t batch_value = 0;
      int resolution_value = 0;
      for (size_t i = 0; a < configs.size() && i < params.size(); ++i) {
        if (is_workload_key(params[i])) {
          const long long v = workload_value(file, params[i], c[i]);
          if (params[i] == "batch") batch_value = v;
          else resolution_value = static_cast<int>(v);
          continue;
        }
        typed.push_back(configs[a].parse_override(params[i] + "=" + c[i]));
      }
      for (const auto& m : models) {
        Point p;
        p.index = static_cast<int64_t>(out.size());
        p.accelerator = accelerators[a];
        p.accelerator_index = a;
        p.model = m;
        p.values = c;
        p.overrides = sets;
        for (size_t i = 0; i < params.size(); ++i) p.overrides.push_back(params[i] + "=" + c[i]);
        p.typed = typed;
        p.batch = batch_value;
        p.resolution = resolution_value;
        out.push_back(std::move(p));
      }
    }
  }
  return out;
}

}  // namespace rp::run
