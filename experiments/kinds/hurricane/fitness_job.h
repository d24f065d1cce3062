#pragma once
// Scoring candidates with the supernet, in this process or in workers (--jobs forked processes, MPI ranks). A
// request is one JSON line naming the supernet's weight file, the space (ops per layer), the proxy settings and the
// path; a worker builds the supernet for a (weights, space) pair once and keeps it. The reply is the accuracy with
// full precision, so a table never depends on where a candidate was scored.
#include <memory>
#include <string>
#include <vector>

#include "nas/hurricane/search/evolution.h"
#include "nas/hurricane/supernet/supernet.h"
#include "nas/train/fashion_mnist.h"

namespace rp::hurricane {

using Choices = std::vector<std::vector<std::string>>;  // per layer, the kept ops' names

// The supernet of a space at proxy scale (traces/zoo/layerwise_net.h proxy_skeleton of default_skeleton(layers)).
SupernetSpec supernet_spec(const Choices& choices, double width);
// The candidate as one proxy network (for retraining from scratch) and at ImageNet scale (latency, the winner).
traces::Network proxy_candidate(const Choices& choices, const Arch& a, double width);
traces::Network imagenet_candidate(const Choices& choices, const Arch& a, int resolution, int64_t batch,
                                   traces::DType dtype, const std::string& name = "candidate");

struct FitnessRequest {
  std::string weights;  // supernet weight file (save_weights)
  Choices choices;
  double width = 0.25;
  Arch arch;
  int64_t val_images = 2000, bn_images = 1000;
  std::string encode() const;
  static FitnessRequest decode(const std::string& line);  // std::runtime_error on a malformed line
};

// A worker's job: keeps the last supernet it loaded.
class FitnessWorker {
 public:
  explicit FitnessWorker(const nas::FashionMnist& data) : data_(data) {}
  std::string operator()(const std::string& request);

 private:
  const nas::FashionMnist& data_;
  std::string key_;
  std::unique_ptr<Supernet> net_;
};

std::string exact_text(double v);  // %.17g

}  // namespace rp::hurricane
