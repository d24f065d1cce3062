#include "nas/search/nas_search.h"

#include <algorithm>

#include "nas/space/arch_network.h"

namespace rp::nas {
namespace {

// One round: the controller's proposals, with what is known, simulated and rated.
class Round {
 public:
  Round(const NasProblem& p, NasOutcome& out, std::map<std::string, Rating>& rated, int64_t first, int n)
      : p_(p), out_(out), rated_(rated), archs_(p.controller->propose(n)), samples_(static_cast<size_t>(n)) {
    for (int i = 0; i < n; ++i) {
      samples_[static_cast<size_t>(i)].step = first + i;
      samples_[static_cast<size_t>(i)].arch = p.space->canonical(archs_[static_cast<size_t>(i)]);
      samples_[static_cast<size_t>(i)].accuracy_source = p.accuracy_source;
    }
  }

  // Takes journaled samples, simulates the rest up to the budget; false when the budget cut the round short (what
  // was simulated is still rated, so every new sample counted against the budget is finished).
  bool prepare(int64_t& fresh) {
    if (p_.reward.control == LatencyControl::shuffled_latency) assign_donors();
    for (size_t i = 0; i < samples_.size(); ++i) {
      Sample& s = samples_[i];
      const auto it = p_.known.find(s.step);
      if (it != p_.known.end()) {
        if (it->second.arch != s.arch) {
          throw UsageError("step " + std::to_string(s.step) + " recorded " + it->second.arch +
                           " but the controller proposes " + s.arch + " (a journal of another build?); use --fresh");
        }
        s = it->second;
        ++out_.resumed;
        continue;
      }
      if (p_.budget >= 0 && fresh >= p_.budget) return false;
      ++fresh;
      simulate(s, archs_[i]);
    }
    return true;
  }

  // Rates what is new (each distinct architecture once), reuses what is known.
  void rate() {
    std::vector<std::string> requests;
    for (const Sample& s : samples_) {
      if (pending(s) && !rated_.count(s.arch) &&
          std::find(requests.begin(), requests.end(), s.arch) == requests.end()) {
        requests.push_back(s.arch);
      }
    }
    for (Sample& s : samples_) {  // repeats of architectures rated in earlier rounds
      if (pending(s) && rated_.count(s.arch)) finish(s, rated_.at(s.arch), false);
    }
    if (requests.empty()) return;
    const std::vector<Rating> acc = p_.accuracy(requests);
    for (size_t r = 0; r < requests.size(); ++r) {
      rated_[requests[r]] = acc.at(r);
      bool first = true;
      for (Sample& s : samples_) {
        if (s.arch == requests[r] && pending(s)) {
          finish(s, acc[r], first);  // a repeat within the round reuses the first's rating
          first = false;
        }
      }
    }
  }

  void feedback() {
    std::vector<double> rewards;
    for (const Sample& s : samples_) rewards.push_back(s.reward);
    p_.controller->feedback(archs_, rewards);
    out_.table.insert(out_.table.end(), samples_.begin(), samples_.end());
  }

 private:
  bool pending(const Sample& s) const { return s.feasible && s.reward == kPending && !p_.known.count(s.step); }

  void simulate(Sample& s, const Choices& c) {
    const accel::Outcome& o = evaluate_arch(*p_.evaluator, *p_.space, c, p_.resolution, p_.batch);
    s.macs = o.macs / p_.batch;
    s.params = o.params;
    if (!o.ok) {
      s.feasible = false;
      s.reason = o.reason;
      s.reward = RewardSpec::kInfeasible;
      ++out_.infeasible;
      if (p_.on_sample) p_.on_sample(s);
      return;
    }
    s.latency_ms = o.latency_ms;
    s.reward = kPending;
  }

