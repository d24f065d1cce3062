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

// Input limits (docs/models.md). Far beyond any published network (EfficientNet-B7: 600 x 600, width 2.0, depth 3.1,
// 640 stem-to-head filters x 4 = 2560 head filters; batches of 1024 or so per chip), and small enough that a layer's
// elements and MACs stay within 64 bits and a network builds and simulates in seconds.
constexpr int64_t kMaxBatch = 1000000;
constexpr int kMinResolution = 8, kMaxResolution = 4096;
constexpr double kMaxScale = 64;    // width, depth and SE coefficients of a network file
constexpr int kMaxFilters = 65536;  // stem and head filters of a network file
constexpr int kMaxKernel = 31, kMaxStride = 8;
constexpr int kMaxClasses = 1000000;
constexpr int kMaxBlocks = 10000;  // MBConv blocks after depth scaling (EfficientNet-B7: 55)

constexpr int64_t kMaxSeqLen = 1048576;  // tokens of a transformer's sequence (or KV cache)

struct BuildOptions {
  int64_t batch = 1;
  int resolution = 0;   // 0: the model's own default resolution
  int64_t seq_len = 0;  // 0: the model's own default sequence length (sequence models; images ignore it)
  DType dtype = DType::kF32;
};

// Throws UsageError unless batch is in [1, kMaxBatch], resolution is 0 (the model's own) or in
// [kMinResolution, kMaxResolution] and seq_len is 0 or in [1, kMaxSeqLen]: "<batch_name> must be <= 1000000, got
// 1000000000000".
void check_build_options(const BuildOptions& options, const std::string& batch_name = "batch",
                         const std::string& resolution_name = "resolution", const std::string& seq_name = "seq_len");

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
  int default_resolution;  // 0 for sequence models (token ids: resolution does not apply)
  // options.resolution (images) and options.seq_len (sequence models) already resolved (never 0 where they apply)
  std::function<Network(const BuildOptions&)> build;
  std::optional<MbconvSpec> mbconv = std::nullopt;  // set for MBConv-family entries
  int64_t default_seq_len = 0;                      // sequence models: tokens (a decode step: cached positions)
};

// All zoo entries in listing order. The table is built once and is immutable.
const std::vector<ZooEntry>& zoo();

// Builds a zoo model by name, or a YAML network file when `spec` names a file (ends in .yaml / .yml or contains
// a '/'). Unknown names throw UsageError suggesting the nearest zoo names.
Network build_model(const std::string& spec, const BuildOptions& options);

// The MBConv spec of a zoo name (its default resolution) or of a network YAML file (a spec naming a file, as
// build_model). Throws UsageError for an unknown name or a zoo model that is not MBConv-built (resnet-50).
MbconvSpec mbconv_spec(const std::string& spec);

// Up to `count` zoo names closest to `name` by edit distance (rp::nearest, simulator/suggest.h).
std::vector<std::string> nearest_names(const std::string& name, size_t count = 3);

}  // namespace rp::traces
