#include "experiments/kinds/codesign/codesign_kind.h"

#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <ostream>

#include <nlohmann/json.hpp>

#include "accel_models/evaluate.h"
#include "experiments/kinds/accuracy/accuracy_source.h"
#include "experiments/kinds/accuracy/trial_python.h"
#include "experiments/kinds/codesign/codesign_output.h"
#include "experiments/kinds/codesign/codesign_search.h"
#include "experiments/kinds/codesign/codesign_settings.h"
#include "experiments/kinds/model_files.h"
#include "experiments/kinds/run_plan.h"
#include "experiments/run/interrupt.h"
#include "experiments/run/progress.h"
#include "experiments/run/record_io.h"
#include "experiments/run/side_files.h"
#include "lacs/point_eval.h"
#include "lacs/scaling.h"
#include "simulator/result_schema.h"

namespace rp::kinds {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using UnitKey = std::pair<int64_t, int64_t>;  // hardware point, network index

CodesignRow blank_row(const Codesign& c, int64_t point, int64_t network) {
  CodesignRow r;
  r.point = point;
  r.network_index = network;
  r.network = c.settings.networks[static_cast<size_t>(network)];
  const codesign::Genome g = codesign::decode(point, c.sizes);
  for (size_t k = 0; k < c.keys.size(); ++k) r.values.emplace_back(c.keys[k], c.values[k][static_cast<size_t>(g[k])]);
  r.figures.assign(codesign_fields().size(), kNaN);
  r.accuracy = kNaN;
  return r;
}

// A lacs_family member's accuracy, rated once by the run's process (a `command` trial is never run twice, nor by two
// workers at once; a resume reads the journaled ratings, rate_members): top-1 in percent (NaN when there is none), or why there is none.
struct MemberRating {
  int64_t member = -1;  // the member's index (network order)
  std::string source;
  double accuracy = kNaN;
  std::string failure;
  bool extrapolated = false;
};

MemberRating rate_member(const Codesign& c, const FamilyMember& m, const AccuracyTable* table,
                         const std::string& side) {
  const CodesignSettings& s = c.settings;
  MemberRating out;
  out.source = s.accuracy ? s.accuracy_method : "none";
  if (!s.accuracy) return out;
  if (!m.limit.empty()) {
    out.failure = m.limit;
    return out;
  }
  if (s.accuracy_method == "surrogate") {
    const lacs::Surrogate sur = lacs::Surrogate::builtin(s.fit);
    const traces::MbconvSpec base = traces::mbconv_spec(s.family_base);
    const lacs::Accuracy a = lacs::surrogate_top1(sur, lacs::effective_multipliers(base, m.scaled), 0,
                                                  s.base_top1 > 0 ? s.base_top1 : sur.base_top1());
    out.accuracy = a.top1;
    out.failure = a.reason;
    out.extrapolated = !a.extrapolated.empty();
    return out;
  }
  // table and command rate the member's network file as a LACS run's candidate (lacs/scaling.h candidate_yaml).
  const nlohmann::json proxy = {{"kind", "codesign"},
                                {"base", s.family_base},
                                {"phi", m.phi},
                                {"resolution", m.spec.params.resolution},
                                {"resolution_ratio", m.scaled.resolution_ratio}};
  const Rating r =
      rate_network_file(s.accuracy_method, s.accuracy_source, table, side, lacs::candidate_yaml(m.spec), proxy);
  if (r.failure.empty()) out.accuracy = 100 * r.accuracy;  // percent, as LACS's
  out.failure = r.failure;
  return out;
}

// A member's rating as a journal record of its own (read_journal skips the point records, and they skip these), so
// a resumed run does not rate again: a `command` trial may train for hours.
void member_rating_columns(Columns& c, MemberRating& r) {
  c.column("member_rated", r.member);
  c.column("member_accuracy", r.accuracy);
  c.column("member_failure", r.failure);
  c.column("member_extrapolated", r.extrapolated);
}

// Every member's rating, in network order (empty for a list of networks), journaled as it is made and read back
// on a resume; logs the failures and table misses.
std::vector<MemberRating> rate_members(run::RunContext& ctx, const Codesign& c, int64_t& misses) {
  const CodesignSettings& s = c.settings;
  std::vector<MemberRating> out;
  if (c.members.empty()) return out;
  std::map<int64_t, MemberRating> known;
  for (const MemberRating& r : run::read_journal(ctx.journal(), member_rating_columns)) known[r.member] = r;
  const auto table = s.accuracy_method == "table" ? load_accuracy_table(s.accuracy_source.file) : nullptr;
  const std::string side = run::side_directory(s.output);
  for (const FamilyMember& m : c.members) {
    const int64_t index = static_cast<int64_t>(out.size());
    const auto found = known.find(index);
    if (found != known.end()) {
      out.push_back(found->second);
      out.back().source = s.accuracy ? s.accuracy_method : "none";
    } else {
      out.push_back(rate_member(c, m, table.get(), side));
      out.back().member = index;
      if (s.accuracy) ctx.journal().append(run::to_json(out.back(), member_rating_columns));
    }
    if (is_table_miss(out.back().failure)) ++misses;
    if (s.accuracy) {
      ctx.log() << "accuracy of " << m.name << ": " << (out.back().failure.empty() ? "" : out.back().failure);
      if (out.back().failure.empty()) ctx.log() << out.back().accuracy << "% top-1";
      ctx.log() << "\n";
    }
  }
  return out;
}

// Evaluates units in a worker: one memoized evaluator per hardware point (consecutive units share it: units are
// asked point by point), model files imported once per run (ModelCache).
class UnitEvaluator {
 public:
  explicit UnitEvaluator(const Codesign& c) : c_(c) {
    for (const auto& m : c.settings.networks) {
      if (importer_for(m)) models_.build(m, traces::BuildOptions{});
    }
  }