  // shuffled-latency: the latency each feasible position's reward uses (latency_donors over the round's feasible
  // candidates). It depends only on the round's proposals, never on the budget: positions past the budget are
  // simulated here too (memoized, not recorded), so a round cut short and resumed rewards as an uninterrupted one.
  void assign_donors() {
    std::vector<size_t> feasible;
    std::vector<double> latency(samples_.size(), 0.0);
    for (size_t i = 0; i < samples_.size(); ++i) {
      const auto it = p_.known.find(samples_[i].step);
      bool ok = false;
      if (it != p_.known.end()) {
        ok = it->second.feasible;
        latency[i] = it->second.latency_ms;
      } else {
        const accel::Outcome& o = evaluate_arch(*p_.evaluator, *p_.space, archs_[i], p_.resolution, p_.batch);
        ok = o.ok;
        latency[i] = o.latency_ms;
      }
      if (ok) feasible.push_back(i);
    }
    donor_latency_.assign(samples_.size(), 0.0);
    const std::vector<size_t> donors = latency_donors(feasible.size(), p_.reward.control_seed, samples_[0].step);
    for (size_t k = 0; k < feasible.size(); ++k) donor_latency_[feasible[k]] = latency[feasible[donors[k]]];
  }

  // The latency the reward of `s` (one of samples_) uses: its own, or under shuffled-latency its donor's.
  double reward_latency(const Sample& s) const {
    if (donor_latency_.empty()) return s.latency_ms;
    return donor_latency_.at(static_cast<size_t>(&s - samples_.data()));
  }

  void finish(Sample& s, const Rating& r, bool rated_now) {
    s.rated_now = rated_now;
    if (!r.failure.empty()) {  // the source could not rate it: infeasible, with the source's reason
      s.feasible = false;
      s.reason = r.failure;
      s.latency_ms = 0;
      s.reward = RewardSpec::kInfeasible;
      ++out_.infeasible;
      if (p_.on_sample) p_.on_sample(s);
      return;
    }
    s.accuracy = r.accuracy;
    s.reward = p_.reward(r.accuracy, reward_latency(s));
    if (rated_now)
      ++out_.rated;
    else
      ++out_.reused;
    if (p_.on_sample) p_.on_sample(s);
  }

  static constexpr double kPending = -1;  // a feasible sample's reward before it is rated (rewards are >= 0)
  const NasProblem& p_;
  NasOutcome& out_;
  std::map<std::string, Rating>& rated_;
  std::vector<Choices> archs_;
  std::vector<Sample> samples_;
  std::vector<double> donor_latency_;  // by position, shuffled-latency only
};

}  // namespace

void sample_columns(Columns& c, Sample& s) {
  c.column("step", s.step);
  c.column("arch", s.arch);
  c.column("latency_ms", s.latency_ms);
  c.column("accuracy", s.accuracy);
  c.column("reward", s.reward);
  c.column("macs", s.macs);
  c.column("params", s.params);
  c.column("feasible", s.feasible);
  c.column("reason", s.reason);
  c.column("accuracy_source", s.accuracy_source);
}

const accel::Outcome& evaluate_arch(accel::Evaluator& evaluator, const SearchSpace& space, const Choices& c,
                                    int resolution, int64_t batch) {
  return evaluator(space.canonical(c),
                   [&] { return arch_network(space, c, resolution, batch, evaluator.accelerator().info().precision); });
}

NasOutcome search(const NasProblem& p) {
  NasOutcome out;
  std::map<std::string, Rating> rated;  // architecture -> rating (ratings are deterministic)
  for (const auto& [step, s] : p.known) {
    if (s.feasible) rated[s.arch] = Rating{s.accuracy, ""};
  }
  int64_t fresh = 0;
  for (int64_t first = 0; first < p.samples; first += p.round) {
    poll(p.stop);
    Round round(p, out, rated, first, static_cast<int>(std::min<int64_t>(p.round, p.samples - first)));
    const bool whole = round.prepare(fresh);
    round.rate();
    if (!whole) return out;
    round.feedback();
  }
  out.complete = true;
  return out;
}

}  // namespace rp::nas
