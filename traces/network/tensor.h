#pragma once
// Tensor shapes (NHWC) and element types of the network IR.
#include <cstdint>
#include <string>
#include <vector>

namespace rp::traces {

// Element types. tf32 is fp32 in memory (4 bytes) multiplied at TF32 precision on tensor cores; fp8 is one byte.
enum class DType { kF32, kTF32, kBF16, kF16, kI8, kFP8 };
const std::vector<DType>& all_dtypes();

int dtype_bytes(DType t);
std::string dtype_name(DType t);
// Accepts "fp32"/"f32"/"float32", "bf16"/"bfloat16", "fp16"/"f16"/"float16", "int8"/"i8"; throws UsageError otherwise.
DType parse_dtype(const std::string& s);

// NHWC shape. Vectors (dense layers) are N x 1 x 1 x C.
struct Shape {
  int64_t n = 1, h = 1, w = 1, c = 1;
  int64_t elements() const { return n * h * w * c; }
  // Dimension i in order n, h, w, c (0..3).
  int64_t dim(int i) const { return i == 0 ? n : i == 1 ? h : i == 2 ? w : c; }
  int64_t& dim(int i) { return i == 0 ? n : i == 1 ? h : i == 2 ? w : c; }
  bool operator==(const Shape& o) const { return n == o.n && h == o.h && w == o.w && c == o.c; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
  std::string str() const;  // "1x224x224x3"
};

}  // namespace rp::traces
