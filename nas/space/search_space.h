#pragma once
// Factorized search spaces as data (MnasNet / EfficientNet, and EfficientNet-X's DC-accelerator additions).
// A space is a base network (block strings, stem, head) plus a list of decisions; an architecture is one option
// index per decision. Its canonical text joins the option labels: global decisions first, then one group per
// block, tokens joined by '_' and groups by ',', e.g. (efficientnet-x, 7 blocks)
//   "s2d1,k3_e1_se0.25_w1_l+0_dw_relu,k3_e6_se0.25_w1_l+0_fused_swish,..."
// parse() inverts it exactly. See docs/nas.md for the spaces' tables.
#include <string>
#include <vector>

#include "traces/zoo/mbconv_family.h"

namespace rp::nas {

// What a decision sets.
enum class Field { kKernel, kExpand, kSe, kFilters, kLayers, kConv, kAct, kSpaceToDepth };

struct Decision {
  std::string name;  // "block3.kernel", "s2d"
  Field field = Field::kKernel;
  int block = -1;                   // -1 for a global decision
  std::vector<std::string> labels;  // canonical token of each option, e.g. "k3", "k5"
  std::vector<double> values;       // the option's value (kernel 3, multiplier 0.75, delta -1, 0/1 switches)
};

using Choices = std::vector<int>;  // one option index per decision, in decision order

struct SearchSpace {
  std::string name;
  std::string description;
  std::vector<std::string> base_blocks;  // the base network's block strings (EfficientNet-B0)
  traces::FamilyParams family;           // stem, head, SE coefficient, activations of the ImageNet network
  std::vector<Decision> decisions;

  double size() const;  // number of architectures (product of option counts)
  int num_blocks() const { return static_cast<int>(base_blocks.size()); }
  std::string canonical(const Choices& c) const;
  // Throws UsageError naming the text and the first token that does not fit.
  Choices parse(const std::string& text) const;
  // Throws std::logic_error when `c` has the wrong length or an index out of range (a programming error).
  void check(const Choices& c) const;
};

// The built-in spaces: "efficientnet", "efficientnet-x". Unknown names throw UsageError listing the known ones.
const SearchSpace& search_space(const std::string& name);
std::vector<std::string> space_names();

}  // namespace rp::nas
