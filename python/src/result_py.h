#pragma once
// The Python side of a simulate() / compare() result, kept cheap for the GIL: the result's JSON object stays in C++
// and is converted to Python objects field by field when Python reads it (ridgepoint.Result), and the module
// counts the thread CPU time it runs with the GIL released (tests/benchmarks/python_threads.py: the share of a
// call that holds the GIL bounds what several Python threads can gain).
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rp::py {

// Thread CPU nanoseconds (CLOCK_THREAD_CPUTIME_ID) spent inside TimedRelease sections, summed over all threads
// since the module loaded. A measurement only: it changes no result.
int64_t gil_released_cpu_ns();

// Releases the GIL for its lifetime, as pybind11::gil_scoped_release, and adds the calling thread's CPU time while
// released to gil_released_cpu_ns(). Constructed with the GIL held.
class TimedRelease {
 public:
  TimedRelease();
  ~TimedRelease();
  TimedRelease(const TimedRelease&) = delete;
  TimedRelease& operator=(const TimedRelease&) = delete;

 private:
  pybind11::gil_scoped_release release_;  // first: released before the clock starts, taken back after it stops
  int64_t start_ns_;
};

// One result's JSON object (cli::result_json), immutable, read from Python as `_core.ResultJson`: keys() (in the
// object's order), field(key) (that field as Python objects: to_python; KeyError when absent) and whole() (the
// object as a dict, equal to to_python of it). A call that reads only latency_ms converts one float instead of
// the about a thousand objects of the per-layer table. Freed with the GIL released (when it is held then).
class ResultJson {
 public:
  explicit ResultJson(nlohmann::json j);
  ~ResultJson();
  ResultJson(const ResultJson&) = delete;
  ResultJson& operator=(const ResultJson&) = delete;

  std::vector<std::string> keys() const;
  pybind11::object field(const std::string& key) const;
  pybind11::object whole() const;

 private:
  std::unique_ptr<nlohmann::json> j_;  // an object
};

// Registers _core.ResultJson and _core._gil_released_seconds() (gil_released_cpu_ns() in seconds).
void register_result(pybind11::module_& m);

}  // namespace rp::py
