#pragma once
// Unfused lowering of scaled-dot-product attention (stack.lowering.fused_attention = false): a rewrite of the network
// before fusion, so that every family lowers the parts with its ordinary rules. Each attention layer A of
// q (B, H, Sq, D), k (B, H, Skv, D), v (B, H, Skv, Dv) becomes, in order:
//   A.k_cache, A.v_cache   constants (B, H, cache_len, D / Dv), only when cache_len > 0: the cached keys and values,
//   A.k_cat, A.v_cat      concat(cache, k / v) along w (the new positions appended, as an eager framework's
//                          torch.cat of past_key_values does): a copy pass each;
//   A.qk                  matmul(q, k, trans_b): the B x H x Sq x keys scores, written to memory;
//   A.scale_factor        a 1 x 1 x 1 x 1 constant, and A.scale = mul(A.qk, A.scale_factor): 1 / sqrt(D);
//   A.softmax             over the keys;
//   A.av                  matmul(A.softmax, v): the output, read by A's consumers.
// The MACs are A's (QK^T and AV); the scores make their HBM round trips wherever the family does not fuse the
// parts. Every other layer is copied with its name and group. The causal mask computes every score (as fused).
#include <cstdint>

#include "traces/network/network.h"

namespace rp::accel {

bool has_attention(const traces::Network& net);
// Bytes of the cached keys and values an attention layer reads besides its inputs: B x H x cache_len x (D + Dv).
int64_t kv_cache_bytes(const traces::Network& net, const traces::Layer& attention);
traces::Network unfuse_attention(const traces::Network& net);

}  // namespace rp::accel
