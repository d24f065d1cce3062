#pragma once
// HURRICANE's candidate operator pool (Zhang et al., CVPRW 2020; digest: shared/reference/hurricane.md): 32 ops in
// four basic structures, each added to the network IR by add_op() and turned into a LibTorch module layer by layer
// (nas/train/ir_module.h), so the IR and the trained module are one definition.
//   SEP_k      depthwise-separable conv: dw k x k (stride) + BN + ReLU, pw 1x1 -> out + BN + ReLU (no skip)
//   MB_k_e     inverted bottleneck: [pw 1x1 -> in*e + BN + ReLU, when e > 1], dw k x k (stride) + BN + ReLU,
//              pw 1x1 -> out + BN (linear); identity skip when stride 1 and in == out
//   Choice_k   ShuffleNetV2 unit (SPOS "Choice" block). Stride 1 and in == out: channel split in halves, the
//              right half through pw 1x1 + BN + ReLU, dw k x k + BN, pw 1x1 + BN + ReLU, concat with the left
//              half, channel shuffle (2 groups). Otherwise (downsampling or a width change) both branches read the
//              whole input: projection dw k x k (stride) + BN, pw 1x1 -> out/2 + BN + ReLU; main branch as above
//              (dw with the stride) -> out - out/2; concat, shuffle. Ours gives each branch half the output; SPOS
//              gives the projection the input width (the two agree when out = 2 x in).
//   Choice_x   the Xception-like unit of SPOS: as Choice but the main branch is three (dw 3x3 + BN, pw 1x1 + BN +
//              ReLU) in a row, the first dw with the stride.
//   *_SE       any of the above with squeeze-and-excitation (r = 4) after the depthwise conv (SEP, MB) or on the
//              main branch's output (Choice): global avg pool, 1x1 conv -> c/4 + ReLU, 1x1 conv -> c, hswish
//              gate (HURRICANE replaces the sigmoid by hswish), multiply.
// Mid widths: MB's expansion in*e; Choice's main branch works at its output width (out/2 or out - out/2).
// Names: SEP_3, MB_5_6, Choice_7, Choice_x, MB_3_1_SE, ... (kernel k in 3/5/7, expansion e in 1/3/6).
#include <cstdint>
#include <string>
#include <vector>

#include "traces/network/network.h"

namespace rp::traces {

struct OpSpec {
  enum class Kind { kSep, kMb, kChoice, kChoiceX };
  Kind kind = Kind::kSep;
  int kernel = 3;  // 3 for Choice_x
  int expand = 1;  // MB only
  bool se = false;
  std::string name() const;
};

// The 32 ops in canonical order: SEP_3/5/7, MB_k_e (k outer, e inner), Choice_3/5/7, Choice_x, then their _SE forms.
const std::vector<OpSpec>& op_pool();
std::vector<std::string> op_pool_names();

// Parses an op name; UsageError "unknown op 'X' (expected one of SEP_3, ...; did you mean Y?)".
OpSpec parse_op(const std::string& name);

// Adds `op` reading layer `input` (C_in channels) and producing `out_channels` at the given stride; layer names are
// prefixed with `prefix` and tagged with group `prefix`. Returns the id of the op's last layer. UsageError when the
// shapes do not fit (a Choice op needs an even output width).
int add_op(Network& n, const std::string& prefix, int input, const OpSpec& op, int64_t out_channels, int stride);

}  // namespace rp::traces
