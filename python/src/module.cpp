// The `ridgepoint._core` extension: the simulator library (no LibTorch) for Python. It returns the objects the CLI
// prints with --json (the same builders: experiments/cli/catalog_json.h, sim_output.h), raises the CLI's error
// messages (UsageError -> ridgepoint.UsageError, a ValueError; any other failure -> ridgepoint.SimulationError, a
// RuntimeError), and releases the GIL while it builds and simulates. python/ridgepoint/__init__.py wraps it.
// simulate() and compare() return those objects unconverted (ResultJson, result_py.h): Python converts a field
// when it reads it, so a caller that reads latency_ms holds the GIL for one float.
//
// Threads. simulate() and compare() evaluate through the group memo of their cached accelerator (group_memo.h:
// exact, thread-safe) and hold the engine mutex only around an engine run (SystemC's context is process-global):
// a network whose fusion groups are all memoized runs no SystemC, so such calls from several threads run in
// parallel. Calls that write trace or CSV files, and validate(), run(), calibrate and sensitivity, hold the engine
// mutex for the whole call, as before.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <iostream>
#include <list>
#include <memory>
#include <mutex>
#include <optional>

#include "accel_models/common/registry.h"
#include "accel_models/config/raw_config.h"
#include "accel_models/evaluate.h"
#include "accel_models/group_memo.h"
#include "accel_models/memory_check.h"
#include "accel_models/simulate.h"
#include "calibrate_py.h"
#include "experiments/cli/catalog_json.h"
#include "experiments/cli/sim_output.h"
#include "experiments/kinds/kind.h"
#include "experiments/kinds/model_files.h"
#include "experiments/validation/validate.h"
#include "json_to_python.h"
#include "network_spec.h"
#include "result_py.h"
#include "sensitivity_py.h"
#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/zoo.h"

namespace pyb = pybind11;
using namespace pybind11::literals;

namespace rp::py {
namespace {

// The SystemC kernel is not thread-safe: with the GIL released, simulations from several Python threads take
// turns here (other Python code keeps running).
std::mutex& engine_mutex() {
  static std::mutex m;
  return m;
}

// Fork safety. A fork while another thread simulates would copy this mutex locked, and the SystemC kernel halfway
// through a simulation, into a child without the thread that would finish it: the child's first simulate() would
// wait forever. So the module registers these as Python fork hooks (os.register_at_fork, in PYBIND11_MODULE): the
// fork waits, with the GIL released, for the simulation or run() in progress to end, and parent and child release
// the mutex after it. Python's hooks rather than pthread_atfork: run() forks its jobs workers from C++ while it
// holds the mutex, and a pthread_atfork handler would run in that ::fork() too and wait forever for the mutex its
// own thread holds. Python runs its hooks for os.fork() (multiprocessing's fork too) and never for the runner's.
//
// Calls served from a group memo run outside the engine mutex, so a fork may copy a thread halfway through the
// accelerator cache or a memo, their own mutexes locked: the child therefore starts a new, empty cache
// (after_fork_in_child, below) and never touches the parent's (left as it is: its pages are the parent's).
void lock_engine_before_fork() {
  pyb::gil_scoped_release unlocked;  // other threads keep running while the fork waits; the GIL comes back after
  engine_mutex().lock();
}
void unlock_engine_after_fork() { engine_mutex().unlock(); }

// Built accelerators kept across calls (reading, parsing and building one costs ~0.33 ms, a third of a B0
// simulation). The key is exact: the name or path as given, the overrides, and, for a file, its whole text (read
// again on every call, ~10 us): an edited file is a new key whatever its size and timestamps say, and a relative
// path read from another directory is keyed by what it holds. At most `capacity` entries, the least recently used
// dropped (capacity 0: no cache). Each entry keeps the group memo of its accelerator (at most kMemoCapacity
// records: 32 accelerators hold at most as many as 8 searches' memos). Thread-safe (its own mutex, held only to
// find or add an entry; the build of a new one runs outside it); a function-local static of this module
// (accelerator_cache()), replaced by a new one in a forked child (after_fork_in_child).
class AcceleratorCache {
 public:
  static constexpr size_t kMemoCapacity = accel::GroupMemo::kDefaultCapacity / 4;
  struct Built {
    std::shared_ptr<const accel::IAccelerator> acc;
    std::shared_ptr<accel::GroupMemo> memo;  // null when the cache or the memo is off
  };

