#pragma once
// What rates HURRICANE's reported architectures after the search (docs/accuracy.md, docs/hurricane.md): the
// `retrain:` section's method. The supernet's fitness during the search is always the supernet's; this is only
// about /result's retrain_val_accuracy and retrain_test_accuracy.
//   proxy    the winner (the last /result row) trained from scratch by the proxy trainer, inside the method
//            (nas/hurricane/two_stage.h): validation and test accuracy; the other rows are not retrained
//   table    every /result row looked up by its `arch` (op names, comma-separated) in the table: a miss is NaN
//   command  every distinct /result architecture rated by an external trial (trial_command.h) through the run's
//            job pool (in process, --jobs workers or MPI ranks: the same replies everywhere); a failed, slow or
//            garbled trial is NaN with its reason
// table and command give one accuracy, written as retrain_val_accuracy (retrain_test_accuracy stays NaN). Every
// rating is journaled (a resumed run asks for none twice). A row whose retrain_val_accuracy is NaN says why in
// retrain_note (empty otherwise).
#include <string>
#include <vector>

#include "experiments/kinds/hurricane/hurricane_settings.h"
#include "experiments/run/job_pool.h"
#include "experiments/run/run_context.h"
#include "nas/hurricane/two_stage.h"
#include "simulator/record.h"

namespace rp::kinds {

// A row of /result: the method's columns (hurricane::reported_columns), then retrain_note and accuracy_source.
struct ResultRow {
  hurricane::Reported r;
  std::string retrain_note;     // why retrain_val_accuracy is NaN; empty when it is a number
  std::string accuracy_source;  // what rated the retrain columns: proxy, table or command
};
void result_columns(Columns& c, ResultRow& row);

// The method of the run's accuracy: retrain.method when retrain is on, else proxy (the supernet is a proxy).
std::string accuracy_method(const HurricaneSettings& s);
// The accuracy_budget attribute: the supernet's training, then the retraining's budget or source_budget().
std::string accuracy_budget(const HurricaneSettings& s);

// Whether a pool request is a rating (else it is a fitness request, fitness_job.h).
bool is_rating_request(const std::string& request);
// The job serving rating requests in any process (a table lookup or a command trial; the table loaded here).
// `s` must outlive the job.
run::Job rating_job(const HurricaneSettings& s);

// After a complete search: /result's rows. table / command: the architectures rated through ctx's pool (or read
// back from the journal), each new rating journaled.
std::vector<ResultRow> rated_results(run::RunContext& ctx, const HurricaneSettings& s,
                                     const std::vector<hurricane::Reported>& reported);

}  // namespace rp::kinds
