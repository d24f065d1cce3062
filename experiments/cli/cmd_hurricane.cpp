// `ridgepoint hurricane space --accel NAME`: HURRICANE's hardware-aware space for an accelerator: per learnable layer
// the ops it keeps (ranked by score = (MFLOPs x Mparams)^alpha / latency_ms), or with --all the whole pool's ranking.
#include <cmath>
#include <cstdio>
#include <ostream>

#include "accel_models/evaluate.h"
#include "experiments/cli/accel_options.h"
#include "experiments/cli/command.h"
#include "experiments/cli/options.h"
#include "nas/hurricane/space/space_gen.h"
#include "simulator/error.h"
#include "simulator/split.h"

namespace rp::cli {
namespace {

// --pool and --ops: the named ops, empty items skipped ("SEP_3,,MB_3_1," names two).
std::vector<std::string> op_list(const std::string& s) {
  SplitOptions o;
  o.skip_empty = true;
  return split_list(s, o);
}

void print_layer(const hurricane::LayerSpace& l, bool all, std::ostream& out) {
  char line[200];
  std::snprintf(line, sizeof line, "layer %d  stage %d  %lld -> %lld channels  stride %d  input %dx%d\n", l.slot.index,
                l.slot.stage, static_cast<long long>(l.slot.in_channels), static_cast<long long>(l.slot.out_channels),
                l.slot.stride, l.slot.in_h, l.slot.in_w);
  out << line;
  const auto& rows = all ? l.ranked : l.kept;
  for (size_t r = 0; r < rows.size(); ++r) {
    const hurricane::RankedOp& x = rows[r];
    std::string mark = " ";
    for (const auto& k : l.kept) {
      if (k.op == x.op) mark = k.exploring ? "e" : "*";
    }
    if (std::isinf(x.latency_ms)) {
      std::snprintf(line, sizeof line, "  %2zu %s %-12s does not run on this accelerator\n", r + 1, mark.c_str(),
                    x.op.c_str());
    } else {
      std::snprintf(line, sizeof line, "  %2zu %s %-12s score %10.4g  latency %9.4f ms  %9.2f MFLOPs  %7.4f Mparams\n",
                    r + 1, mark.c_str(), x.op.c_str(), x.score, x.latency_ms, x.mflops, x.mparams);
    }
    out << line;
  }
}

// Why layer `index` ranks its ops as it does: each op simulated alone, with the busy share and contention of every
// unit (the same simulation the ranking used).
void explain_layer(const hurricane::HwSpace& s, int index, const Target& t, std::ostream& out) {
  if (index < 0 || index >= static_cast<int>(s.layers.size())) {
    throw UsageError("hurricane: --explain must be a layer in 0.." + std::to_string(s.layers.size() - 1) + ", got " +
                     std::to_string(index));
  }
  const hurricane::LayerSpace& l = s.layers[static_cast<size_t>(index)];
  out << "\nlayer " << index << " explained (each op simulated alone; busy = share of the op's latency a unit "
      << "worked, contention = ms ready work waited for a unit of that kind, summed over its units: HBM over "
         "its channels):\n";
  for (const auto& r : l.ranked) {
    const traces::Network n =
        traces::op_network(s.skeleton, l.slot, traces::parse_op(r.op), t.build.batch, t.build.dtype);
    const accel::Evaluation ev = accel::evaluate(n, *t.acc);
    char line[200];
    if (!ev.ok) {
      std::snprintf(line, sizeof line, "  %-12s %s\n", r.op.c_str(), ev.reason.c_str());
      out << line;
      continue;
    }
    std::snprintf(line, sizeof line, "  %-12s %9.4f ms  I %7.1f FLOP/B ", r.op.c_str(), ev.result.latency_ms,
                  ev.result.intensity);
    out << line;
    for (const auto& u : ev.result.units) {
      std::snprintf(line, sizeof line, " %s %.2f/%.3g", u.name.c_str(), u.busy_fraction, u.contention_ms);
      out << line;
    }
    out << "\n";
  }
}

}  // namespace

int cmd_hurricane(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("what", po::value<std::string>()->required(), "space")(
      "layers", po::value<int>()->default_value(20), "learnable layers of the skeleton (4..64)")(
      "p", po::value<int>()->default_value(4), "ops kept per layer")("alpha", po::value<double>()->default_value(0.5),
                                                                     "capacity exponent of the score")(
      "exploring-layers", po::value<int>()->default_value(4), "last layers that keep an extra exploring op")(
      "pool", po::value<std::string>(), "comma-separated candidate ops (default: all 32)")(
      "ops", po::value<std::string>(), "comma-separated hand-designed op list kept at every layer")(
      "resolution", po::value<int>()->default_value(224), "input resolution")(
      "all", "show every op of the pool per layer (kept ones marked * and e), not only the kept ones")(
      "explain", po::value<int>(),
      "for this layer, every op's per-unit busy share and contention (busy/contention ms)");
  add_accel_options(desc);
  po::positional_options_description pos;
  pos.add("what", 1);
  po::variables_map vm;
  if (parse_options("hurricane", "ridgepoint hurricane space --accel NAME [--p 4] [--alpha 0.5] [--all]", args, desc,
                    pos, vm, out)) {
    return 0;
  }
  const std::string what = vm["what"].as<std::string>();
  if (what != "space") throw UsageError("hurricane: unknown subcommand '" + what + "' (expected space)");
  hurricane::SpaceOptions o;
  o.p = vm["p"].as<int>();
  o.alpha = vm["alpha"].as<double>();
  o.exploring_layers = vm["exploring-layers"].as<int>();
  if (vm.count("pool")) o.pool = op_list(vm["pool"].as<std::string>());
  if (vm.count("ops")) o.fixed_ops = op_list(vm["ops"].as<std::string>());
  const int resolution = vm["resolution"].as<int>();
  if (resolution < 32 || resolution > 4096) {
    throw UsageError("hurricane: --resolution must be in 32..4096, got " + std::to_string(resolution));
  }
  traces::Skeleton sk = traces::default_skeleton(vm["layers"].as<int>());
  sk.resolution = resolution;
  const Target t = load_target(vm, "hurricane");
  const hurricane::HwSpace s =
      hurricane::generate_space(o, sk, t.build.batch, t.build.dtype, [&](const traces::Network& n) {
        const accel::Evaluation ev = accel::evaluate(n, *t.acc);
        return ev.ok ? ev.result.latency_ms : INFINITY;
      });
  char line[200];
  std::snprintf(line, sizeof line,
                "space on %s  batch %lld  %s  resolution %d: %d layers, %.4g architectures "
                "(%lld op benchmarks, %.2f s)\n",
                t.acc->info().name.c_str(), static_cast<long long>(t.build.batch),
                traces::dtype_name(t.build.dtype).c_str(), resolution, sk.layers(), s.size(),
                static_cast<long long>(s.benchmarks), s.seconds);
  out << line << "score = (MFLOPs x Mparams)^" << o.alpha
      << " / latency_ms, latency of the op alone at the layer's input (docs/hurricane.md); * kept, e exploring\n";
  for (const auto& l : s.layers) print_layer(l, vm.count("all") > 0, out);
  if (vm.count("explain")) explain_layer(s, vm["explain"].as<int>(), t, out);
  return 0;
}

}  // namespace rp::cli
