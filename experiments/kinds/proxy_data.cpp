#include "experiments/kinds/proxy_data.h"

#include "experiments/run/identity.h"
#include "experiments/run/record_io.h"
#include "nas/train/trainer.h"
#include "simulator/error.h"

namespace rp::kinds {
namespace {

std::string joined(const std::vector<float>& v) {
  std::string out;
  for (float x : v) out += (out.empty() ? "" : ",") + run::exact_number(x);
  return out;
}

}  // namespace

void check_training_device(const ProxyTraining& t, const std::string& file, const std::string& section) {
  try {
    nas::check_device(t.device == "cuda");
  } catch (const UsageError& e) {
    throw UsageError(file + ": " + section + "." + e.what());
  }
}

ProxyData load_proxy_data(const traces::DatasetSpec& spec, const ProxyTraining& t, const std::string& file,
                          const std::string& fashion_dir, const std::string& section) {
  check_training_device(t, file, section);
  ProxyData d;
  d.data = traces::load_dataset(spec, fashion_dir);
  const traces::ImageSet& train = d.data.train;
  if (train.rows != train.cols || train.rows < 8) {
    throw UsageError(file + ": dataset: the proxy networks need square images of side >= 8, got " +
                     std::to_string(train.cols) + " x " + std::to_string(train.rows));
  }
  if (t.train_images > d.data.train_pool()) {
    throw UsageError(file + ": " + section + ".train_images " + std::to_string(t.train_images) +
                     " exceeds the data set's " + std::to_string(d.data.train_pool()) +
                     " training images (before its validation split)");
  }
  d.mean = joined(d.data.train.mean);
  d.std = joined(d.data.train.std);
  return d;
}

void add_dataset_inputs(run::RunPlan& plan, const traces::DatasetSpec& spec) {
  if (spec.format == "fashion-mnist") return;
  for (const std::string& f : traces::dataset_files(spec, "")) {
    plan.identity.inputs.push_back(run::input_file("data set", f));
  }
}

}  // namespace rp::kinds
