// libFuzzer harness: the block-string codec (traces/zoo/block_string.h). Any input either decodes or throws
// rp::UsageError; a decoded block encodes to a string that decodes to the same block (the squeeze-excite ratio
// to the 6 significant digits that encode_block writes). Anything else (a crash, another exception, a sanitizer
// report, a round trip that differs) is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "simulator/error.h"
#include "traces/zoo/block_string.h"

namespace {

bool same(const rp::traces::BlockArgs& a, const rp::traces::BlockArgs& b) {
  if (a.se_ratio.has_value() != b.se_ratio.has_value()) return false;
  // %g keeps 6 significant digits: the relative error is at most 5e-6.
  if (a.se_ratio && std::fabs(*a.se_ratio - *b.se_ratio) > 5e-6 * std::fabs(*a.se_ratio)) return false;
  return a.num_repeat == b.num_repeat && a.kernel_size == b.kernel_size && a.stride_h == b.stride_h &&
         a.stride_w == b.stride_w && a.expand_ratio == b.expand_ratio && a.input_filters == b.input_filters &&
         a.output_filters == b.output_filters && a.id_skip == b.id_skip && a.fused == b.fused &&
         a.space2depth == b.space2depth && a.activation == b.activation;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  rp::traces::BlockArgs decoded;
  try {
    decoded = rp::traces::decode_block(text);
  } catch (const rp::UsageError&) {
    return 0;  // rejected with a message: the documented outcome for a bad block string
  }
  const std::string encoded = rp::traces::encode_block(decoded);
  rp::traces::BlockArgs again;
  try {
    again = rp::traces::decode_block(encoded);
  } catch (const rp::UsageError& e) {
    std::fprintf(stderr, "'%s' decodes, but its encoding '%s' does not: %s\n", text.c_str(), encoded.c_str(), e.what());
    std::abort();
  }
  if (!same(decoded, again)) {
    std::fprintf(stderr, "'%s' -> '%s' decodes to a different block\n", text.c_str(), encoded.c_str());
    std::abort();
  }
  return 0;
}
