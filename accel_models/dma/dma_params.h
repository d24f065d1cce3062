#pragma once
// Typed parameters of the DMA engines (TPU `dma`) or a GPU's memory paths (`memory_path`), SI units.
namespace rp::accel {

class ParamVisitor;

struct DmaParams {
  int read_engines = 0;   // engines that bring tiles in (loads)
  int write_engines = 0;  // engines that write results back (stores)
  double setup = 0;       // seconds per transfer
};

// read_engines, write_engines, setup_ns.
void describe(ParamVisitor& v, DmaParams& p);

}  // namespace rp::accel
