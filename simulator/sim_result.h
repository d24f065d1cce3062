#pragma once
// The result of one simulation, independent of accelerator family. Times in milliseconds, rates per second,
// W in FLOPs (2 per MAC), Q in bytes of main-memory (HBM) traffic.
#include <cstdint>
#include <string>
#include <vector>

namespace rp::sim {

struct StatValue {  // a counter a unit model registered (IUnitModel::register_stats), summed over instances
  std::string name, unit, description;
  double value = 0;
};

struct UnitSummary {
  std::string name;          // unit kind: "matrix", "vector", "dma_read", "hbm", ...; a datapath "sm.tensor_cores"
  std::string parent;        // for a datapath: the unit it is part of ("sm"); empty for a unit
  bool headline = false;     // one of the family's compute units (the ones `compare` shows)
  int instances = 0;         // how many units of this kind (e.g. one per core)
  double busy_ms = 0;        // summed over instances
  double busy_fraction = 0;  // busy_ms / (instances * latency)
  double contention_ms = 0;  // summed time ready work waited for a unit of this kind (0 for a datapath)
  int64_t tasks = 0;
  std::vector<StatValue> stats;  // its other registered counters
};

struct UnitInstance {        // one unit instance (index == its sim::UnitId), then one entry per memory (HBM)
  std::string name;          // IUnitModel::name() or the memory's name, e.g. "core0.matrix", "core0.hbm"
  std::string kind;          // its UnitSummary::name
  int channels = 1;          // parallel servers inside it: 1 for a unit, the channel count for an HBM
  double busy_ms = 0;        // summed over channels
  double contention_ms = 0;  // time its work waited for it
  int64_t tasks = 0;         // tasks served (HBM: transfers)
};

struct LayerSummary {  // one fused group (a kernel / XLA fusion), named by its anchor layer
  std::string name;
  std::vector<std::string> fused;  // the network layers it executes
  std::string unit;                // the unit doing its main work
  double start_ms = 0, end_ms = 0;
  int64_t macs = 0;
  double flops = 0;       // W
  double hbm_bytes = 0;   // Q
  double intensity = 0;   // I = W / Q
  double efficiency = 0;  // E = (W / duration) / min(peak, I * bandwidth)
};

struct SimResult {
  std::string model, accelerator;
  int64_t batch = 0;
  int64_t seq_len = 0;  // tokens per sequence of a sequence model; 0 for an image model
  double latency_ms = 0;
  double throughput = 0;              // images per second
  double flops = 0;                   // W
  double hbm_bytes = 0;               // Q
  double intensity = 0;               // I = W / Q
  double peak_flops = 0;              // FLOP/s of the device
  double hbm_bandwidth = 0;           // peak bytes/s of the device
  double achieved_flops = 0;          // W / latency
  double ideal_flops = 0;             // min(peak, I * bandwidth)
  double efficiency = 0;              // E = achieved / ideal
  double hbm_achieved_bandwidth = 0;  // Q / latency
  int64_t tasks = 0;
  // Memory capacity (accel_models/memory_check.h): what the network holds in HBM, bytes.
  double weight_bytes = 0;           // params x dtype bytes (one copy)
  double activation_bytes = 0;       // peak of the live activations of the whole batch
  double kv_cache_bytes = 0;         // attention layers' cached keys and values
  double hbm_capacity = 0;           // the device's HBM (0: unknown)
  double hbm_capacity_fraction = 0;  // needed / capacity of the most loaded private memory (TPU: a core's share)
  // Energy and area (accel_models/energy/): joules of the whole batch run, by component; 0 where not stated.
  double energy_j = 0;
  double energy_per_inference_mj = 0;
  double average_power_w = 0;  // energy_j / latency
  double tops_per_w = 0;       // W (FLOPs) per joule, in 10^12
  double inferences_per_j = 0;
  double energy_matrix_j = 0;  // matrix unit / tensor cores
  double energy_vector_j = 0;  // vector unit / CUDA cores
  double energy_onchip_j = 0;  // on-chip memory (VMEM, shared memory, L2)
  double energy_hbm_j = 0;
  double energy_static_j = 0;  // static power x latency
  double area_mm2 = 0;         // first-order die area of the configuration
  std::vector<UnitSummary> units;
  std::vector<UnitInstance> instances;  // the same figures per instance (a few entries: cheap, always filled)
  std::vector<LayerSummary> layers;
};

// Roofline: min(peak, I * bandwidth); E = achieved / that (0 when undefined).
double ideal_rate(double peak, double intensity, double bandwidth);

}  // namespace rp::sim
