#include "experiments/cli/catalog_json.h"

#include "accel_models/common/registry.h"
#include "accel_models/config/builtin_configs.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {
namespace {

nlohmann::json shape_json(const traces::Shape& s) { return {s.n, s.h, s.w, s.c}; }

}  // namespace

nlohmann::json models_json() {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : traces::zoo()) {
    arr.push_back({{"name", e.name}, {"resolution", e.default_resolution}, {"description", e.description}});
  }
  return arr;
}

nlohmann::json accelerators_json(const std::string& copies_dir) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& c : accel::builtin_configs()) {
    const auto info = accel::make_accelerator(c.name)->info();
    arr.push_back({{"name", c.name},
                   {"family", info.family},
                   {"precision", traces::dtype_name(info.precision)},
                   {"default_batch", info.default_batch},
                   {"peak_flops", info.peak_flops},
                   {"hbm_bandwidth", info.hbm_bandwidth},
                   {"yaml", copies_dir.empty() ? std::string() : copies_dir + "/" + c.name + ".yaml"}});
  }
  return arr;
}

nlohmann::json network_json(const traces::Network& n) {
  nlohmann::json layers = nlohmann::json::array();
  for (int id = 0; id < n.size(); ++id) {
    const auto& l = n.layer(id);
    nlohmann::json in = nlohmann::json::array();
    for (int p : l.inputs) in.push_back(shape_json(n.layer(p).output));
    layers.push_back({{"name", l.name},
                      {"kind", traces::kind_name(l.kind)},
                      {"group", l.group},
                      {"input_shape", l.inputs.size() == 1 ? in[0] : in},
                      {"output_shape", shape_json(l.output)},
                      {"macs", l.macs},
                      {"flops", l.flops()},
                      {"params", l.params},
                      {"weight_bytes", l.params * traces::dtype_bytes(n.dtype())},
                      {"activation_bytes", n.output_bytes(id)}});
  }
  return {{"model", n.name()},
          {"resolution", n.resolution()},
          {"batch", n.batch()},
          {"dtype", traces::dtype_name(n.dtype())},
          {"params", n.params()},
          {"macs", n.macs()},
          {"flops", n.flops()},
          {"weight_bytes", n.weight_bytes()},
          {"activation_bytes", n.activation_bytes()},
          {"layers", layers}};
}

}  // namespace rp::cli
