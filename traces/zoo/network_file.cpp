#include "traces/zoo/network_file.h"

#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/mbconv_family.h"

namespace rp::traces {
namespace {

std::string stem_of(const std::string& file) {
  const size_t slash = file.find_last_of('/');
  std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
  const size_t dot = base.find_last_of('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

Act act_at(const YamlMap& m, const std::string& key, Act fallback, bool required) {
  if (!required && !m.has(key)) return fallback;
  try {
    return parse_act(m.str(key));
  } catch (const UsageError& e) {
    m.fail(key, e.what());
  }
}

}  // namespace

MbconvSpec load_network_spec(const std::string& file) {
  const YamlMap root = YamlMap::load_file(file);
  root.reject_unknown({"name", "resolution", "activation", "width", "depth", "se_coefficient", "stem", "blocks", "head"});
  FamilyParams p;
  p.resolution = static_cast<int>(root.integer("resolution"));
  if (p.resolution < 8) root.fail("resolution", "must be >= 8");
  p.block_act = act_at(root, "activation", Act::kReLU, true);
  p.width = root.number("width", 1.0);
  p.depth = root.number("depth", 1.0);
  p.se_coefficient = root.number("se_coefficient", 1.0);
  if (p.width <= 0) root.fail("width", "must be > 0");
  if (p.depth <= 0) root.fail("depth", "must be > 0");
  if (p.se_coefficient <= 0) root.fail("se_coefficient", "must be > 0");

  const YamlMap stem = root.map("stem");
  stem.reject_unknown({"filters", "kernel", "stride", "activation"});
  p.stem_filters = static_cast<int>(stem.integer("filters"));
  p.stem_kernel = static_cast<int>(stem.integer("kernel", 3));
  p.stem_stride = static_cast<int>(stem.integer("stride", 2));
  p.stem_act = act_at(stem, "activation", p.block_act, false);
  if (p.stem_filters < 1) stem.fail("filters", "must be >= 1");
  if (p.stem_kernel < 1) stem.fail("kernel", "must be >= 1");
  if (p.stem_stride < 1) stem.fail("stride", "must be >= 1");

  const YamlMap head = root.map("head");
  head.reject_unknown({"filters", "classes", "activation"});
  p.head_filters = static_cast<int>(head.integer("filters"));
  p.num_classes = static_cast<int>(head.integer("classes"));
  p.head_act = act_at(head, "activation", p.block_act, false);
  if (p.head_filters < 1) head.fail("filters", "must be >= 1");
  if (p.num_classes < 1) head.fail("classes", "must be >= 1");

  std::vector<BlockArgs> blocks;
  for (const auto& s : root.str_list("blocks")) {
    try {
      blocks.push_back(decode_block(s));
    } catch (const UsageError& e) {
      root.fail("blocks", e.what());
    }
  }
  return {root.str("name", stem_of(file)), blocks, p};
}

Network load_network_file(const std::string& file, const BuildOptions& options) {
  MbconvSpec s = load_network_spec(file);
  if (options.resolution > 0) s.params.resolution = options.resolution;
  try {
    return build_mbconv_family(s.name, s.blocks, s.params, options.batch, options.dtype);
  } catch (const UsageError& e) {
    throw UsageError(file + ": " + e.what());
  }
}

}  // namespace rp::traces
