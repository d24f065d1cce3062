#pragma once
// A network as the Python module takes it: a zoo name or YAML network file (what the CLI takes as MODEL), or block
// strings with the stem / head settings of a network file (docs/models.md). It is built at each call, at that
// call's batch, resolution and precision, as the CLI builds its MODEL.
#include <optional>
#include <string>
#include <vector>

#include "traces/network/network.h"
#include "traces/zoo/zoo.h"

namespace rp::py {

class NetworkSpec {
 public:
  // A zoo name or a YAML network file; throws UsageError (as the CLI would) if it does not build.
  explicit NetworkSpec(const std::string& model);
  // Block strings (e.g. "r1_k3_s11_e1_i32_o16_se0.25") and family parameters; throws UsageError naming the block.
  static NetworkSpec from_blocks(const std::string& name, const std::vector<std::string>& blocks,
                                 const traces::FamilyParams& params);

  // A layer-list network file (traces/zoo/layer_list.h) read now and kept in memory: an imported model (Python's
  // Network.from_torchscript / from_onnx / from_file write it with `ridgepoint import`), rebuilt at each call's
  // batch and precision by the layer list's batch rule. input_batch > 0: the N of the input shape it was imported
  // with, the batch of a call that gives none (experiments/kinds/model_files.h, the batch rule).
  static NetworkSpec from_layer_list(const std::string& file, const std::string& origin, int64_t input_batch);

  traces::Network build(const traces::BuildOptions& options) const;
  const std::string& name() const { return name_; }
  std::string source() const;  // "zoo", "file", "blocks" or "imported"
  int64_t input_batch() const { return input_batch_; }
  const std::string& origin() const { return model_; }  // the zoo name, file, or the imported model's file

 private:
  NetworkSpec() = default;
  std::string model_;                         // zoo name or file (empty for blocks)
  std::optional<traces::MbconvSpec> blocks_;  // set for block strings
  std::optional<traces::Network> imported_;   // set for an imported model (at the batch it was written at)
  int64_t input_batch_ = 0;
  std::string name_;
};

}  // namespace rp::py
