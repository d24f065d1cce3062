#include "experiments/kinds/hurricane/hurricane_output.h"

#include <H5Cpp.h>

#include <cstdio>
#include <fstream>

#include "simulator/error.h"
#include "traces/writers/hdf5_table.h"
#include "traces/writers/output_file.h"
#include "traces/zoo/layerwise_net.h"

namespace rp::hurricane {
namespace {

std::string op_names(const HwSpace& s, const Arch& a) {
  std::string out;
  for (size_t i = 0; i < a.size(); ++i) out += (i ? "," : "") + s.layers[i].kept[static_cast<size_t>(a[i])].op;
  return out;
}

void write_space(H5::Group& root, const HwSpace& s) {
  std::vector<int32_t> layer, rank, kept, exploring;
  std::vector<std::string> op;
  std::vector<double> score, lat, mflops, mparams;
  for (const auto& l : s.layers) {
    for (size_t r = 0; r < l.ranked.size(); ++r) {
      const RankedOp& x = l.ranked[r];
      layer.push_back(l.slot.index);
      rank.push_back(static_cast<int32_t>(r));
      op.push_back(x.op);
      score.push_back(x.score);
      lat.push_back(x.latency_ms);
      mflops.push_back(x.mflops);
      mparams.push_back(x.mparams);
      int32_t k = 0, e = 0;
      for (const auto& y : l.kept) {
        if (y.op == x.op) {
          k = 1;
          e = y.exploring ? 1 : 0;
        }
      }
      kept.push_back(k);
      exploring.push_back(e);
    }
  }
  traces::Hdf5Table t(op.size());
  t.add("layer", layer);
  t.add("rank", rank);
  t.add("op", op);
  t.add("score", score);
  t.add("latency_ms", lat);
  t.add("mflops", mflops);
  t.add("mparams", mparams);
  t.add("kept", kept);
  t.add("exploring", exploring);
  t.write(root, "space");
}

void write_stage(H5::Group& root, const HwSpace& s, const StageOutcome& st) {
  const auto& c = st.ea.candidates;
  std::vector<int32_t> gen, feasible;
  std::vector<std::string> arch, idx;
  std::vector<double> lat, acc;
  for (const Candidate& x : c) {
    gen.push_back(x.generation);
    arch.push_back(op_names(s, x.arch));
    idx.push_back(arch_text(x.arch));
    lat.push_back(x.latency_ms);
    acc.push_back(x.fitness);
    feasible.push_back(x.feasible ? 1 : 0);
  }
  traces::Hdf5Table t(c.size());
  t.add("generation", gen);
  t.add("arch", arch);
  t.add("arch_index", idx);
  t.add("latency_ms", lat);
  t.add("supernet_accuracy", acc);
  t.add("feasible", feasible);
  const std::string name = "stage" + std::to_string(st.stage);
  t.write(root, name);
  std::string active;  // the stage's figures go on the root as stageN_* attributes
  for (char a : st.active) active += a ? '1' : '0';
  traces::write_attr(root, (name + "_active_layers").c_str(), active);
  traces::write_attr(root, (name + "_train_images").c_str(), static_cast<double>(st.train_images));
}

void write_result(H5::Group& root, const HwSpace& s, const std::vector<Reported>& rep) {
  std::vector<std::string> label, arch;
  std::vector<double> lat, acc, rval, rtest;
  std::vector<int64_t> macs, params;
  for (const Reported& r : rep) {
    label.push_back(r.label);
    arch.push_back(op_names(s, r.arch));
    lat.push_back(r.latency_ms);
    acc.push_back(r.supernet_accuracy);
    rval.push_back(r.retrain_val_accuracy);
    rtest.push_back(r.retrain_test_accuracy);
    macs.push_back(r.macs);
    params.push_back(r.params);
  }
  traces::Hdf5Table t(rep.size());
  t.add("label", label);
  t.add("arch", arch);
  t.add("latency_ms", lat);
  t.add("supernet_accuracy", acc);
  t.add("retrain_val_accuracy", rval);
  t.add("retrain_test_accuracy", rtest);
  t.add("macs", macs);
  t.add("params", params);
  t.write(root, "result");
}

}  // namespace

std::string winner_yaml_path(const std::string& output) { return traces::output_stem(output) + ".winner.yaml"; }

void write_winner_yaml(const HurricaneExperiment& e, const HurricaneOutcome& o) {
  const Reported& w = o.reported.back();
  traces::Skeleton sk = traces::default_skeleton(e.layers);
  sk.resolution = e.resolution;
  std::vector<traces::OpSpec> ops;
  for (size_t i = 0; i < w.arch.size(); ++i) {
    ops.push_back(traces::parse_op(o.space.layers[i].kept[static_cast<size_t>(w.arch[i])].op));
  }
  char figures[200];
  std::snprintf(figures, sizeof figures, "simulated latency %.6g ms at batch %lld (limit %.6g ms), supernet accuracy %.4f",
                w.latency_ms, static_cast<long long>(e.batch), e.latency_constraint_ms, w.supernet_accuracy);
  std::string set;
  for (const auto& kv : e.set) set += " --set " + kv;
  const std::string path = winner_yaml_path(e.output);
  const std::string text = traces::layerwise_yaml(
      "hurricane-" + w.label, sk, ops,
      {"HURRICANE winner (" + w.label + ") on " + e.accelerator + " (ridgepoint run " + e.file + ")", figures,
       "simulate: ridgepoint simulate " + path + " --accel " + e.accelerator + " --batch " + std::to_string(e.batch) +
           set});
  traces::write_atomically(path, [&](const std::string& tmp) {
    std::ofstream f(tmp);
    f << text;
    if (!f.flush()) throw UsageError("cannot write " + path);
  });
}

void write_hurricane_h5(const HurricaneExperiment& e, const HurricaneOutcome& o) {
  traces::OutputFile out(e.output);
  {
    H5::H5File f(out.tmp_path(), H5F_ACC_TRUNC);
    H5::Group root = f.openGroup("/");
    write_space(root, o.space);
    for (const StageOutcome& st : o.stages) write_stage(root, o.space, st);
    write_result(root, o.space, o.reported);
    traces::write_attr(root, "experiment_canonical", e.canonical());
    traces::write_attr(root, "experiment_file", e.file);
    traces::write_attr(root, "accelerator", e.accelerator);
    traces::write_attr(root, "accelerator_config", o.accelerator_yaml);
    traces::write_attr(root, "latency_constraint_ms", e.latency_constraint_ms);
    traces::write_attr(root, "batch", static_cast<double>(e.batch));
    traces::write_attr(root, "resolution", static_cast<double>(e.resolution));
    traces::write_attr(root, "space_size", o.space.size());
    traces::write_attr(root, "space_benchmarks", static_cast<double>(o.space.benchmarks));
    traces::write_attr(root, "accuracy_source",
         "proxy: SPOS supernet trained with LibTorch on Fashion-MNIST (inherited weights, BN recalibrated); "
         "retrain: the winner trained from scratch by the proxy trainer");
    traces::write_attr(root, "winner_yaml", winner_yaml_path(e.output));
    traces::write_attr(root, "tool_version", o.version);
  }
  out.commit();
}

}  // namespace rp::hurricane
