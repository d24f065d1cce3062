// ResultJson and TimedRelease (result_py.h).
#include "result_py.h"

#include <pybind11/stl.h>

#include <atomic>
#include <ctime>
#include <utility>

#include "json_to_python.h"

namespace rp::py {

namespace pyb = pybind11;

namespace {

std::atomic<int64_t>& released_ns() {
  static std::atomic<int64_t> ns{0};
  return ns;
}

int64_t thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return int64_t{t.tv_sec} * 1000000000 + t.tv_nsec;
}

bool finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing();
#else
  return _Py_IsFinalizing();
#endif
}

}  // namespace

int64_t gil_released_cpu_ns() { return released_ns().load(std::memory_order_relaxed); }

TimedRelease::TimedRelease() : start_ns_(thread_cpu_ns()) {}
TimedRelease::~TimedRelease() { released_ns().fetch_add(thread_cpu_ns() - start_ns_, std::memory_order_relaxed); }

ResultJson::ResultJson(nlohmann::json j) : j_(std::make_unique<nlohmann::json>(std::move(j))) {}

// Freeing a result's JSON (a few thousand nodes with the per-layer table) costs about a third of converting it;
// other threads run meanwhile. Python drops the last reference with the GIL held; during interpreter shutdown
// (or without the GIL) it is freed as it is.
ResultJson::~ResultJson() {
  if (PyGILState_Check() && !finalizing()) {
    const TimedRelease unlocked;
    j_.reset();
  }
}

std::vector<std::string> ResultJson::keys() const {
  std::vector<std::string> k;
  k.reserve(j_->size());
  for (const auto& [key, value] : j_->items()) k.push_back(key);
  return k;
}

pyb::object ResultJson::field(const std::string& key) const {
  const auto it = j_->find(key);
  if (it == j_->end()) throw pyb::key_error(key);
  return to_python(*it);
}

pyb::object ResultJson::whole() const { return to_python(*j_); }

void register_result(pyb::module_& m) {
  pyb::class_<ResultJson>(m, "ResultJson")
      .def("keys", &ResultJson::keys)
      .def("field", &ResultJson::field, pyb::arg("key"))
      .def("whole", &ResultJson::whole);
  m.def("_gil_released_seconds", [] { return static_cast<double>(gil_released_cpu_ns()) * 1e-9; });
}

}  // namespace rp::py
