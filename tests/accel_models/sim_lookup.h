#pragma once
// Looking up a simulation result's figures by name in the accel_models tests: a unit's summary and one of its
// statistics. A name that is not there fails the test case (Catch2 FAIL) naming it.
#include <catch2/catch.hpp>

#include <string>

#include "simulator/sim_result.h"

namespace rp::test {

inline const sim::UnitSummary& unit(const sim::SimResult& r, const std::string& name) {
  for (const auto& u : r.units) {
    if (u.name == name) return u;
  }
  FAIL("no unit " << name);
  return r.units.front();
}

inline double stat(const sim::UnitSummary& u, const std::string& name) {
  for (const auto& s : u.stats) {
    if (s.name == name) return s.value;
  }
  FAIL("no stat " << name << " on " << u.name);
  return 0;
}

}  // namespace rp::test
