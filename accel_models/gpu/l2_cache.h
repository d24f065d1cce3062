#pragma once
// The GPU's L2 cache, in two parts.
//
// L2Residency decides, while a network is lowered, how many bytes of each kernel input are still in L2. Kernels of
// one stream run in a fixed order, so this is decided once, not simulated: an LRU stack over tensors. Every kernel
// touches, in order, its inputs, its weights and its outputs. An input tensor of S bytes whose last touch was
// followed by D bytes of other distinct tensors has
//     resident = clamp(C - D, 0, S),      C = capacity * usable_fraction
// bytes in L2 (its most recently touched part; a tensor larger than C is partly resident). Those bytes are read at
// L2 bandwidth, the rest from HBM. Weights are touched once per inference and so always come from HBM. Writes
// always go on to HBM (write-back is counted when it happens, not deferred), so L2 saves only read traffic.
//
// L2Cache is the unit that serves the L2 share of a kernel's reads (task.bytes):
//     time = latency + bytes / bandwidth,
// one read at a time, so concurrent reads share the bandwidth.
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/gpu/l2_params.h"
#include "simulator/unit_model.h"

namespace rp::accel {

class L2Residency {
 public:
  explicit L2Residency(double capacity_bytes) : capacity_(capacity_bytes) {}
  // Bytes of tensor `key` (of `bytes` bytes) resident now (the formula above); 0 if never touched.
  int64_t resident(int64_t key, int64_t bytes) const;
  // Marks `key` as the most recently used tensor.
  void touch(int64_t key, int64_t bytes);

 private:
  struct Entry {
    int64_t key, bytes;
  };
  double capacity_;
  std::vector<Entry> lru_;  // most recent first; entries beyond the capacity are dropped
};

class L2Cache : public sim::IUnitModel {
 public:
  L2Cache(std::string name, const L2Params& p) : name_(std::move(name)), p_(p) {}
  const std::string& name() const override { return name_; }
  sim::Ps service(const sim::Task& task, sim::Ps now) override;

 private:
  std::string name_;
  L2Params p_;
};

}  // namespace rp::accel
