#pragma once
// What a `kind: lacs` run writes and logs (schema in docs/lacs.md):
//   OUTPUT (HDF5)  /grid    one row per evaluated triplet in evaluation order (lacs::point_columns)
//                  /family  one row per member of each family (lacs::member_columns)
//                  /zoo     the zoo families on the same accelerator and batch (lacs::zoo_columns)
//                  attributes of /: the run's (run_context.h: with accelerator, accelerator_config) and
//                  objective, accuracy_method (surrogate or proxy, and the surrogate's fit), surrogate (its YAML;
//                  "" for the proxy), base, base_latency_ms, target_latency_ms (0 for accuracy-only), alpha, beta,
//                  gamma (found)
//   STEM.files/lacs-phi<k>.yaml, accuracy-only-phi<k>.yaml: each member's network file (`ridgepoint simulate`
//                  accepts it; none for a member outside the limits of a network file), named inside
//                  "<output name>-<family>-phi<k>".
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "experiments/kinds/lacs/lacs_settings.h"
#include "experiments/run/run_context.h"
#include "lacs/family.h"
#include "lacs/zoo_references.h"

namespace rp::kinds {

// The problem the settings describe (the proxy, when used, is set by the caller).
lacs::Problem lacs_problem(const LacsSettings& s);
lacs::GridSpec lacs_grid(const LacsSettings& s);
// "surrogate (lacs/surrogate.yaml)" or "proxy (Fashion-MNIST, nas/train)".
std::string accuracy_method(const LacsSettings& s);
std::string triplet_text(const lacs::Triplet& t);  // "(1.25, 1.17, 1.09)"

// The run's first log line: objective, base, accelerator, accuracy, base latency and the target or the budget.
void log_start(std::ostream& log, const LacsSettings& s, lacs::PointEvaluator& eval);

// Writes each member's network file into the run's directory (sets Member::yaml); `how` goes in the comment.
void write_family_yamls(run::RunContext& ctx, const LacsSettings& s, const lacs::Problem& p,
                        std::vector<lacs::Member>& members, const std::string& how);

struct LacsOutcome {
  std::vector<lacs::PointResult> grid;
  std::vector<lacs::Member> family;
  std::vector<lacs::ZooReference> zoo;
  lacs::Triplet found;
  std::optional<lacs::Triplet> accuracy_only;  // latency-aware runs: the reference family's coefficients
  double base_latency_ms = 0, target_latency_ms = 0;
};
void write_lacs_output(run::RunContext& ctx, const LacsSettings& s, const LacsOutcome& o);

// The run's closing lines: points, the best point, the accuracy-only coefficients, each member, what was written.
void report(std::ostream& log, const LacsSettings& s, const LacsOutcome& o, int64_t evaluated, int64_t resumed,
            double seconds, const std::string& side_dir);

}  // namespace rp::kinds
