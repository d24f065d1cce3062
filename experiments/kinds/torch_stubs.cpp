// The light half of torch_kinds.h and libtorch_linked(): nothing here links LibTorch.
#include "experiments/kinds/kind.h"
#include "experiments/kinds/model_files.h"
#include "experiments/kinds/torch_kinds.h"

namespace rp::kinds {

bool libtorch_linked() { return false; }
int run_nas(run::RunContext&) { throw NeedsLibTorch("kind: nas"); }
int run_lacs(run::RunContext&) { throw NeedsLibTorch("kind: lacs"); }
int run_hurricane(run::RunContext&) { throw NeedsLibTorch("kind: hurricane"); }
traces::Network import_torchscript_file(const std::string& file, const ImportOptions&) {
  throw NeedsLibTorch("a TorchScript model (" + file + ")");
}

}  // namespace rp::kinds