  AcceleratorCache() = default;
  // A new, empty cache with the settings of `parent`, read without its mutex: in a forked child, where `parent`'s
  // mutex may have been copied locked and no other thread runs.
  static AcceleratorCache* fresh_copy_in_child(const AcceleratorCache& parent) {
    auto* c = new AcceleratorCache();
    c->capacity_ = parent.capacity_;
    c->memo_ = parent.memo_;
    return c;
  }

  Built get(const std::string& accel, const std::vector<std::string>& sets) {
    std::string key = accel + '\0' + file_text(accel);
    for (const std::string& s : sets) key += '\0' + s;
    bool cached = false;  // the cache is on
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->first != key) continue;
        entries_.splice(entries_.begin(), entries_, it);  // most recently used first
        ++hits_;
        return built(entries_.front().second);
      }
      cached = capacity_ > 0;
      if (cached) ++misses_;
    }
    Built b{accel::make_accelerator(accel, sets), nullptr};  // throws on bad input: nothing is cached
    if (!cached) return b;
    b.memo = std::make_shared<accel::GroupMemo>(kMemoCapacity, &engine_mutex());
    const std::lock_guard<std::mutex> lock(mutex_);
    if (capacity_ == 0) return {b.acc, nullptr};
    entries_.emplace_front(std::move(key), b);  // two threads that built one config at once keep both: harmless
    while (entries_.size() > capacity_) entries_.pop_back();
    return built(b);
  }
  void set_capacity(size_t n) {
    const std::lock_guard<std::mutex> lock(mutex_);
    capacity_ = n;
    while (entries_.size() > capacity_) entries_.pop_back();
  }
  void set_memo(bool on) {  // off: every simulation runs whole under the engine mutex (to measure, to compare)
    const std::lock_guard<std::mutex> lock(mutex_);
    memo_ = on;
  }
  pyb::dict stats() const {
    accel::GroupMemo::Counts c;
    size_t records = 0;
    const std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& e : entries_) {
      const accel::GroupMemo::Counts k = e.second.memo->counts();
      c.group_hits += k.group_hits;
      c.group_misses += k.group_misses;
      c.assembled += k.assembled;
      c.full_runs += k.full_runs;
      records += e.second.memo->size();
    }
    return pyb::dict("hits"_a = hits_, "misses"_a = misses_, "size"_a = entries_.size(), "capacity"_a = capacity_,
                     "memo"_a = memo_, "group_hits"_a = c.group_hits, "group_misses"_a = c.group_misses,
                     "assembled"_a = c.assembled, "full_runs"_a = c.full_runs, "group_records"_a = records);
  }

 private:
  // A built-in name reads no file (built-ins win over a file of the same name: accelerator_config.cpp); "" when
  // the name is no readable file (a "<built-in>-<profile>" name, or bad input that make_accelerator reports).
  static std::string file_text(const std::string& accel) {
    const auto builtins = accel::builtin_accelerators();
    if (std::find(builtins.begin(), builtins.end(), accel) != builtins.end()) return "";
    try {
      return '\1' + traces::read_yaml_text(accel);
    } catch (const std::exception&) {
      return "";
    }
  }

  Built built(const Built& b) const { return {b.acc, memo_ ? b.memo : nullptr}; }  // mutex_ held

  mutable std::mutex mutex_;  // guards everything below
  size_t capacity_ = 32;      // a few KB each, and the memo; a study touches a handful of accelerators
  bool memo_ = true;
  std::list<std::pair<std::string, Built>> entries_;
  int64_t hits_ = 0, misses_ = 0;
};
AcceleratorCache*& accelerator_cache_slot() {  // replaced only in a forked child, before any other thread exists
  static AcceleratorCache* c = new AcceleratorCache();  // never deleted: a child's parent copy may be locked
  return c;
}
AcceleratorCache& accelerator_cache() { return *accelerator_cache_slot(); }

