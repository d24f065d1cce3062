#include "experiments/kinds/hurricane/retrain_source.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "experiments/kinds/accuracy/sha256.h"
#include "experiments/kinds/accuracy/trial_command.h"
#include "experiments/kinds/accuracy/trial_python.h"
#include "experiments/run/interrupt.h"
#include "experiments/run/record_io.h"
#include "experiments/run/side_files.h"
#include "simulator/split.h"
#include "traces/zoo/layerwise_net.h"

namespace rp::kinds {
namespace {

const char* const kRate = "rate ";  // a rating request: "rate ARCH"

// A rating in the journal (its columns are none of the fitness or checkpoint records', so each reads only its own).
struct RatingRecord {
  std::string arch;  // op names, comma-separated
  double accuracy = hurricane::kNaN;
  std::string note;  // the failure; empty when rated
};

void rating_columns(Columns& c, RatingRecord& r) {
  c.column("retrain_arch", r.arch);
  c.column("retrain_accuracy", r.accuracy);
  c.column("retrain_note", r.note);
}

// An architecture's ops as std::getline read them (a canonical text has no empty op; kept as it was).
std::vector<std::string> split_ops(const std::string& arch) {
  SplitOptions o;
  o.keep_final_empty = false;
  return split_list(arch, o);
}

// A command trial's files: the architecture's ImageNet-scale network file and what proxy retraining would use.
TrialFiles trial_files(const HurricaneSettings& s, const std::string& arch) {
  traces::Skeleton sk = traces::default_skeleton(s.layers);
  sk.resolution = s.resolution;
  std::vector<traces::OpSpec> ops;
  for (const std::string& op : split_ops(arch)) ops.push_back(traces::parse_op(op));
  const std::string yaml = traces::layerwise_yaml(
      "hurricane-candidate", sk, ops,
      {"An architecture of a kind: hurricane run, for an external accuracy trial", "arch: " + arch});
  const nlohmann::json proxy = {{"kind", "hurricane"},
                                {"arch", arch},
                                {"layers", s.layers},
                                {"resolution", s.resolution},
                                {"proxy_width", s.width},
                                {"seed", s.retraining.seed},
                                {"train_images", s.retraining.train_images},
                                {"epochs", s.retraining.epochs},
                                {"dataset", "fashion-mnist"}};
  return {"arch-" + sha256_hex(arch).substr(0, 16), {{"network.yaml", yaml}, {"proxy.json", proxy.dump() + "\n"}}};
}

// The journal's ratings by architecture.
std::map<std::string, RatingRecord> journaled_ratings(run::RunContext& ctx) {
  std::map<std::string, RatingRecord> known;
  for (const RatingRecord& r : run::read_journal(ctx.journal(), rating_columns)) known[r.arch] = r;
  return known;
}

// The proxy's rows: the winner retrained inside the method, the others not.
std::vector<ResultRow> proxy_rows(const HurricaneSettings& s, const std::vector<hurricane::Reported>& reported) {
  std::vector<ResultRow> rows;
  for (const hurricane::Reported& r : reported) {
    const std::string note = !s.retrain                           ? "not retrained (retrain: off)"
                             : std::isnan(r.retrain_val_accuracy) ? "not retrained (the proxy retrains the winner only)"
                                                                  : "";
    rows.push_back({r, note, "proxy"});
  }
  return rows;
}

}  // namespace

void result_columns(Columns& c, ResultRow& row) {
  hurricane::reported_columns(c, row.r);
  c.column("retrain_note", row.retrain_note);
  c.column("accuracy_source", row.accuracy_source);
}

std::string accuracy_method(const HurricaneSettings& s) { return s.retrain ? s.retrain_method : "proxy"; }

std::string accuracy_budget(const HurricaneSettings& s) {
  // The supernet always trains on Fashion-MNIST (docs/hurricane.md: it has no dataset key).
  std::string b = "supernet: SPOS supernet trained with LibTorch on " +
                  proxy_training_text(s.supernet, traces::DatasetSpec{}) + " (inherited weights, BN recalibrated)";
  if (!s.retrain) return b + "; retrain: off";
  if (s.retrain_method == "proxy")
    return b + "; retrain: the winner trained from scratch, " + proxy_training_text(s.retraining, s.retrain_dataset);
  return b + "; retrain: " + source_budget(s.retrain_method, s.retrain_source);
}

bool is_rating_request(const std::string& request) { return request.rfind(kRate, 0) == 0; }

run::Job rating_job(const HurricaneSettings& s) {
  const bool table = s.retrain && s.retrain_method == "table";
  const auto loaded = table ? load_accuracy_table(s.retrain_source.file) : nullptr;
  const std::string side = run::side_directory(s.output);
  return [&s, loaded, side](const std::string& request) {
    const std::string arch = request.substr(std::string(kRate).size());
    Rating r;
    if (loaded) {
      const auto it = loaded->find(arch);
      if (it == loaded->end()) r.failure = table_miss(s.retrain_source.file);
      if (it != loaded->end()) r.accuracy = it->second;
    } else {
      const std::string dir = prepare_trial(side, trial_files(s, arch));
      r = rate_trial(s.retrain_method, s.retrain_source, dir, run::stop_check());
    }
    return encode_rating(r);
  };
}

std::vector<ResultRow> rated_results(run::RunContext& ctx, const HurricaneSettings& s,
                                     const std::vector<hurricane::Reported>& reported) {
  if (accuracy_method(s) == "proxy") return proxy_rows(s, reported);
  std::map<std::string, RatingRecord> known = journaled_ratings(ctx);
  std::vector<std::string> todo, requests;
  for (const hurricane::Reported& r : reported) {
    if (!known.count(r.arch) && std::find(todo.begin(), todo.end(), r.arch) == todo.end()) todo.push_back(r.arch);
  }
  for (const std::string& a : todo) requests.push_back(kRate + a);
  if (!todo.empty()) {
    ctx.log() << "hurricane: rating " << todo.size() << " reported architecture" << (todo.size() == 1 ? "" : "s")
              << " by the " << s.retrain_method << " source\n";
  }
  ctx.pool().run(requests, [&](size_t i, const std::string& reply) {
    const Rating x = decode_rating(reply);
    const RatingRecord rec{todo[i], x.failure.empty() ? x.accuracy : hurricane::kNaN, x.failure};
    ctx.journal().append(run::to_json(rec, rating_columns));
    known[rec.arch] = rec;
  });
  std::vector<ResultRow> rows;
  for (hurricane::Reported r : reported) {
    const RatingRecord& rec = known.at(r.arch);
    r.retrain_val_accuracy = rec.accuracy;
    r.retrain_test_accuracy = hurricane::kNaN;  // one accuracy per trial or table row: no test split
    rows.push_back({r, rec.note, s.retrain_method});
  }
  return rows;
}

}  // namespace rp::kinds
