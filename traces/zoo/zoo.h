#pragma once
// The model zoo: named networks buildable at any resolution and batch, plus YAML network files.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "traces/network/network.h"

namespace rp::traces {

struct BuildOptions {
  int64_t batch = 1;
  int resolution = 0;  // 0: the model's own default resolution
  DType dtype = DType::kF32;
};

struct ZooEntry {
  std::string name;
  std::string description;
  int default_resolution;
  std::function<Network(const BuildOptions&)> build;  // options.resolution already resolved (never 0)
};

// All zoo entries in listing order. The table is built once and is immutable.
const std::vector<ZooEntry>& zoo();

// Builds a zoo model by name, or a YAML network file when `spec` names a file (ends in .yaml / .yml or contains
// a '/'). Unknown names throw UsageError suggesting the nearest zoo names.
Network build_model(const std::string& spec, const BuildOptions& options);

// Up to `count` zoo names closest to `name` by edit distance.
std::vector<std::string> nearest_names(const std::string& name, size_t count = 3);

}  // namespace rp::traces