void after_fork_in_child() {
  unlock_engine_after_fork();
  accelerator_cache_slot() = AcceleratorCache::fresh_copy_in_child(accelerator_cache());
}

// As the CLI: batch 0 is the accelerator's default_batch (simulate only), resolution and seq_len 0 the model's own.
traces::BuildOptions build_options(const std::string& call, int64_t batch, int resolution, int64_t seq_len) {
  traces::BuildOptions o;
  o.batch = batch;
  o.resolution = resolution;
  o.seq_len = seq_len;
  traces::check_build_options(o, call + ": batch", call + ": resolution", call + ": seq_len");
  return o;
}

// As `ridgepoint info MODEL --batch B --resolution R --seq-len S --dtype T --json`; batch nullopt: an imported
// model's input_shape N, else 1 (the CLI's info default).
pyb::object info(const NetworkSpec& net, std::optional<int64_t> batch, int resolution, int64_t seq_len,
                 const std::string& dtype) {
  const int64_t b = batch ? *batch : (net.input_batch() > 0 ? net.input_batch() : 1);
  traces::BuildOptions o = build_options("info", b, resolution, seq_len);
  o.dtype = traces::parse_dtype(dtype);
  nlohmann::json j;
  {
    pyb::gil_scoped_release unlocked;
    j = cli::network_json(net.build(o));
  }
  return to_python(j);
}

// The accelerator and the build options of `simulate` / `compare` (experiments/cli/accel_options.cpp): batch
// nullopt is the accelerator's default_batch; a given batch is checked before the accelerator is built.
struct Target {
  std::shared_ptr<const accel::IAccelerator> acc;
  std::shared_ptr<accel::GroupMemo> memo;  // null: simulate whole under the engine mutex
  traces::BuildOptions build;
};
void check_batch(const std::string& call, std::optional<int64_t> batch, int resolution, int64_t seq_len) {
  build_options(call, batch.value_or(1), resolution, seq_len);
}
Target target(const std::string& call, const std::string& accel, std::optional<int64_t> batch, int resolution,
              int64_t seq_len, const std::vector<std::string>& sets) {
  Target t;
  AcceleratorCache::Built b = accelerator_cache().get(accel, sets);
  t.acc = std::move(b.acc);
  t.memo = std::move(b.memo);
  t.build = build_options(call, batch.value_or(t.acc->info().default_batch), resolution, seq_len);
  t.build.dtype = t.acc->info().precision;
  return t;
}

// accel::simulate_within_budgets(net, *t.acc), through the target's group memo when it has one (the same result,
// field by field: group_memo.h), which holds the engine mutex only around an engine run; else whole under it.
// The checks in simulate_within_budgets' order: area budget, HBM capacity, lowering and run, power budget.
sim::SimResult simulate_target(const traces::Network& net, const Target& t) {
  if (!t.memo) {
    const std::lock_guard<std::mutex> lock(engine_mutex());
    return accel::simulate_within_budgets(net, *t.acc);
  }
  const accel::AcceleratorInfo& info = t.acc->info();
  if (const std::string over = accel::over_area_budget(info); !over.empty()) throw SimulationError(over);
  const accel::MemoryCheck memory = accel::check_memory(net, info);
  if (!memory.fits) throw SimulationError(memory.reason);
  sim::SimResult r = t.memo->simulate(net, *t.acc);
  if (const std::string over = accel::over_power_budget(info, r); !over.empty()) throw SimulationError(over);
  return r;
}

// The batch of a call and the rule that chose it (experiments/kinds/model_files.h): batch=, else an imported
// model's input_shape N, else the accelerator's default_batch; worded as the CLI words the same call (batch= is
// --batch, input_shape= --input-shape), so a result equals the CLI's --json.
std::pair<std::optional<int64_t>, std::string> batch_of(const NetworkSpec& net, std::optional<int64_t> batch) {
  if (batch) return {batch, "--batch"};
  if (net.input_batch() > 0) return {net.input_batch(), "--input-shape"};
  return {std::nullopt, ""};
}

