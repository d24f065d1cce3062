// StatGroup: registration rules and the visitor's paths and values.
#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>

#include "simulator/stats.h"

using rp::sim::StatGroup;

TEST_CASE("stats: visit reports current counter values with dotted paths", "[simulator][stats]") {
  StatGroup root;
  int64_t tasks = 0;
  double busy_s = 0;
  int64_t bytes = 0;
  root.add("tasks", "tasks served", "count", &tasks);
  root.child("hbm").add("bytes", "bytes moved", "B", &bytes);
  root.child("hbm").child("ch0").add("busy", "busy time", "s", &busy_s);
  tasks += 3;  // hot path: plain increments after registration
  bytes = 1 << 20;
  busy_s = 0.25;

  std::vector<std::string> order;
  std::map<std::string, std::pair<std::string, double>> seen;
  root.visit([&](const std::string& path, const std::string& desc, const std::string& unit, double v) {
    order.push_back(path);
    seen[path] = {unit, v};
    CHECK_FALSE(desc.empty());
  });
  CHECK(order == std::vector<std::string>{"tasks", "hbm.bytes", "hbm.ch0.busy"});  // stats, then children
  CHECK(seen["tasks"].second == 3);
  CHECK(seen["hbm.bytes"].second == 1048576);
  CHECK(seen["hbm.bytes"].first == "B");
  CHECK(seen["hbm.ch0.busy"].second == 0.25);
}

TEST_CASE("stats: names are validated", "[simulator][stats]") {
  StatGroup root;
  int64_t x = 0;
  root.add("x", "", "count", &x);
  CHECK_THROWS_AS(root.add("x", "", "count", &x), std::invalid_argument);    // duplicate stat
  CHECK_THROWS_AS(root.add("a.b", "", "count", &x), std::invalid_argument);  // '.' would break paths
  CHECK_THROWS_AS(root.add("", "", "count", &x), std::invalid_argument);
  CHECK_THROWS_AS(root.child("x"), std::invalid_argument);  // a stat already has that name
  CHECK_THROWS_AS(root.add("y", "", "count", static_cast<const int64_t*>(nullptr)), std::invalid_argument);
  StatGroup& c = root.child("c");
  CHECK(&root.child("c") == &c);                                           // same child on the second call
  CHECK_THROWS_AS(root.add("c", "", "count", &x), std::invalid_argument);  // a child already has that name
}
