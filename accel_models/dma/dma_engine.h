#pragma once
// DMA engine: moves one tile between HBM and on-chip memory per task (task.bytes). It pays a fixed setup time,
// then holds until the HBM has served the transfer; several engines share one HbmModel and contend there.
#include <string>

#include "accel_models/dma/dma_params.h"
#include "accel_models/hbm/hbm.h"
#include "simulator/unit_model.h"

namespace rp::accel {

class DmaEngine : public sim::IUnitModel {
 public:
  DmaEngine(std::string name, const DmaParams& p, HbmModel& hbm) : name_(std::move(name)), p_(p), hbm_(hbm) {}
  const std::string& name() const override { return name_; }
  sim::Ps service(const sim::Task& task, sim::Ps now) override;

 private:
  std::string name_;
  DmaParams p_;
  HbmModel& hbm_;
};

}  // namespace rp::accel
