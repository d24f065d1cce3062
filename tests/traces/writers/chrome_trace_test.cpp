// The Chrome trace: valid JSON in the trace-event format, one track per unit instance, and no two events on one
// track overlapping once timestamps are converted the way Perfetto's JSON importer does (llround(us * 1000) ns).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/traces/writers/traced_run.h"
#include "traces/writers/chrome_trace.h"
#include "traces/writers/trace_sinks.h"

using namespace rp;
using nlohmann::json;

namespace {

int64_t perfetto_ns(const json& us) { return std::llround(us.get<double>() * 1000.0); }

}  // namespace

TEST_CASE("Chrome trace: valid trace-event JSON with one track per unit instance") {
  const auto run = test::traced_run();
  const test::ScratchDir dir("chrome");
  const std::string path = dir.file("out.json");
  traces::write_chrome_trace(run->input(), path);
  std::ifstream in(path);
  const json j = json::parse(in);  // throws on invalid JSON
  REQUIRE(j.is_object());
  REQUIRE(j.at("traceEvents").is_array());

  std::set<std::pair<int, int>> unit_tracks, named_threads;
  std::set<int> pids, named_pids;
  std::map<std::pair<int, int>, std::vector<std::pair<int64_t, int64_t>>> spans;
  int fusion_pid = -1;
  size_t fusions = 0;
  for (const json& e : j["traceEvents"]) {
    const std::string ph = e.at("ph");
    const int pid = e.at("pid");
    if (ph == "M") {
      const std::string name = e.at("name");
      if (name == "thread_name") named_threads.insert({pid, e.at("tid").get<int>()});
      if (name == "process_name") named_pids.insert(pid);
      continue;
    }
    REQUIRE(e.at("ts").is_number());
    pids.insert(pid);
    if (ph != "X") continue;
    REQUIRE(e.at("name").is_string());
    REQUIRE(e.at("dur").get<double>() >= 0);
    const std::pair<int, int> track{pid, e.at("tid").get<int>()};
    const int64_t s = perfetto_ns(e["ts"]), d = perfetto_ns(e["dur"]);
    spans[track].push_back({s, s + d});
    if (e.at("cat") == "fusion") {
      fusion_pid = pid;
      ++fusions;
      CHECK(e.at("args").contains("efficiency"));
    } else {
      unit_tracks.insert(track);
    }
  }
  CHECK(fusions == run->result.layers.size());
  CHECK(unit_tracks.count({fusion_pid, 1}) == 0);

  // One (pid, tid) per unit instance that ran tasks, each named.
  size_t units_with_tasks = 0;
  for (size_t u = 0; u < run->result.instances.size(); ++u) {
    if (run->result.instances[u].kind != "hbm" && run->result.instances[u].tasks > 0) ++units_with_tasks;
  }
  CHECK(unit_tracks.size() == units_with_tasks);
  std::set<int> unit_tids;
  for (const auto& t : unit_tracks) {
    CHECK(named_threads.count(t) == 1);
    unit_tids.insert(t.second);
  }
  CHECK(unit_tids.size() == unit_tracks.size());  // tids are unique across processes
  for (int pid : pids) CHECK(named_pids.count(pid) == 1);
  CHECK(pids.size() == 3);  // fusions, core0, core1

  // No overlap on any track (units serve one task at a time; fusion lanes are allocated to avoid overlap).
  for (auto& [track, v] : spans) {
    std::sort(v.begin(), v.end());
    for (size_t i = 1; i < v.size(); ++i) {
      INFO("pid " << track.first << " tid " << track.second << " event " << i);
      REQUIRE(v[i].first >= v[i - 1].second);
    }
  }
}

TEST_CASE("Chrome trace: written through the sinks under a temporary name, then renamed") {
  const auto run = test::traced_run();
  const test::ScratchDir dir("chrome-sinks");
  traces::TraceSinks sinks("", dir.file("t.json"));
  REQUIRE(dir.files() == std::vector<std::string>{"t.json.tmp"});
  accel::SimOptions so;
  so.observer = sinks.observer();
  const sim::SimResult r = accel::simulate(run->net, *run->acc, so);
  sinks.write(r, run->net, run->meta);
  CHECK(dir.files() == std::vector<std::string>{"t.json"});
  std::ifstream in(dir.file("t.json"));
  CHECK(json::parse(in).at("otherData").at("latency_ms") == r.latency_ms);
}
