#pragma once
// Trivial timing models for the engine tests.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "simulator/unit_model.h"

namespace rp::sim::test {

// Service time = task.ops picoseconds, independent of time and of other units.
class OpsModel : public IUnitModel {
 public:
  explicit OpsModel(std::string name = "ops") : m_name(std::move(name)) {}
  const std::string& name() const override { return m_name; }
  Ps service(const Task& t, Ps) override { return static_cast<Ps>(std::llround(t.ops)); }

 private:
  std::string m_name;
};

// One shared resource served first come, first served: a request at `now` for `dur` ps holds it from
// max(now, free_at) for dur ps. Stands in for an HBM channel that several units reserve.
struct Channel {
  Ps free_at = 0;
  Ps reserve(Ps now, Ps dur) {
    const Ps start = std::max(now, free_at);
    free_at = start + dur;
    return free_at - now;  // time until the caller's transfer is done
  }
};

// A unit whose every task is a transfer of task.ops ps over a Channel it shares with other units.
class ChannelModel : public IUnitModel {
 public:
  ChannelModel(std::string name, Channel& ch) : m_name(std::move(name)), m_ch(ch) {}
  const std::string& name() const override { return m_name; }
  Ps service(const Task& t, Ps now) override { return m_ch.reserve(now, static_cast<Ps>(t.ops)); }
  void reset() override { m_ch.free_at = 0; }

 private:
  std::string m_name;
  Channel& m_ch;
};

struct ModelFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Serves like OpsModel but throws ModelFailure for tasks of kind 99; counts reset() calls.
class FailingModel : public OpsModel {
 public:
  FailingModel() : OpsModel("failing") {}
  Ps service(const Task& t, Ps now) override {
    if (t.kind == 99) throw ModelFailure("task of kind 99 refused");
    return OpsModel::service(t, now);
  }
  void reset() override { ++resets; }
  int resets = 0;
};

// Pointers to models, the form run() takes.
template <class M>
std::vector<IUnitModel*> ptrs(std::vector<M>& models) {
  std::vector<IUnitModel*> out;
  for (M& m : models) out.push_back(&m);
  return out;
}

inline Task task(UnitId unit, double ops, int32_t kind = 0) {
  Task t;
  t.unit = unit;
  t.ops = ops;
  t.kind = kind;
  return t;
}

}  // namespace rp::sim::test
