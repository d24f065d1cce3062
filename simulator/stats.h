#pragma once
// A small tree of named statistics. Each stat points at a plain counter owned by the component that updates it,
// registered once, so the hot path is only `++m_count` and never a lookup. Dump the tree with visit().
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rp::sim {

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
  };
  void check_name(const std::string& name, bool allow_existing_child) const;
  void visit(const std::string& prefix, const Visitor& fn) const;

  std::vector<Stat> m_stats;
  std::vector<std::pair<std::string, std::unique_ptr<StatGroup>>> m_children;
};

}  // namespace rp::sim
