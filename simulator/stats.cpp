#include "simulator/stats.h"

#include <stdexcept>

namespace rp::sim {

void StatGroup::check_name(const std::string& name, bool allow_existing_child) const {
  if (name.empty() || name.find('.') != std::string::npos) {
    throw std::invalid_argument("stats: invalid name '" + name + "' (must be non-empty, without '.')");
  }
  for (const Stat& s : m_stats) {
    if (s.name == name) throw std::invalid_argument("stats: '" + name + "' is already a stat of this group");
  }
  if (!allow_existing_child) {
    for (const auto& c : m_children) {
      if (c.first == name) throw std::invalid_argument("stats: '" + name + "' is already a child group");
    }
  }
}

void StatGroup::add(const std::string& name, const std::string& description, const std::string& unit,
                    const double* value) {
  if (!value) throw std::invalid_argument("stats: null value pointer for '" + name + "'");
  check_name(name, false);
  m_stats.push_back({name, description, unit, value, nullptr});
}

void StatGroup::add(const std::string& name, const std::string& description, const std::string& unit,
                    const int64_t* value) {
  if (!value) throw std::invalid_argument("stats: null value pointer for '" + name + "'");
  check_name(name, false);
  m_stats.push_back({name, description, unit, nullptr, value});
}

void StatGroup::add(const std::string& name, const std::string& description, const std::string& unit, Counter* value) {
  if (!value) throw std::invalid_argument("stats: null value pointer for '" + name + "'");
  check_name(name, false);
  m_stats.push_back({name, description, unit, nullptr, nullptr, value});
}

void StatGroup::counters(const std::function<void(Counter*)>& fn) const {
  for (const Stat& s : m_stats) fn(s.c);
  for (const auto& c : m_children) c.second->counters(fn);
}

StatGroup& StatGroup::child(const std::string& name) {
  for (auto& c : m_children) {
    if (c.first == name) return *c.second;
  }
  check_name(name, true);
  m_children.emplace_back(name, std::make_unique<StatGroup>());
  return *m_children.back().second;
}

void StatGroup::visit(const Visitor& fn) const { visit("", fn); }

void StatGroup::visit(const std::string& prefix, const Visitor& fn) const {
  for (const Stat& s : m_stats) {
    fn(prefix + s.name, s.description, s.unit, s.c ? s.c->value() : s.d ? *s.d : static_cast<double>(*s.i));
  }
  for (const auto& c : m_children) c.second->visit(prefix + c.first + ".", fn);
}

}  // namespace rp::sim
