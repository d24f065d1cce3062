#pragma once
// Internal to hurricane/supernet (includes LibTorch): the supernet's modules, shared by supernet.cpp (structure,
// evaluation) and supernet_train.cpp (training, checkpoints, weight files).
#include <torch/torch.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nas/hurricane/supernet/supernet.h"
#include "nas/train/ir_module.h"

namespace rp::hurricane {

struct Supernet::Impl {
  std::shared_ptr<torch::nn::Module> root = std::make_shared<torch::nn::Module>("Supernet");
  nas::IrModule stem{nullptr}, head{nullptr};
  std::vector<std::vector<nas::IrModule>> ops;  // [layer][candidate]
  int64_t stem_params = 0, head_params = 0;
  std::vector<std::vector<int64_t>> op_params;
  // Adam over every parameter, created by the first train() and kept by the next (stage 2 fine-tunes with stage
  // 1's moments and step counts); a resumed checkpoint's state is loaded into it.
  std::unique_ptr<torch::optim::Adam> adam;

  // The Adam above at `lr`: created by the first call; later calls keep its moments and step counts and only set the
  // learning rate (a fresh Adam's first steps move every parameter by about lr whatever its gradient, which is what
  // lowered a_win1's accuracy in stage 2's fine-tuning).
  torch::optim::Adam& optimizer(double lr) {
    if (!adam) {
      adam = std::make_unique<torch::optim::Adam>(root->parameters(), torch::optim::AdamOptions(lr));
    } else {
      for (auto& g : adam->param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
    }
    return *adam;
  }

  void check_path(const Path& p, const std::string& what) const {
    if (p.size() != ops.size()) {
      throw std::logic_error(what + " has " + std::to_string(p.size()) + " entries, the supernet " +
                             std::to_string(ops.size()) + " layers");
    }
    for (size_t l = 0; l < p.size(); ++l) {
      if (p[l] < 0 || p[l] >= static_cast<int>(ops[l].size())) {
        throw std::logic_error(what + ": op " + std::to_string(p[l]) + " at layer " + std::to_string(l) +
                               " is out of range 0.." + std::to_string(ops[l].size() - 1));
      }
    }
  }

  torch::Tensor forward(const Path& p, torch::Tensor x) {
    x = stem->forward(x);
    for (size_t l = 0; l < ops.size(); ++l) x = ops[l][static_cast<size_t>(p[l])]->forward(x);
    return head->forward(x).flatten(1);
  }

  std::vector<torch::nn::BatchNorm2d> path_bns(const Path& p) {
    std::vector<nas::IrModule> mods{stem};
    for (size_t l = 0; l < ops.size(); ++l) mods.push_back(ops[l][static_cast<size_t>(p[l])]);
    mods.push_back(head);
    std::vector<torch::nn::BatchNorm2d> bns;
    for (auto& m : mods) {
      for (auto& op : m->ops()) {
        if (op.bn) bns.push_back(op.bn);
      }
    }
    return bns;
  }

  // The parameters outside the active layers' ops: the stem's, the head's and every op's of an inactive layer.
  std::vector<torch::Tensor> held_parameters(const std::vector<char>& active) const {
    std::vector<torch::Tensor> out = stem->parameters();
    for (const auto& t : head->parameters()) out.push_back(t);
    for (size_t l = 0; l < ops.size(); ++l) {
      if (active[l]) continue;
      for (const auto& op : ops[l]) {
        for (const auto& t : op->parameters()) out.push_back(t);
      }
    }
    return out;
  }

  // Every parameter and buffer with its name, in registration order (what save_weights writes).
  std::vector<std::pair<std::string, torch::Tensor>> state() const {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& p : root->named_parameters()) out.emplace_back(p.key(), p.value());
    for (const auto& b : root->named_buffers()) out.emplace_back(b.key(), b.value());
    return out;
  }
};

}  // namespace rp::hurricane
