// The GPU family: a configured GPU (registered as family "gpu" in common/registry.cpp).
#include "accel_models/common/registry.h"
#include "accel_models/gpu/gpu_config.h"
#include "accel_models/gpu/gpu_lowering.h"

namespace rp::accel {
namespace {

class GpuAccelerator : public IAccelerator {
 public:
  GpuAccelerator(AcceleratorInfo info, GpuConfig c) : info_(std::move(info)), c_(std::move(c)) {
    info_.peak_flops = c_.peak_flops();
    info_.hbm_bandwidth = c_.hbm_bandwidth();
  }
  const AcceleratorInfo& info() const override { return info_; }
  Lowered lower(const traces::Network& net) const override { return lower_gpu(net, c_); }

 private:
  AcceleratorInfo info_;
  GpuConfig c_;
};

}  // namespace

std::unique_ptr<IAccelerator> make_gpu(const traces::YamlMap& root, AcceleratorInfo info) {
  return std::make_unique<GpuAccelerator>(std::move(info), GpuConfig::parse(root));
}

}  // namespace rp::accel
