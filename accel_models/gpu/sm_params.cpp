#include "accel_models/gpu/sm_params.h"

#include "accel_models/config/param.h"

namespace rp::accel {

void describe_tensor_cores(ParamVisitor& v, SmParams& p) {
  using S = ParamSpec;
  v.integer("per_sm", p.tensor_cores_per_sm, S::count("", "tensor cores per SM").at_most(64));
  describe_rates(v, "fma_per_clock", p.tensor_fma, "FMA per tensor core and clock");
  v.integer("k_tile", p.k_tile, S::count("", "K step of a CTA's main loop").at_most(4096));
  named_entries(v, "tiles", p.tiles, [](ParamVisitor& t, TensorCoreTile& tile) {
    t.integer("m", tile.m, S::count("", "CTA tile rows (of M)").at_most(4096));
    t.integer("n", tile.n, S::count("", "CTA tile columns (of N)").at_most(4096));
    t.integer("blocks_per_sm", tile.blocks_per_sm, S::count("", "resident CTAs per SM").at_most(1024));
    t.real("efficiency", tile.efficiency, S::share("tensor-core utilisation in the main loop"));
  });
  v.require(!p.tiles.empty(), "tiles", "must list at least one tile shape");
}

void describe_cuda_cores(ParamVisitor& v, SmParams& p) {
  using S = ParamSpec;
  v.integer("per_sm", p.cuda_cores_per_sm, S::count("", "CUDA cores per SM").at_most(4096));
  describe_rates(v, "ops_per_core_per_clock", p.cuda_ops, "element operations per CUDA core and clock");
  v.group("cost_per_element", [&](ParamVisitor& g) { describe(g, p.costs); });
}

}  // namespace rp::accel