// As `ridgepoint simulate MODEL --accel ACCEL --batch B --resolution R --set K=V ... --trace F --chrome-trace F
// --csv F --json`: the same library call (cli::simulate_to_files), so the same files; `command` goes into the
// traces' meta.
pyb::object simulate(const NetworkSpec& net, const std::string& accel, std::optional<int64_t> batch, int resolution,
                     int64_t seq_len, const std::vector<std::string>& sets, const std::string& trace,
                     const std::string& chrome_trace, const std::string& csv, const std::string& command) {
  check_batch("simulate", batch, resolution, seq_len);
  const auto [b, flag] = batch_of(net, batch);
  nlohmann::json j;
  {
    const TimedRelease unlocked;
    const Target t = target("simulate", accel, b, resolution, seq_len, sets);
    const cli::SimFiles files{trace, chrome_trace, csv};
    const std::string rule = kinds::batch_rule(t.build.batch, flag, t.acc->info().name);
    const traces::Network n = net.build(t.build);
    if (trace.empty() && chrome_trace.empty() && csv.empty()) {
      j = cli::result_json(simulate_target(n, t), t.acc->info(), rule);
    } else {  // files: the CLI's call, whole under the engine mutex
      const std::lock_guard<std::mutex> lock(engine_mutex());
      j = cli::result_json(cli::simulate_to_files(n, *t.acc, files, command, rule), t.acc->info(), rule);
    }
  }
  return pyb::cast(std::make_unique<ResultJson>(std::move(j)));  // converted when Python reads it (result_py.h)
}

// As `ridgepoint compare MODEL... --accel ACCEL --batch B --set K=V ... --json`: one result per network.
pyb::object compare(const std::vector<NetworkSpec>& nets, const std::string& accel, std::optional<int64_t> batch,
                    int64_t seq_len, const std::vector<std::string>& sets) {
  if (nets.empty()) throw UsageError("compare: models: expected at least one model");
  check_batch("compare", batch, 0, seq_len);
  std::vector<nlohmann::json> results;
  {
    const TimedRelease unlocked;
    for (const auto& net : nets) {
      const auto [b, flag] = batch_of(net, batch);
      const Target t = target("compare", accel, b, 0, seq_len, sets);
      const std::string rule = kinds::batch_rule(t.build.batch, flag, t.acc->info().name);
      results.push_back(cli::result_json(simulate_target(net.build(t.build), t), t.acc->info(), rule));
    }
  }
  pyb::list out;  // each converted when Python reads it (result_py.h)
  for (nlohmann::json& j : results) out.append(pyb::cast(std::make_unique<ResultJson>(std::move(j))));
  return std::move(out);
}

// As `ridgepoint validate [--accel A ...] --json` (the same library call, validation::validate).
pyb::object validate(const std::vector<std::string>& accels) {
  nlohmann::json j;
  {
    pyb::gil_scoped_release unlocked;
    std::lock_guard<std::mutex> lock(engine_mutex());
    j = cli::validation_json(validation::validate(accels));
  }
  return to_python(j);
}

// As `ridgepoint run FILE [--output OUTPUT]` for the kinds that need no LibTorch (simulate, sweep), without MPI.
// output "": the file's own `output` (relative to the file's directory); the returned output is the path the run
// resolved.
pyb::object run(const std::string& file, int jobs, int64_t max_points, bool fresh, const std::string& output) {
  // ridgepoint.run() checks these first (the bounds of `ridgepoint run`, experiments/cli/cmd_run.cpp); these guard
  // callers of _core.run. max_points -1: no limit.
  if (jobs < 1 || jobs > run::kMaxJobs) {
    throw UsageError("run: jobs must be in [1, " + std::to_string(run::kMaxJobs) + "], got " + std::to_string(jobs));
  }
  if (max_points < -1) throw UsageError("run: max_points must be >= 0, got " + std::to_string(max_points));
  run::RunRequest r;
  r.file = file;
  r.jobs = jobs;
  r.max_units = max_points;
  r.fresh = fresh;
  r.output = output;
  r.version = RIDGEPOINT_VERSION;
  run::RunSummary s;
  {
    pyb::gil_scoped_release unlocked;
    std::lock_guard<std::mutex> lock(engine_mutex());
    kinds::run_experiment(r, std::cerr, &s);
  }
  return pyb::dict("output"_a = s.output, "total"_a = s.total, "done_before"_a = s.done_before,
                   "computed"_a = s.computed, "complete"_a = s.complete);
}

