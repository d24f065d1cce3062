#include "nas/train/fashion_mnist.h"

#include <zlib.h>

#include <memory>
#include <sys/stat.h>

#include "simulator/error.h"

namespace rp::nas {
namespace {

constexpr const char* kPackage = "dataset-fashion-mnist";

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using Gz = std::unique_ptr<gzFile_s, GzCloser>;

Gz open_gz(const std::string& file) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) {
    throw UsageError("Fashion-MNIST not found: " + file + " is missing; install the Debian package " + kPackage +
                     " (apt-get install " + kPackage + ")");
  }
  Gz f(gzopen(file.c_str(), "rb"));
  if (!f) throw UsageError("cannot open " + file + " (Fashion-MNIST, package " + kPackage + ")");
  return f;
}

void read_exact(const Gz& f, const std::string& file, void* buf, size_t bytes) {
  size_t done = 0;
  while (done < bytes) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(bytes - done, 1u << 30));
    const int got = gzread(f.get(), static_cast<char*>(buf) + done, chunk);
    if (got <= 0) throw UsageError(file + ": truncated or corrupt IDX file (package " + kPackage + ")");
    done += static_cast<size_t>(got);
  }
}

uint32_t be32(const Gz& f, const std::string& file) {
  unsigned char b[4];
  read_exact(f, file, b, 4);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
}

}  // namespace

ImageSet read_idx_images(const std::string& file) {
  const Gz f = open_gz(file);
  if (be32(f, file) != 0x803) throw UsageError(file + ": not an IDX image file (magic != 0x803)");
  ImageSet s;
  s.count = be32(f, file);
  s.rows = static_cast<int>(be32(f, file));
  s.cols = static_cast<int>(be32(f, file));
  if (s.rows != 28 || s.cols != 28) throw UsageError(file + ": expected 28 x 28 images");
  s.pixels.resize(static_cast<size_t>(s.count) * 28 * 28);
  read_exact(f, file, s.pixels.data(), s.pixels.size());
  return s;
}

std::vector<uint8_t> read_idx_labels(const std::string& file) {
  const Gz f = open_gz(file);
  if (be32(f, file) != 0x801) throw UsageError(file + ": not an IDX label file (magic != 0x801)");
  std::vector<uint8_t> labels(be32(f, file));
  read_exact(f, file, labels.data(), labels.size());
  for (uint8_t l : labels) {
    if (l > 9) throw UsageError(file + ": label " + std::to_string(l) + " out of range 0..9");
  }
  return labels;
}

FashionMnist FashionMnist::load(const std::string& dir) {
  FashionMnist d;
  d.train = read_idx_images(dir + "/train-images-idx3-ubyte.gz");
  d.train.labels = read_idx_labels(dir + "/train-labels-idx1-ubyte.gz");
  d.test = read_idx_images(dir + "/t10k-images-idx3-ubyte.gz");
  d.test.labels = read_idx_labels(dir + "/t10k-labels-idx1-ubyte.gz");
  if (static_cast<int64_t>(d.train.labels.size()) != d.train.count ||
      static_cast<int64_t>(d.test.labels.size()) != d.test.count) {
    throw UsageError(dir + ": Fashion-MNIST image and label counts differ");
  }
  if (d.train.count <= kValidation) throw UsageError(dir + ": Fashion-MNIST training set too small");
  return d;
}

}  // namespace rp::nas
