#pragma once
// The data set of a kind whose proxies train with nas::train_proxy (NAS, LACS): `device` and `dataset` have the
// same meaning in every such kind (shared_settings.h declares them), and this file checks and loads them the same
// way (ridgepoint-torch only: the device check needs LibTorch).
#include <string>

#include "experiments/kinds/shared_settings.h"
#include "experiments/run/run_context.h"
#include "traces/data/image_sets.h"

namespace rp::kinds {

// A loaded data set and its training split's per-channel normalization as text ("m1,m2,...": the output's
// dataset_mean and dataset_std attributes).
struct ProxyData {
  traces::FashionMnist data;
  std::string mean, std;
};

// `device: cuda` without a CUDA-enabled LibTorch: UsageError "FILE: SECTION.device: cuda requested but this LibTorch
// build has no CUDA (...)", for a kind to raise before any work (nas::check_device).
void check_training_device(const ProxyTraining& t, const std::string& file, const std::string& section);

// Stops before any work with one line naming `file`: `device: cuda` without a CUDA-enabled LibTorch
// ("FILE: accuracy.device: cuda requested but ..."), a data set that does not load (traces/data/image_sets.h), images
// that are not square of side >= 8 (the proxies' five stride-2 stages), or more train_images than its training pool. `fashion_dir`: --fashion-mnist DIR.
// `section`: where the kind declares device and train_images (NAS, LACS: accuracy; HURRICANE: retrain).
ProxyData load_proxy_data(const traces::DatasetSpec& spec, const ProxyTraining& t, const std::string& file,
                          const std::string& fashion_dir, const std::string& section = "accuracy");

// The run's identity hashes every file of a data set other than Fashion-MNIST (make_plan hashes Fashion-MNIST's).
void add_dataset_inputs(run::RunPlan& plan, const traces::DatasetSpec& spec);

}  // namespace rp::kinds