// The kinds Python runs as a `ridgepoint run` subprocess (they need LibTorch, which the module does not load).
std::vector<std::string> torch_kinds() {
  std::vector<std::string> names;
  for (const auto& k : kinds::kinds()) {
    if (k.needs_libtorch) names.push_back(k.name);
  }
  return names;
}

template <class T>
T in_range(const std::string& name, const char* arg, T value, T lo, T hi) {
  if (value < lo || value > hi) {
    throw UsageError(name + ": " + arg + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                     std::to_string(value));
  }
  return value;
}

// The fields and limits of a network file (traces/zoo/network_file.cpp, docs/models.md), as arguments.
NetworkSpec from_blocks(const std::vector<std::string>& blocks, const std::string& name, int resolution,
                        const std::string& activation, double width, double depth, double se_coefficient,
                        int stem_filters, int stem_kernel, int stem_stride, int head_filters, int classes) {
  traces::FamilyParams p;
  p.resolution = in_range(name, "resolution", resolution, traces::kMinResolution, traces::kMaxResolution);
  p.block_act = p.stem_act = p.head_act = traces::parse_act(activation);
  for (const auto& [arg, v] : {std::pair{"width", width}, {"depth", depth}, {"se_coefficient", se_coefficient}}) {
    if (!(v > 0 && v <= traces::kMaxScale)) {
      throw UsageError(name + ": " + arg + " must be in (0, " + std::to_string(traces::kMaxScale) + "], got " +
                       std::to_string(v));
    }
  }
  p.width = width;
  p.depth = depth;
  p.se_coefficient = se_coefficient;
  p.stem_filters = in_range(name, "stem_filters", stem_filters, 1, traces::kMaxFilters);
  p.stem_kernel = in_range(name, "stem_kernel", stem_kernel, 1, traces::kMaxKernel);
  p.stem_stride = in_range(name, "stem_stride", stem_stride, 1, traces::kMaxStride);
  p.head_filters = in_range(name, "head_filters", head_filters, 1, traces::kMaxFilters);
  p.num_classes = in_range(name, "classes", classes, 1, traces::kMaxClasses);
  return NetworkSpec::from_blocks(name, blocks, p);
}

}  // namespace
}  // namespace rp::py

