#include "nas/space/search_space.h"

#include <stdexcept>

#include "simulator/error.h"
#include "simulator/split.h"

namespace rp::nas {
namespace {

// tensorflow/tpu efficientnet_builder.py _DEFAULT_BLOCKS_ARGS (EfficientNet-B0): the base of both spaces.
const std::vector<std::string> kB0Blocks = {"r1_k3_s11_e1_i32_o16_se0.25",  "r2_k3_s22_e6_i16_o24_se0.25",
                                            "r2_k5_s22_e6_i24_o40_se0.25",  "r3_k3_s22_e6_i40_o80_se0.25",
                                            "r3_k5_s11_e6_i80_o112_se0.25", "r4_k5_s22_e6_i112_o192_se0.25",
                                            "r1_k3_s11_e6_i192_o320_se0.25"};

struct FieldDef {
  Field field;
  const char* key;
  std::vector<std::string> labels;
  std::vector<double> values;
};

// The per-block options (MnasNet section 1.3 of nas-and-scaling.md; EfficientNet-X paper section 3).
const FieldDef kKernel{Field::kKernel, "kernel", {"k3", "k5"}, {3, 5}};
const FieldDef kExpand{Field::kExpand, "expand", {"e1", "e4", "e6"}, {1, 4, 6}};
const FieldDef kSe{Field::kSe, "se", {"se0", "se0.25"}, {0, 0.25}};
const FieldDef kFilters{Field::kFilters, "filters", {"w0.75", "w1", "w1.25"}, {0.75, 1.0, 1.25}};
const FieldDef kLayers{Field::kLayers, "layers", {"l-1", "l+0", "l+1"}, {-1, 0, 1}};
const FieldDef kConv{Field::kConv, "conv", {"dw", "fused"}, {0, 1}};
const FieldDef kAct{Field::kAct, "act", {"relu", "swish"}, {0, 1}};
const FieldDef kS2d{Field::kSpaceToDepth, "s2d", {"s2d0", "s2d1"}, {0, 1}};

SearchSpace make(std::string name, std::string desc, const std::vector<FieldDef>& global,
                 const std::vector<FieldDef>& per_block, const traces::FamilyParams& family) {
  SearchSpace s;
  s.name = std::move(name);
  s.description = std::move(desc);
  s.base_blocks = kB0Blocks;
  s.family = family;
  for (const auto& f : global) s.decisions.push_back({f.key, f.field, -1, f.labels, f.values});
  for (int b = 0; b < static_cast<int>(kB0Blocks.size()); ++b) {
    for (const auto& f : per_block) {
      s.decisions.push_back({"block" + std::to_string(b) + "." + f.key, f.field, b, f.labels, f.values});
    }
  }
  return s;
}

std::vector<SearchSpace> make_spaces() {
  // efficientnet: B0's stem, head and swish everywhere, SE coefficient 1, so EfficientNet-B0 is a member.
  traces::FamilyParams eff;
  // efficientnet-x: X-B0's stem (swish) and head (ReLU) and SE coefficient 4, so EfficientNet-X-B0 is a member;
  // every block carries its own activation decision.
  traces::FamilyParams x;
  x.se_coefficient = 4;
  x.stem_act = traces::Act::kSwish;
  x.head_act = traces::Act::kReLU;
  x.block_act = traces::Act::kReLU;
  return {make("efficientnet", "MnasNet/EfficientNet factorized space around EfficientNet-B0 (swish)", {},
               {kKernel, kExpand, kSe, kFilters, kLayers}, eff),
          make("efficientnet-x",
               "EfficientNet-X DC-accelerator space: + fused/depthwise MBConv, ReLU/swish per block, "
               "space-to-depth before stage 2",
               {kS2d}, {kKernel, kExpand, kSe, kFilters, kLayers, kConv, kAct}, x)};
}

// Every item, empty ones included (an architecture text with an empty group or token is refused by the caller).
std::vector<std::string> split(const std::string& s, char sep) {
  SplitOptions o;
  o.separator = sep;
  return split_list(s, o);
}

}  // namespace

double SearchSpace::size() const {
  double n = 1;
  for (const auto& d : decisions) n *= static_cast<double>(d.labels.size());
  return n;
}

void SearchSpace::check(const Choices& c) const {
  if (c.size() != decisions.size()) {
    throw std::logic_error("space " + name + ": architecture has " + std::to_string(c.size()) + " choices, expected " +
                           std::to_string(decisions.size()));
  }
  for (size_t i = 0; i < c.size(); ++i) {
    if (c[i] < 0 || c[i] >= static_cast<int>(decisions[i].labels.size())) {
      throw std::logic_error("space " + name + ": choice " + std::to_string(c[i]) + " out of range for " +
                             decisions[i].name);
    }
  }
}

std::string SearchSpace::canonical(const Choices& c) const {
  check(c);
  std::string out;
  int group = -2;
  for (size_t i = 0; i < c.size(); ++i) {
    const Decision& d = decisions[i];
    if (d.block != group) {
      if (group != -2) out += ',';
      group = d.block;
    } else {
      out += '_';
    }
    out += d.labels[static_cast<size_t>(c[i])];
  }
  return out;
}

Choices SearchSpace::parse(const std::string& text) const {
  std::vector<std::string> tokens;
  for (const auto& group : split(text, ',')) {
    for (const auto& t : split(group, '_')) tokens.push_back(t);
  }
  auto bad = [&](const std::string& what) -> UsageError {
    return UsageError("architecture '" + text + "' of space " + name + ": " + what);
  };
  if (tokens.size() != decisions.size()) {
    throw bad("has " + std::to_string(tokens.size()) + " tokens, expected " + std::to_string(decisions.size()));
  }
  Choices c(decisions.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    const auto& labels = decisions[i].labels;
    int found = -1;
    for (size_t o = 0; o < labels.size(); ++o) {
      if (labels[o] == tokens[i]) found = static_cast<int>(o);
    }
    if (found < 0) {
      std::string opts;
      for (const auto& l : labels) opts += (opts.empty() ? "" : "|") + l;
      throw bad("token '" + tokens[i] + "' for " + decisions[i].name + ", expected " + opts);
    }
    c[i] = found;
  }
  if (canonical(c) != text) throw bad("separators are not canonical (blocks joined by ',', tokens by '_')");
  return c;
}

const SearchSpace& search_space(const std::string& name) {
  static const std::vector<SearchSpace> spaces = make_spaces();
  for (const auto& s : spaces) {
    if (s.name == name) return s;
  }
  std::string known;
  for (const auto& s : spaces) known += (known.empty() ? "" : ", ") + s.name;
  throw UsageError("unknown search space '" + name + "' (known: " + known + ")");
}

std::vector<std::string> space_names() { return {"efficientnet", "efficientnet-x"}; }

}  // namespace rp::nas
