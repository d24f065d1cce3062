#pragma once
// The Fashion-MNIST data set the hurricane supernet tests train on (supernet_test.cpp, two_stage_test.cpp), loaded
// once per test program and shared. Header-only.
#include "traces/data/fashion_mnist.h"

namespace rp::test {

inline const traces::FashionMnist& fashion_mnist() {
  static const traces::FashionMnist d = traces::FashionMnist::load();
  return d;
}

}  // namespace rp::test