  CodesignRow operator()(int64_t point, int64_t network) {
    CodesignRow r = blank_row(c_, point, network);
    accel::Evaluator* memo = evaluator(point);
    if (!memo) {
      r.reason = reason_;  // a combination the config's cross-field rules refuse
      return r;
    }
    const auto& info = memo->accelerator().info();
    r.figures[static_cast<size_t>(field_position("area_mm2"))] = info.area.total_mm2;
    traces::BuildOptions o;
    o.batch = c_.settings.hardware.batch;
    o.dtype = info.precision;
    const FamilyMember* member = c_.members.empty() ? nullptr : &c_.members[static_cast<size_t>(network)];
    if (member && !member->limit.empty()) {
      r.reason = member->limit;  // the scaled network is outside the limits of a network file: never built
      return r;
    }
    const accel::Outcome& out = (*memo)(
        r.network, [&] { return member ? lacs::build(member->spec, o.batch, o.dtype) : models_.build(r.network, o); });
    if (!out.ok) {
      r.reason = out.reason;  // over a budget, over the HBM capacity, not mappable: a row, not a crash
      return r;
    }
    r.feasible = true;
    size_t i = 0, k = 0;
    for (const auto& f : sim::result_fields()) {
      if (f.in_sweeps) r.figures[k++] = out.figures[i];
      ++i;
    }
    return r;
  }

  int64_t imports() const { return models_.imports(); }

 private:
  accel::Evaluator* evaluator(int64_t point) {
    if (point == point_) return memo_.get();
    point_ = point;
    memo_.reset();
    reason_.clear();
    const codesign::Genome g = codesign::decode(point, c_.sizes);
    std::vector<accel::Override> overrides;
    for (size_t k = 0; k < g.size(); ++k) overrides.push_back(c_.typed[k][static_cast<size_t>(g[k])]);
    try {
      memo_ = std::make_unique<accel::Evaluator>(c_.base.with(overrides).build());
    } catch (const UsageError& err) {
      reason_ = err.what();
    }
    return memo_.get();
  }

  const Codesign& c_;
  ModelCache models_;
  int64_t point_ = -1;
  std::unique_ptr<accel::Evaluator> memo_;
  std::string reason_;
};

// Thrown when --max-points ends the run before the search has what it asked for.
struct Stopped {};

// The search's side of the run: units journaled or computed through the pool, on demand.
class Units {
 public:
  Units(run::RunContext& ctx, const Codesign& c, const std::vector<MemberRating>& ratings, int64_t expected)
      : ctx_(ctx), c_(c), ratings_(ratings) {
    const CodesignRow blank = blank_row(c, 0, 0);
    for (CodesignRow& r : run::read_journal(ctx.journal(), point_columns, blank)) {
      if (r.point < 0 || r.point >= c.points || r.network_index < 0 ||
          r.network_index >= static_cast<int64_t>(c.settings.networks.size())) {
        continue;
      }
      CodesignRow whole = blank_row(c, r.point, r.network_index);  // the identity from the index, the rest read
      whole.feasible = r.feasible;
      whole.reason = r.reason;
      whole.figures = r.figures;
      rows_[{r.point, r.network_index}] = rated(std::move(whole));
    }
    before_ = static_cast<int64_t>(rows_.size());
    bar_ = std::make_unique<run::Progress>(ctx.log(), expected, before_, run::is_terminal(2));
  }

