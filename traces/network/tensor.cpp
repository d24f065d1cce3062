#include "traces/network/tensor.h"

#include "simulator/error.h"

namespace rp::traces {

int dtype_bytes(DType t) {
  switch (t) {
    case DType::kF32:
      return 4;
    case DType::kTF32:
      return 4;
    case DType::kBF16:
      return 2;
    case DType::kF16:
      return 2;
    case DType::kI8:
      return 1;
    case DType::kFP8:
      return 1;
  }
  return 4;
}

std::string dtype_name(DType t) {
  switch (t) {
    case DType::kF32:
      return "fp32";
    case DType::kTF32:
      return "tf32";
    case DType::kBF16:
      return "bf16";
    case DType::kF16:
      return "fp16";
    case DType::kI8:
      return "int8";
    case DType::kFP8:
      return "fp8";
  }
  return "?";
}

DType parse_dtype(const std::string& s) {
  if (s == "fp32" || s == "f32" || s == "float32") return DType::kF32;
  if (s == "bf16" || s == "bfloat16") return DType::kBF16;
  if (s == "fp16" || s == "f16" || s == "float16") return DType::kF16;
  if (s == "int8" || s == "i8") return DType::kI8;
  if (s == "tf32") return DType::kTF32;
  if (s == "fp8" || s == "f8") return DType::kFP8;
  throw UsageError("unknown dtype '" + s + "' (expected fp32, tf32, bf16, fp16, int8 or fp8)");
}

const std::vector<DType>& all_dtypes() {
  static const std::vector<DType> all = {DType::kF32, DType::kTF32, DType::kBF16, DType::kF16, DType::kI8, DType::kFP8};
  return all;
}

std::string Shape::str() const {
  return std::to_string(n) + "x" + std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(c);
}

}  // namespace rp::traces
