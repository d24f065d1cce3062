#include "accel_models/config/precision_rates.h"

#include "accel_models/config/param.h"

namespace rp::accel {

double PrecisionRates::at(traces::DType t) const {
  const auto& all = traces::all_dtypes();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i] == t) return rate[i];
  }
  return 0;
}

std::vector<std::string> PrecisionRates::supported() const {
  std::vector<std::string> out;
  for (auto t : traces::all_dtypes()) {
    if (supports(t)) out.push_back(traces::dtype_name(t));
  }
  return out;
}

void describe_rates(ParamVisitor& v, const std::string& key, PrecisionRates& r, const std::string& what) {
  v.group(key, [&](ParamVisitor& g) {
    const auto& all = traces::all_dtypes();
    for (size_t i = 0; i < all.size(); ++i) {
      const std::string name = traces::dtype_name(all[i]);
      g.real(name, r.rate[i],
             ParamSpec::non_negative("", 1, what + " at " + name + " (0: not supported)").or_default(0));
    }
  });
}

}  // namespace rp::accel
