// The TPU family: a configured TPU-like chip (registered as family "tpu" in common/registry.cpp).
#include "accel_models/common/registry.h"
#include "accel_models/tpu/tpu_config.h"
#include "accel_models/tpu/tpu_lowering.h"

namespace rp::accel {
namespace {

class TpuAccelerator : public IAccelerator {
 public:
  TpuAccelerator(AcceleratorInfo info, TpuConfig c) : info_(std::move(info)), c_(std::move(c)) {
    info_.peak_flops = c_.peak_flops();
    info_.hbm_bandwidth = c_.hbm_bandwidth();
  }
  const AcceleratorInfo& info() const override { return info_; }
  Lowered lower(const traces::Network& net) const override { return lower_tpu(net, c_); }

 private:
  AcceleratorInfo info_;
  TpuConfig c_;
};

}  // namespace

std::unique_ptr<IAccelerator> make_tpu(const traces::YamlMap& root, AcceleratorInfo info) {
  return std::make_unique<TpuAccelerator>(std::move(info), TpuConfig::parse(root));
}

}  // namespace rp::accel
