#include "network_spec.h"

#include "simulator/error.h"
#include "traces/zoo/block_string.h"
#include "traces/zoo/layer_list.h"
#include "traces/zoo/mbconv_family.h"

namespace rp::py {

NetworkSpec::NetworkSpec(const std::string& model) : model_(model) {
  name_ = traces::build_model(model, traces::BuildOptions{}).name();  // fails now, not at the first simulation
}

NetworkSpec NetworkSpec::from_blocks(const std::string& name, const std::vector<std::string>& blocks,
                                     const traces::FamilyParams& params) {
  if (blocks.empty()) throw UsageError(name + ": blocks: expected at least one block string");
  traces::MbconvSpec spec{name, {}, params};
  for (size_t i = 0; i < blocks.size(); ++i) {
    try {
      spec.blocks.push_back(traces::decode_block(blocks[i]));
    } catch (const UsageError& e) {
      throw UsageError(name + ": blocks[" + std::to_string(i) + "]: " + e.what());
    }
  }
  long long scaled = 0;  // the block limit of a network file, after depth scaling
  for (const auto& b : spec.blocks) scaled += traces::round_repeats(b.num_repeat, params.depth);
  if (scaled > traces::kMaxBlocks) {
    throw UsageError(name + ": blocks: " + std::to_string(scaled) +
                     " blocks after depth scaling, more than the limit of " + std::to_string(traces::kMaxBlocks));
  }
  NetworkSpec s;
  s.blocks_ = std::move(spec);
  s.name_ = name;
  s.build(traces::BuildOptions{});
  return s;
}

NetworkSpec NetworkSpec::from_layer_list(const std::string& file, const std::string& origin, int64_t input_batch) {
  const traces::YamlMap root = traces::YamlMap::load_file(file);
  if (!traces::is_layer_list(root)) throw UsageError(file + ": not a layer-list network file (no 'layers')");
  traces::BuildOptions o;
  o.batch = root.integer_in("batch", 1, 1, traces::kMaxBatch);
  NetworkSpec s;
  s.imported_ = traces::load_layer_list(root, o);
  s.model_ = origin;
  s.name_ = s.imported_->name();
  s.input_batch_ = input_batch;
  return s;
}

traces::Network NetworkSpec::build(const traces::BuildOptions& options) const {
  if (imported_) {
    traces::check_build_options(options);
    const traces::Network& n = *imported_;
    if (n.seq_len() == 0 && options.resolution > 0 && options.resolution != n.resolution()) {
      throw UsageError(model_ + ": resolution " + std::to_string(options.resolution) + " asked, but the imported " +
                       "model is fixed at its own (" + std::to_string(n.resolution()) + "): import it again at that " +
                       "input_shape");
    }
    return traces::rescale(n, options.batch, options.dtype);
  }
  if (!blocks_) return traces::build_model(model_, options);
  traces::check_build_options(options);
  traces::FamilyParams p = blocks_->params;
  if (options.resolution > 0) p.resolution = options.resolution;
  try {
    return traces::build_mbconv_family(blocks_->name, blocks_->blocks, p, options.batch, options.dtype);
  } catch (const UsageError& e) {
    throw UsageError(blocks_->name + ": " + e.what());
  }
}

std::string NetworkSpec::source() const {
  if (blocks_) return "blocks";
  if (imported_) return "imported";
  for (const auto& e : traces::zoo()) {
    if (e.name == model_) return "zoo";
  }
  return "file";
}

}  // namespace rp::py
