#pragma once
// HURRICANE's one-shot supernet (shared/reference/hurricane.md section 3), trained as in SPOS: every learnable layer
// holds all of its candidate ops, each batch trains one path drawn uniformly (single-path one-shot), and a path's
// fitness is its validation accuracy with the shared weights after its batch-norm statistics are recalibrated.
// Everything is at proxy scale on Fashion-MNIST (28 x 28 x 1 input, 10 classes); each piece is a network IR that
// becomes a LibTorch module (nas/train/ir_module.h), so the supernet's ops are the IR's ops. No LibTorch types here.
//
// Determinism: the initial weights come from torch::manual_seed(init_seed); the batch order of each pass over the
// training subset and each batch's path come from stateless hashes of (seed, pass, batch, layer), so a run resumed
// from a checkpoint at a batch boundary continues bit for bit as the uninterrupted run (for one thread count).
// No file I/O: checkpoints and weights are bytes (LibTorch archives) that the caller stores where it likes.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "simulator/error.h"
#include "traces/data/fashion_mnist.h"
#include "traces/network/network.h"

namespace rp::hurricane {

// The supernet's pieces as IR networks; shapes are checked when the Supernet is built (UsageError naming the piece).
struct SupernetSpec {
  traces::Network stem{"stem", traces::DType::kF32};  // input N x 28 x 28 x 1 -> the first layer's input
  traces::Network head{"head", traces::DType::kF32};  // the last layer's output -> 10 logits (N x 1 x 1 x 10)
  // [layer][candidate]: the layer's input -> its output; every candidate of a layer has the same output shape.
  std::vector<std::vector<traces::Network>> layers;
};

using Path = std::vector<int>;  // one candidate index per layer

struct SupernetTrainOptions {
  int64_t images = 10000;            // the run's total (resumed runs included); training stops at the first batch
                                     // boundary at or after it, so images_done can exceed it by up to batch - 1
  int64_t train_images = 10000;      // training subset: the first of the 50K pool, reshuffled for every pass
  int batch = 64;                    // >= 2 (batch norm); a pass's last batch is shorter, skipped when one image
  double lr = 2e-3;                  // Adam (kept across calls: see train())
  uint64_t seed = 1;                 // batch order and paths
  int threads = 1;                   // intra-op threads (process-wide setting)
  std::vector<char> active;          // per layer: 1 = drawn uniformly for each batch, 0 = fixed; empty = all active
  Path fixed;                        // the op of each inactive layer (needed when some layer is inactive)
  bool only_active_weights = false;  // true: only the active layers' ops learn; the stem, the head and the fixed
                                     // layers keep their weights (HURRICANE's stage 2: their weights are trained)
  // Checkpoints, as bytes the caller stores: `checkpoint`, when set, receives the training state (weights, Adam's
  // state, images done) and the images done every `checkpoint_every_images` images and at the end; `resume`, when
  // given, is such a state from an earlier call, which train() continues (UsageError naming `resume_name` when it
  // was written with other options or is corrupt).
  std::function<void(int64_t images_done, const std::string& bytes)> checkpoint;
  int64_t checkpoint_every_images = 5000;
  std::optional<std::string> resume;
  std::string resume_name = "supernet checkpoint";
  StopCheck stop;  // polled before every batch (rp::Interrupted stops training within a batch)
};

struct SupernetTrainStats {
  int64_t images_done = 0;   // in total, resumed images included
  int64_t resumed_from = 0;  // images done by earlier runs (0 without a checkpoint)
  double seconds = 0;        // this call's training time
  double images_per_s = 0;   // this call's images / seconds
  double final_loss = 0;     // mean training loss over this call's last (up to) 20 batches; 0 when none ran
};

class Supernet {
 public:
  Supernet(const SupernetSpec& spec, uint64_t init_seed);
  ~Supernet();
  Supernet(Supernet&&) noexcept;
  Supernet& operator=(Supernet&&) noexcept;

  int layers() const;
  int candidates(int layer) const;

  // SPOS training. The Adam state (moments, step counts) persists across calls on one Supernet, so a later call
  // (HURRICANE's stage-2 fine-tuning) continues it at its own lr; a checkpoint holds it and `resume` restores it.
  // UsageError on bad options or a checkpoint of other options; std::logic_error on a bad `fixed`.
  SupernetTrainStats train(const traces::FashionMnist& data, const SupernetTrainOptions& o,
                           const std::function<void(int64_t done, int64_t total)>& progress = {});

  // SPOS fitness of `path`: its batch-norm statistics recomputed over the first `bn_images` training images
  // (dataset order, batches of 250, 0 = keep the running statistics), then the accuracy (fraction) on the first
  // `val_images` validation images. Leaves every weight and statistic as it found it. std::logic_error when the
  // path has the wrong length or an index out of range.
  // `stop` is polled before the recalibration and before the accuracy.
  double evaluate(const Path& path, const traces::FashionMnist& data, int64_t val_images = 2000,
                  int64_t bn_images = 2000, int threads = 1, const StopCheck& stop = {});

  std::string save_weights() const;  // the weights and batch-norm statistics, as a LibTorch archive
  // From save_weights()'s bytes or a training checkpoint's. UsageError naming `source` (where the bytes came from)
  // when they are corrupt or hold another supernet's weights; the weights are unchanged then.
  void load_weights(const std::string& bytes, const std::string& source);
  // Loads from such bytes only the parameters and batch-norm statistics of op path[l] of every layer l with
  // layers[l] set (HURRICANE's stage-2 guard puts a_win1's ops of the first t layers back as stage 1 left them);
  // every other weight keeps its current value. UsageError as load_weights (nothing changed then);
  // std::logic_error on a bad path or a `layers` of the wrong length.
  void restore_ops(const std::string& bytes, const std::string& source, const Path& path,
                   const std::vector<char>& layers);

  int64_t path_params(const Path& path) const;  // trainable params of stem + the path's ops + head
  int64_t total_params() const;                 // of every piece

  // Test hooks: the trainable values of one candidate op, and every parameter and buffer of the supernet (in a
  // fixed order), as floats.
  std::vector<float> weights(int layer, int op) const;
  std::vector<float> all_weights() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rp::hurricane
