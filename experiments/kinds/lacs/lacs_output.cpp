#include "experiments/kinds/lacs/lacs_output.h"

#include <H5Cpp.h>

#include "lacs/point_eval.h"
#include "traces/writers/hdf5_table.h"
#include "traces/writers/output_file.h"

namespace rp::lacs {
namespace {

void write_grid(H5::Group& root, const std::vector<PointResult>& grid, double phi) {
  traces::Hdf5Table t(grid.size());
  std::vector<double> a, b, g, acc, lat, rew, fr;
  std::vector<int32_t> stage, feasible, res, layers;
  std::vector<int64_t> params, macs;
  std::vector<std::string> status;
  for (const PointResult& p : grid) {
    a.push_back(p.t.alpha);
    b.push_back(p.t.beta);
    g.push_back(p.t.gamma);
    stage.push_back(p.stage);
    feasible.push_back(p.feasible ? 1 : 0);
    status.push_back(p.status);
    acc.push_back(p.accuracy);
    lat.push_back(p.latency_ms);
    rew.push_back(p.reward);
    fr.push_back(flops_ratio(p.t, phi));
    res.push_back(p.resolution);
    layers.push_back(p.layers);
    params.push_back(p.params);
    macs.push_back(p.macs);
  }
  t.add("alpha", a);
  t.add("beta", b);
  t.add("gamma", g);
  t.add("stage", stage);
  t.add("feasible", feasible);
  t.add("status", status);
  t.add("accuracy", acc);
  t.add("latency_ms", lat);
  t.add("reward", rew);
  t.add("flops_ratio", fr);
  t.add("resolution", res);
  t.add("layers", layers);
  t.add("params", params);
  t.add("macs", macs);
  t.write(root, "grid");
}

void write_family(H5::Group& root, const std::vector<Member>& family) {
  traces::Hdf5Table t(family.size());
  std::vector<std::string> fam, status, yaml;
  std::vector<double> a, b, g, depth, width, lat, acc;
  std::vector<int32_t> phi, res, layers, feasible;
  std::vector<int64_t> params, macs;
  for (const Member& m : family) {
    fam.push_back(m.family);
    a.push_back(m.t.alpha);
    b.push_back(m.t.beta);
    g.push_back(m.t.gamma);
    phi.push_back(m.phi);
    depth.push_back(m.depth);
    width.push_back(m.width);
    res.push_back(m.resolution);
    layers.push_back(m.layers);
    params.push_back(m.params);
    macs.push_back(m.macs);
    lat.push_back(m.latency_ms);
    acc.push_back(m.accuracy);
    feasible.push_back(m.feasible ? 1 : 0);
    status.push_back(m.status);
    yaml.push_back(m.yaml_path);
  }
  t.add("family", fam);
  t.add("alpha", a);
  t.add("beta", b);
  t.add("gamma", g);
  t.add("phi", phi);
  t.add("depth", depth);
  t.add("width", width);
  t.add("resolution", res);
  t.add("layers", layers);
  t.add("params", params);
  t.add("macs", macs);
  t.add("latency_ms", lat);
  t.add("accuracy", acc);
  t.add("feasible", feasible);
  t.add("status", status);
  t.add("yaml", yaml);
  t.write(root, "family");
}

void write_zoo(H5::Group& root, const std::vector<ZooReference>& zoo) {
  traces::Hdf5Table t(zoo.size());
  std::vector<std::string> fam, name;
  std::vector<int32_t> level;
  std::vector<double> lat, pub, sur;
  std::vector<int64_t> macs, params;
  for (const ZooReference& z : zoo) {
    fam.push_back(z.family);
    name.push_back(z.name);
    level.push_back(z.level);
    lat.push_back(z.latency_ms);
    macs.push_back(z.macs);
    params.push_back(z.params);
    pub.push_back(z.published_top1);
    sur.push_back(z.surrogate_top1);
  }
  t.add("family", fam);
  t.add("name", name);
  t.add("level", level);
  t.add("latency_ms", lat);
  t.add("macs", macs);
  t.add("params", params);
  t.add("published_top1", pub);
  t.add("surrogate_top1", sur);
  t.write(root, "zoo");
}

}  // namespace

void write_lacs_h5(const std::string& path, const LacsOutputMeta& meta, const std::vector<PointResult>& grid,
                   const std::vector<Member>& family, const std::vector<ZooReference>& zoo) {
  traces::OutputFile out(path);
  {
    H5::H5File f(out.tmp_path(), H5F_ACC_TRUNC);
    H5::Group root = f.openGroup("/");
    const LacsExperiment& e = meta.experiment;
    write_grid(root, grid, e.search_phi);
    write_family(root, family);
    write_zoo(root, zoo);
    traces::write_attr(root, "experiment", e.resolved_yaml());
    traces::write_attr(root, "experiment_canonical", e.canonical());
    traces::write_attr(root, "experiment_file", e.file);
    traces::write_attr(root, "accelerator", e.accelerator);
    traces::write_attr(root, "accelerator_config", meta.accelerator_yaml);
    traces::write_attr(root, "objective", objective_name(e.objective));
    traces::write_attr(root, "accuracy_method", meta.accuracy_method);
    traces::write_attr(root, "surrogate", meta.surrogate_yaml);
    traces::write_attr(root, "base", e.base);
    traces::write_attr(root, "base_latency_ms", meta.base_latency_ms);
    traces::write_attr(root, "target_latency_ms", meta.target_latency_ms);
    traces::write_attr(root, "alpha", meta.found.alpha);
    traces::write_attr(root, "beta", meta.found.beta);
    traces::write_attr(root, "gamma", meta.found.gamma);
    traces::write_attr(root, "tool_version", meta.version);
  }
  out.commit();
}

}  // namespace rp::lacs