  // Every network's row of each point, computing what the journal lacks; Stopped when --max-points ends it first.
  void ensure(const std::vector<int64_t>& points) {
    std::vector<std::string> todo;
    bool cut = false;
    for (int64_t p : points) {
      for (int64_t n = 0; n < static_cast<int64_t>(c_.settings.networks.size()); ++n) {
        if (rows_.count({p, n})) continue;
        const int64_t budget = ctx_.budget();
        if (budget >= 0 && static_cast<int64_t>(todo.size()) >= budget) {
          cut = true;
          break;
        }
        todo.push_back(std::to_string(p) + ":" + std::to_string(n));
      }
    }
    ctx_.pool().run(todo, [&](size_t, const std::string& reply) {
      CodesignRow r = run::from_json(reply, point_columns, blank_row(c_, 0, 0));
      ctx_.journal().append(reply);
      CodesignRow whole = blank_row(c_, r.point, r.network_index);
      whole.feasible = r.feasible;
      whole.reason = r.reason;
      whole.figures = r.figures;
      rows_[{r.point, r.network_index}] = rated(std::move(whole));
      ctx_.count();
      bar_->update(++computed_);
      ctx_.summary().computed = computed_;
    });
    if (cut) throw Stopped{};
  }

  // The evolution's fitness of a point: the sum over networks and objectives of ln(objective) (each objective's
  // ratio counts alike, whatever its unit); infinity unless every network's row is feasible. A family member
  // without an accuracy (a table miss, a failed trial, outside the network-file limits) is infeasible on every
  // point, which says nothing about the hardware: it is left out (infinity when every network is).
  double fitness(int64_t point) const {
    double f = 0;
    bool any = false;
    for (int64_t n = 0; n < static_cast<int64_t>(c_.settings.networks.size()); ++n) {
      if (!ratings_.empty() && !ratings_[static_cast<size_t>(n)].failure.empty()) continue;
      any = true;
      const CodesignRow& r = rows_.at({point, n});
      if (!r.feasible) return std::numeric_limits<double>::infinity();
      for (const auto& o : c_.settings.objectives) {
        f += o == "accuracy" ? -std::log(r.accuracy) : std::log(r.figures[static_cast<size_t>(field_position(o))]);
      }
    }
    return any ? f : std::numeric_limits<double>::infinity();
  }

  std::vector<CodesignRow> table() const {
    std::vector<CodesignRow> out;
    for (const auto& [key, r] : rows_) out.push_back(r);
    return out;
  }
  int64_t before() const { return before_; }
  int64_t computed() const { return computed_; }
  int64_t size() const { return static_cast<int64_t>(rows_.size()); }
  void finish_bar() { bar_->finish(); }

 private:
  // The row with its network's accuracy; a feasible row whose network has no accuracy becomes infeasible.
  CodesignRow rated(CodesignRow r) const {
    if (ratings_.empty()) return r;
    const MemberRating& m = ratings_[static_cast<size_t>(r.network_index)];
    r.accuracy_source = m.source;
    r.accuracy = m.accuracy;
    r.extrapolated = m.extrapolated;
    if (r.feasible && !m.failure.empty()) {
      const size_t area = static_cast<size_t>(field_position("area_mm2"));
      for (size_t k = 0; k < r.figures.size(); ++k) r.figures[k] = k == area ? r.figures[k] : kNaN;
      r.feasible = false;
      r.reason = "no accuracy: " + m.failure;
    }
    return r;
  }

