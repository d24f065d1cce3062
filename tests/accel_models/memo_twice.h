#pragma once
// A stack switch's check against the evaluator's group memo (group_memo.h): `net` evaluated twice on `acc`
// through one memo, each result checked field by field against a full simulation; returns the memo's counts, which
// say whether it assembled the second run from records or stepped aside.
#include <catch2/catch.hpp>

#include "accel_models/evaluate.h"
#include "accel_models/group_memo.h"
#include "accel_models/simulate.h"

namespace rp::test {

inline accel::GroupMemo::Counts memo_twice(const traces::Network& net, const accel::IAccelerator& acc) {
  const sim::SimResult full = accel::simulate(net, acc);
  accel::GroupMemo memo;
  for (int i = 0; i < 2; ++i) {  // the second from the records, if any
    const accel::Evaluation e = accel::evaluate(net, acc, memo);
    REQUIRE(e.ok);
    CHECK(e.result.latency_ms == full.latency_ms);
    CHECK(e.result.hbm_bytes == full.hbm_bytes);
    CHECK(e.result.energy_j == full.energy_j);
    CHECK(e.result.tasks == full.tasks);
  }
  return memo.counts();
}

}  // namespace rp::test
