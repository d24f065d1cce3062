#pragma once
// The model zoo: named networks buildable at any resolution and batch, plus YAML network files.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "traces/network/network.h"
#include "traces/zoo/mbconv_family.h"

namespace rp::traces {

struct BuildOptions {
  int64_t batch = 1;
  int resolution = 0;  // 0: the model's own default resolution
  DType dtype = DType::kF32;
};

// An MBConv-family network as data: its block strings (decoded) and builder parameters, before any build. This is
// what compound scaling (lacs/) scales: width, depth and resolution of `params`.
struct MbconvSpec {
  std::string name;
  std::vector<BlockArgs> blocks;
  FamilyParams params;
};

struct ZooEntry {
  std::string name;
  std::string description;
  int default_resolution;
  std::function<Network(const BuildOptions&)> build;  // options.resolution already resolved (never 0)
  std::optional<MbconvSpec> mbconv = std::nullopt;     // set for MBConv-family entries
};

// All zoo entries in listing order. The table is built once and is immutable.
const std::vector<ZooEntry>& zoo();

// Builds a zoo model by name, or a YAML network file when `spec` names a file (ends in .yaml / .yml or contains
// a '/'). Unknown names throw UsageError suggesting the nearest zoo names.
Network build_model(const std::string& spec, const BuildOptions& options);

// The MBConv spec of a zoo name (its default resolution) or of a network YAML file (a spec naming a file, as
// build_model). Throws UsageError for an unknown name or a zoo model that is not MBConv-built (resnet-50).
MbconvSpec mbconv_spec(const std::string& spec);

// Up to `count` zoo names closest to `name` by edit distance.
std::vector<std::string> nearest_names(const std::string& name, size_t count = 3);
// Up to `count` of `candidates` closest to `name` by edit distance (ties in candidate order).
std::vector<std::string> nearest_of(const std::string& name, const std::vector<std::string>& candidates, size_t count = 3);

}  // namespace rp::traces
