#pragma once
// Shared by the writer tests: a small traced simulation (MnasNet-A1, batch 8, TPUv3: ~2,000 tasks, ~1 ms) and a
// scratch directory removed at the end of the test.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "traces/writers/trace_data.h"
#include "traces/zoo/zoo.h"

namespace rp::test {

struct TracedRun {
  std::shared_ptr<const accel::IAccelerator> acc;
  traces::Network net{"none", traces::DType::kBF16};
  traces::TaskRecorder recorder;
  sim::SimResult result;
  traces::TraceMeta meta;
  traces::TraceInput input() const { return {result, net, recorder.tasks(), meta}; }
};

inline traces::Network small_network(int64_t batch = 8) {
  traces::BuildOptions o;
  o.batch = batch;
  o.dtype = traces::DType::kBF16;
  return traces::build_model("mnasnet-a1", o);
}

inline traces::TraceMeta meta_of(const accel::AcceleratorInfo& info) {
  return {info.family, traces::dtype_name(info.precision), info.label,           info.resolved_yaml,
          "test",      accel::task_kind_names(),           "batch 8 from a test"};
}

// Simulates with a TaskRecorder attached. Held by unique_ptr: the recorder must not move after the run.
inline std::unique_ptr<TracedRun> traced_run(const std::vector<std::string>& sets = {}) {
  auto run = std::make_unique<TracedRun>();
  run->acc = accel::make_accelerator("tpuv3", sets);
  run->net = small_network();
  accel::SimOptions so;
  so.observer = &run->recorder;
  run->result = accel::simulate(run->net, *run->acc, so);
  run->meta = meta_of(run->acc->info());
  return run;
}

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag)
      : m_path(std::filesystem::temp_directory_path() / ("rp-writers-" + tag + "-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
  }
  ~ScratchDir() { std::filesystem::remove_all(m_path); }
  std::string file(const std::string& name) const { return (m_path / name).string(); }
  // Names of the files in it, sorted.
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(m_path)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::filesystem::path m_path;
};

}  // namespace rp::test
