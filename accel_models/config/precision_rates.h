#pragma once
// A compute unit's rate per precision (element type), as spec sheets list them: one value per precision of
// traces::DType, 0 where the unit does not support it. Declared as a mapping with one key per precision
// (fp32, tf32, bf16, fp16, int8, fp8), each defaulting to 0, so a config lists only what its hardware supports.
#include <array>
#include <string>
#include <vector>

#include "traces/network/tensor.h"

namespace rp::accel {

class ParamVisitor;

struct PrecisionRates {
  std::array<double, 6> rate{};  // indexed by the DType's position in traces::all_dtypes()
  double at(traces::DType t) const;
  bool supports(traces::DType t) const { return at(t) > 0; }
  std::vector<std::string> supported() const;  // names, in all_dtypes() order
};

// The mapping `key` with one non-negative real per precision.
void describe_rates(ParamVisitor& v, const std::string& key, PrecisionRates& r, const std::string& what);

}  // namespace rp::accel
