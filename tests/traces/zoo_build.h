#pragma once
// Helpers shared by the zoo tests (zoo_test.cpp, transformer_zoo_test.cpp): a zoo network built by name, and the
// relative error against a published figure. Header-only.
#include <cmath>
#include <cstdint>
#include <string>

#include "traces/zoo/zoo.h"

namespace rp::test {

// `name` from the zoo at this batch, sequence length (0: the model's own) and resolution (0: its own).
inline traces::Network zoo_build(const std::string& name, int64_t batch = 1, int64_t seq_len = 0, int resolution = 0) {
  traces::BuildOptions o;
  o.batch = batch;
  o.seq_len = seq_len;
  o.resolution = resolution;
  return traces::build_model(name, o);
}

// |ours - published| / published.
inline double rel(double ours, double published) { return std::fabs(ours - published) / published; }

}  // namespace rp::test
