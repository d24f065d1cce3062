#pragma once
// Fashion-MNIST from Debian's `dataset-fashion-mnist` package (gzipped IDX files, 60K training and 10K test
// images of 28 x 28 grayscale, 10 classes): a workload input of the searches' proxy training, read here at the
// workload edge so that the search methods (nas/, lacs/) read no files. The last 10K training images are the validation split; candidates
// train on the first `train_images` of the other 50K. The test set is used only for final reports.
#include <cstdint>
#include <string>
#include <vector>

namespace rp::traces {

struct ImageSet {
  int64_t count = 0;
  int rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // count x channels x rows x cols, row-major (channel planes)
  std::vector<uint8_t> labels;  // count, 0..9 (other data sets: 0..255)
  int channels = 1;
  std::vector<float> mean, std;  // per channel, of x / 255 over the training pool (traces/data/image_sets.h)
};

struct FashionMnist {
  static constexpr const char* kDefaultDir = "/usr/share/datasets/fashion-mnist";
  static constexpr int64_t kValidation = 10000;  // the last 10K training images

  ImageSet train;  // all 60K training images (validation split included)
  ImageSet test;

  // Reads the four files from `dir`. A missing file throws UsageError, one line naming the file and the Debian
  // package to install; a corrupt file throws UsageError naming the file and what was wrong.
  static FashionMnist load(const std::string& dir = kDefaultDir);

  int64_t validation = kValidation;  // the last `validation` training images are the validation split

  int64_t train_pool() const { return train.count - validation; }  // images candidates may train on

  // The four files load() reads from its directory (a run's identity hashes them: experiments/kinds/run_plan.h).
  static std::vector<std::string> files() {
    return {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz"};
  }
};

// One IDX file, gzipped or not (magic 0x803: N x H x W images, 0x804: N x H x W x C, stored as channel planes;
// 0x801 labels), exposed for tests. Throws UsageError naming the file for a wrong magic, a side outside 1..4096 or
// over 64 channels, a label over `max_label`, and a header that claims more images or labels than the file holds;
// memory grows with the data read, never with the count the header claims.
ImageSet read_idx_images(const std::string& file);
std::vector<uint8_t> read_idx_labels(const std::string& file, int max_label = 9);

}  // namespace rp::traces
