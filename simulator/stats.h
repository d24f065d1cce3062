#pragma once
// A small tree of named statistics. Each stat points at a plain counter owned by the component that updates it,
// registered once, so the hot path is only `++m_count` and never a lookup. Dump the tree with visit().
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rp::sim {

// A floating-point counter that can record its increments. A sum of doubles depends on the order of its terms, so
// a run that is assembled from pieces (the evaluator's group memo, accel_models/group_memo.h) reproduces it
// exactly only by replaying the increments in their order: record() attaches a log that receives every increment.
class Counter {
 public:
  Counter& operator+=(double x) {
    value_ += x;
    if (log_) log_->push_back(x);
    return *this;
  }
  double value() const { return value_; }
  void reset() { value_ = 0; }
  void record(std::vector<double>* log) { log_ = log; }  // nullptr: stop recording

 private:
  double value_ = 0;
  std::vector<double>* log_ = nullptr;
};

class StatGroup {
 public:
  // path: dot-separated names from (not including) the root, e.g. "hbm.bytes_read".
  using Visitor = std::function<void(const std::string& path, const std::string& description, const std::string& unit,
                                     double value)>;

  StatGroup() = default;
  StatGroup(const StatGroup&) = delete;
  StatGroup& operator=(const StatGroup&) = delete;

  // Registers a stat reading *value (the pointee must outlive every visit()). `name` must be non-empty, contain no
  // '.', and be unique among this group's stats and children; otherwise throws std::invalid_argument.
  void add(const std::string& name, const std::string& description, const std::string& unit, const double* value);
  void add(const std::string& name, const std::string& description, const std::string& unit, const int64_t* value);
  // A Counter: replayable (see Counter), so a unit whose stats are all Counters keeps the group memo exact.
  void add(const std::string& name, const std::string& description, const std::string& unit, Counter* value);

  // Every stat in visit() order: its Counter, or nullptr for a plain double or int64 stat.
  void counters(const std::function<void(Counter*)>& fn) const;

  // The child group `name`, created on first use (same naming rules as add(); a stat of that name throws).
  // References stay valid for the lifetime of this group.
  StatGroup& child(const std::string& name);

  // Depth first: this group's stats in registration order, then each child in creation order.
  void visit(const Visitor& fn) const;

 private:
  struct Stat {
    std::string name, description, unit;
    const double* d;
    const int64_t* i;
    Counter* c = nullptr;
  };
  void check_name(const std::string& name, bool allow_existing_child) const;
  void visit(const std::string& prefix, const Visitor& fn) const;

  std::vector<Stat> m_stats;
  std::vector<std::pair<std::string, std::unique_ptr<StatGroup>>> m_children;
};

}  // namespace rp::sim
