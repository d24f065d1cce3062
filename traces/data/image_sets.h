#pragma once
// Image data sets other than Fashion-MNIST for proxy training, read at the workload edge (traces/data), into the
// same FashionMnist holder (train with its validation split at the end, test). Formats (docs/nas.md "Data sets"):
//  - idx: IDX files (gzipped or not) of unsigned bytes, images N x H x W (magic 0x803) or N x H x W x C (0x804),
//    labels N (0x801, values 0..255);
//  - cifar10: the CIFAR-10 binary format, records of 1 label byte + 3072 pixel bytes (32 x 32, the R, G and B
//    planes); a path is one .bin file or a directory whose *.bin files are read in name order;
//  - image-dir: ROOT/CLASS/*.pgm|*.ppm, binary netpbm only (P5 grayscale, P6 RGB, maxval 255; Debian has no image
//    library this project already depends on, so no PNG/JPEG); classes are the sorted subdirectory names (labels
//    0, 1, ...); images are taken round-robin over the classes (class by class within a round, each class's files in
//    name order) so that the validation split at the end holds every class.
// Every image of a set has the same size and channel count. Every error is a UsageError, one line naming the file.
#include <string>
#include <vector>

#include "traces/data/fashion_mnist.h"

namespace rp::traces {

struct DatasetSpec {
  std::string format = "fashion-mnist";   // fashion-mnist | idx | cifar10 | image-dir
  std::string train, test;                // idx: image files; cifar10: .bin file or directory; image-dir: roots
  std::string train_labels, test_labels;  // idx only
  int64_t validation = FashionMnist::kValidation;  // the last images of `train` (must leave at least one to train)
};

// Loads the data set (fashion-mnist: from `fashion_dir`) and sets its per-channel normalization
// (set_normalization). Validation must be below the training count.
FashionMnist load_dataset(const DatasetSpec& spec, const std::string& fashion_dir);
// The files the data set reads (a run's identity hashes them).
std::vector<std::string> dataset_files(const DatasetSpec& spec, const std::string& fashion_dir);

ImageSet read_cifar10(const std::string& path);
ImageSet read_image_dir(const std::string& root);

// Per-channel mean and standard deviation (population) of x / 255 over the training pool (the training images
// before the validation split), stored in both sets' mean and std. A constant channel (std 0) is a UsageError
// naming `what`.
void set_normalization(FashionMnist& d, const std::string& what);

}  // namespace rp::traces