  run::RunContext& ctx_;
  const Codesign& c_;
  const std::vector<MemberRating>& ratings_;
  std::map<UnitKey, CodesignRow> rows_;
  int64_t before_ = 0, computed_ = 0;
  std::unique_ptr<run::Progress> bar_;
};

// The root attributes of a codesign output beside the run's own.
struct CodesignInfo {
  std::string objectives, networks, hardware_keys, method;
  double budget_area_mm2 = 0, budget_power_w = 0;
  int64_t space_points = 0, batch = 0;
};
void info_columns(Columns& c, CodesignInfo& i) {
  c.column("objectives", i.objectives);
  c.column("networks", i.networks);
  c.column("hardware_keys", i.hardware_keys);
  c.column("search_method", i.method);
  c.column("budget_area_mm2", i.budget_area_mm2);
  c.column("budget_power_w", i.budget_power_w);
  c.column("space_points", i.space_points);
  c.column("batch", i.batch);
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

CodesignInfo info_of(const Codesign& c) {
  const CodesignSettings& s = c.settings;
  return {joined(s.objectives), joined(s.networks), joined(c.keys), s.method,
          s.area_budget_mm2,    s.power_budget_w,   c.points,       s.hardware.batch};
}

// Runs the search to its end (Stopped when --max-points ends it first); logs the evolution's best point.
void search(const Codesign& c, Units& units, std::ostream& log) {
  const CodesignSettings& s = c.settings;
  if (s.method == "grid") {
    std::vector<int64_t> all;
    for (int64_t p = 0; p < c.points; ++p) all.push_back(p);
    units.ensure(all);
    return;
  }
  codesign::EvolutionOptions o;
  o.population = s.population;
  o.generations = s.generations;
  o.tournament = s.tournament;
  o.seed = static_cast<uint64_t>(s.seed);
  const codesign::SearchResult r = codesign::evolve(c.sizes, o, [&](const std::vector<codesign::Genome>& batch) {
    std::vector<int64_t> points;
    for (const auto& g : batch) points.push_back(codesign::encode(g, c.sizes));
    units.ensure(points);
    std::vector<double> f;
    for (int64_t p : points) f.push_back(units.fitness(p));
    return f;
  });
  log << "evolution: " << r.evaluated.size() << " of " << c.points << " hardware points evaluated; best point "
      << codesign::encode(r.best, c.sizes) << "\n";
}

}  // namespace

int run_codesign(run::RunContext& ctx) {
  const Codesign c = load_codesign(ctx.request().file, ctx.request().output);
  CodesignSettings s = c.settings;
  UnitEvaluator evaluate(c);
  if (evaluate.imports() > 0) ctx.log() << "imported " << evaluate.imports() << " model file(s), once for the run\n";
  const run::Job job = [&](const std::string& unit) {
    const size_t colon = unit.find(':');
    return run::to_json(evaluate(std::stoll(unit.substr(0, colon)), std::stoll(unit.substr(colon + 1))), point_columns);
  };
  CodesignSettings declared = s;  // as the file gives it: a family's member names are not settings
  if (declared.family) declared.networks.clear();
  run::RunPlan plan =
      make_plan(s.kind, s.output, declaration<CodesignSettings>(declared, describe), ctx.request(), false);
  if (s.accuracy) add_accuracy_inputs(plan, s.accuracy_method, s.accuracy_source);  // a changed table refuses a resume
  if (!ctx.begin(plan, job)) return 0;
  if (s.accuracy) start_accuracy_source(ctx, s.accuracy_method, s.accuracy_source);
  AccuracyAttributes accuracy{s.accuracy ? s.accuracy_method : "none",
                              s.accuracy ? source_budget(s.accuracy_method, s.accuracy_source) : "", 0};
  const std::vector<MemberRating> ratings = rate_members(ctx, c, accuracy.table_misses);
  const int64_t networks = static_cast<int64_t>(s.networks.size());
  const int64_t expected =
      s.method == "grid" ? c.points * networks : std::min(c.points, s.population * (s.generations + 1)) * networks;
  Units units(ctx, c, ratings, expected);
  if (units.before() > 0) ctx.log() << "resuming: " << units.before() << " units already done\n";
  ctx.summary().total = expected;
  ctx.summary().done_before = units.before();
  try {
    search(c, units, ctx.log());
  } catch (const Stopped&) {
    units.finish_bar();
    ctx.log() << "stopped with " << units.size() << " units done (progress kept in " << ctx.journal().path()
              << "); run the same command again to resume\n";
    return 0;
  }
  units.finish_bar();
  ctx.summary().total = units.size();  // the evolution's units are known only now (the grid's were already)
  const std::vector<CodesignRow> table = units.table();
  const std::vector<CodesignRow> front = pareto_rows(table, s.networks, s.objectives);
  const CodesignInfo info = info_of(c);
  ctx.write_output([&](traces::H5Out& root) {
    run::write_table(root, "points", table, point_columns);
    run::write_table(root, "pareto", front, pareto_columns);
    run::write_attributes(root, info, info_columns);
    if (s.family) run::write_attributes(root, accuracy, accuracy_attribute_columns);
  });
  ctx.finish();
  ctx.log() << "wrote " << s.output << ": " << table.size() << " rows, " << front.size() << " on the Pareto fronts ("
            << units.computed() << " computed now, " << units.before() << " resumed)\n";
  return 0;
}

}  // namespace rp::kinds