PYBIND11_MODULE(_core, m) {
  using namespace rp::py;
  m.doc() = "Ridgepoint simulator core (see the ridgepoint package for the documented API)";
  m.attr("__version__") = RIDGEPOINT_VERSION;
  pyb::register_exception<rp::UsageError>(m, "UsageError", PyExc_ValueError);
  pyb::register_exception<rp::SimulationError>(m, "SimulationError", PyExc_RuntimeError);
  // A run stopped by Ctrl-C (its handlers hold SIGINT while it runs, experiments/run/interrupt.h) raises
  // ridgepoint.Interrupted, a KeyboardInterrupt; the journal keeps the progress.
  pyb::register_exception<rp::Interrupted>(m, "Interrupted", PyExc_KeyboardInterrupt);
  // A run whose models need LibTorch (a .pt in `models:`): ridgepoint.run() then runs it as a subprocess.
  pyb::register_exception<rp::kinds::NeedsLibTorch>(m, "NeedsLibTorch", PyExc_RuntimeError);
  const pyb::cpp_function unlock(&unlock_engine_after_fork);  // fork safety: see lock_engine_before_fork
  pyb::module_::import("os").attr("register_at_fork")("before"_a = pyb::cpp_function(&lock_engine_before_fork),
                                                      "after_in_parent"_a = unlock,
                                                      "after_in_child"_a = pyb::cpp_function(&after_fork_in_child));

  pyb::class_<NetworkSpec>(m, "Network")
      .def(pyb::init<const std::string&>(), "model"_a)
      // Defaults: those of a network file (traces::FamilyParams, docs/models.md), swish activations.
      .def_static("from_blocks", &from_blocks, "blocks"_a, "name"_a, "resolution"_a = 224, "activation"_a = "swish",
                  "width"_a = 1.0, "depth"_a = 1.0, "se_coefficient"_a = 1.0, "stem_filters"_a = 32,
                  "stem_kernel"_a = 3, "stem_stride"_a = 2, "head_filters"_a = 1280, "classes"_a = 1000)
      .def_static("_from_layer_list", &NetworkSpec::from_layer_list, "file"_a, "origin"_a, "input_batch"_a)
      .def_property_readonly("name", &NetworkSpec::name)
      .def_property_readonly("input_batch", &NetworkSpec::input_batch)
      .def_property_readonly("source", &NetworkSpec::source);
  pyb::implicitly_convertible<std::string, NetworkSpec>();

  m.def("models", [] { return to_python(rp::cli::models_json()); });
  m.def(
      "accelerators", [](const std::string& copies) { return to_python(rp::cli::accelerators_json(copies)); },
      "copies_dir"_a);
  m.def("info", &info, "network"_a, "batch"_a, "resolution"_a, "seq_len"_a, "dtype"_a);
  m.def("simulate", &simulate, "network"_a, "accel"_a, "batch"_a, "resolution"_a, "seq_len"_a, "sets"_a, "trace"_a,
        "chrome_trace"_a, "csv"_a, "command"_a);
  m.def("compare", &compare, "networks"_a, "accel"_a, "batch"_a, "seq_len"_a, "sets"_a);
  m.attr("MAX_SEQ_LEN") = rp::traces::kMaxSeqLen;
  m.def("validate", &validate, "accelerators"_a);
  // The bounds the CLI checks (traces/zoo/zoo.h), for the Python layer's own checks of values beyond C++'s types.
  m.attr("MAX_BATCH") = rp::traces::kMaxBatch;
  m.attr("MIN_RESOLUTION") = rp::traces::kMinResolution;
  m.attr("MAX_RESOLUTION") = rp::traces::kMaxResolution;
  m.attr("NETWORK_LIMITS") =
      pyb::dict("resolution"_a = pyb::make_tuple(rp::traces::kMinResolution, rp::traces::kMaxResolution),
                "stem_filters"_a = pyb::make_tuple(1, rp::traces::kMaxFilters),
                "stem_kernel"_a = pyb::make_tuple(1, rp::traces::kMaxKernel),
                "stem_stride"_a = pyb::make_tuple(1, rp::traces::kMaxStride),
                "head_filters"_a = pyb::make_tuple(1, rp::traces::kMaxFilters),
                "classes"_a = pyb::make_tuple(1, rp::traces::kMaxClasses));
  m.attr("MAX_SCALE") = rp::traces::kMaxScale;
  m.def("run", &run, "file"_a, "jobs"_a, "max_points"_a, "fresh"_a, "output"_a = "");
  m.def("peek_scalar", &rp::traces::peek_scalar, "file"_a, "key"_a);
  m.def("torch_kinds", &torch_kinds);
  rp::py::register_calibrate(m, rp::py::engine_mutex());
  m.attr("MAX_JOBS") = rp::run::kMaxJobs;
  // The cache of built accelerators (AcceleratorCache above): its counters and its memos' (summed), its size (0
  // turns it off), and its group memos on or off (off: each simulation runs whole under the engine mutex).
  m.def("_accelerator_cache_stats", [] { return accelerator_cache().stats(); });
  m.def(
      "_set_accelerator_cache", [](size_t capacity) { accelerator_cache().set_capacity(capacity); }, "capacity"_a);
  m.def(
      "_set_group_memo", [](bool on) { accelerator_cache().set_memo(on); }, "on"_a);
  rp::py::register_sensitivity(m, rp::py::engine_mutex());
  rp::py::register_result(m);  // ResultJson (what simulate and compare return) and _gil_released_seconds
}
