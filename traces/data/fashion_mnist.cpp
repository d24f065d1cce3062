#include "traces/data/fashion_mnist.h"

#include <zlib.h>

#include <sys/stat.h>

#include <algorithm>
#include <memory>

#include "simulator/error.h"
#include "traces/data/image_sets.h"

namespace rp::traces {
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
  if (!S_ISREG(st.st_mode)) {  // a FIFO would block gzopen until someone writes to it
    throw UsageError("cannot read " + file + ": not a regular file (Fashion-MNIST, package " + kPackage + ")");
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

// The `count` records of `record_bytes` each that an IDX header announced ("images" or "labels"). The header is
// not trusted for an allocation: the buffer grows by at most 1 MiB per read, as decompressed data arrives, so a
// header claiming 2^32 - 1 images in a small file costs one error line (naming the file, what the header claims
// and what the file holds), not an allocation of the 3.4 TB it claims.
std::vector<uint8_t> read_records(const Gz& f, const std::string& file, uint32_t count, size_t record_bytes,
                                  const char* what) {
  constexpr size_t kChunk = size_t{1} << 20;
  const uint64_t want = uint64_t{count} * record_bytes;  // < 2^32 x 784: no overflow
  std::vector<uint8_t> out;
  while (out.size() < want) {
    const size_t at = out.size();
    const auto n = static_cast<unsigned>(std::min<uint64_t>(kChunk, want - at));
    out.resize(at + n);
    const int got = gzread(f.get(), out.data() + at, n);
    if (got < 0) throw UsageError(file + ": corrupt gzip data (package " + kPackage + ")");
    out.resize(at + static_cast<size_t>(got));
    if (got == 0) {
      throw UsageError(file + ": truncated IDX file: its header claims " + std::to_string(count) + " " + what +
                       " but it holds " + std::to_string(out.size() / record_bytes) + " (package " + kPackage + ")");
    }
  }
  return out;
}

}  // namespace

ImageSet read_idx_images(const std::string& file) {
  const Gz f = open_gz(file);
  const uint32_t magic = be32(f, file);
  if (magic != 0x803 && magic != 0x804) {
    throw UsageError(file + ": not an IDX image file of unsigned bytes (magic 0x803 N x H x W or 0x804 N x H x W x C)");
  }
  ImageSet s;
  const uint32_t count = be32(f, file);
  const uint32_t rows = be32(f, file), cols = be32(f, file), channels = magic == 0x804 ? be32(f, file) : 1;
  if (rows < 1 || rows > 4096 || cols < 1 || cols > 4096 || channels < 1 || channels > 64) {
    throw UsageError(file + ": IDX images of " + std::to_string(rows) + " x " + std::to_string(cols) + " x " +
                     std::to_string(channels) + " (expected sides 1..4096, 1..64 channels)");
  }
  s.rows = static_cast<int>(rows);
  s.cols = static_cast<int>(cols);
  s.channels = static_cast<int>(channels);
  const size_t px = size_t{rows} * cols;
  std::vector<uint8_t> hwc = read_records(f, file, count, px * channels, "images");
  s.count = count;
  if (channels == 1) {
    s.pixels = std::move(hwc);
    return s;
  }
  s.pixels.resize(hwc.size());  // interleaved H x W x C to C planes
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* src = hwc.data() + i * px * channels;
    uint8_t* dst = s.pixels.data() + i * px * channels;
    for (size_t k = 0; k < px; ++k) {
      for (size_t c = 0; c < channels; ++c) dst[c * px + k] = src[k * channels + c];
    }
  }
  return s;
}

std::vector<uint8_t> read_idx_labels(const std::string& file, int max_label) {
  const Gz f = open_gz(file);
  if (be32(f, file) != 0x801) throw UsageError(file + ": not an IDX label file (magic != 0x801)");
  const uint32_t count = be32(f, file);
  std::vector<uint8_t> labels = read_records(f, file, count, 1, "labels");
  for (uint8_t l : labels) {
    if (l > max_label) {
      throw UsageError(file + ": label " + std::to_string(l) + " out of range 0.." + std::to_string(max_label));
    }
  }
  return labels;
}

FashionMnist FashionMnist::load(const std::string& dir) {
  const std::vector<std::string> f = files();  // train images, train labels, test images, test labels
  FashionMnist d;
  d.train = read_idx_images(dir + "/" + f[0]);
  if (d.train.rows != 28 || d.train.cols != 28 || d.train.channels != 1) {
    throw UsageError(dir + "/" + f[0] + ": expected 28 x 28 images");
  }
  d.train.labels = read_idx_labels(dir + "/" + f[1]);
  d.test = read_idx_images(dir + "/" + f[2]);
  d.test.labels = read_idx_labels(dir + "/" + f[3]);
  if (static_cast<int64_t>(d.train.labels.size()) != d.train.count ||
      static_cast<int64_t>(d.test.labels.size()) != d.test.count) {
    throw UsageError(dir + ": Fashion-MNIST image and label counts differ");
  }
  if (d.train.count <= kValidation) throw UsageError(dir + ": Fashion-MNIST training set too small");
  set_normalization(d, dir);
  return d;
}

}  // namespace rp::traces
