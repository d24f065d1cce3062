#include "traces/data/image_sets.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "simulator/error.h"

namespace rp::traces {
namespace fs = std::filesystem;
namespace {

constexpr size_t kCifarRecord = 1 + 3072;  // label byte + 32 x 32 x 3 (R, G, B planes)

std::vector<uint8_t> read_file(const std::string& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw UsageError("cannot read " + file + ": not a regular file");
  std::ifstream in(file, std::ios::binary);
  std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw UsageError("cannot read " + file);
  return b;
}

// The entries of `dir` (sorted by name) that `keep` accepts.
std::vector<fs::path> sorted_entries(const std::string& dir, bool (*keep)(const fs::directory_entry&)) {
  std::error_code ec;
  std::vector<fs::path> out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (keep(*it)) out.push_back(it->path());
  }
  if (ec) throw UsageError("cannot list " + dir + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

void append_cifar_file(ImageSet& s, const std::string& file) {
  const std::vector<uint8_t> b = read_file(file);
  if (b.empty() || b.size() % kCifarRecord != 0) {
    throw UsageError(file + ": not a CIFAR-10 binary file: its " + std::to_string(b.size()) +
                     " bytes are not a whole number of 3073-byte records (1 label byte + 3072 pixel bytes)");
  }
  for (size_t r = 0; r < b.size(); r += kCifarRecord) {
    if (b[r] > 9) throw UsageError(file + ": label " + std::to_string(b[r]) + " out of range 0..9 (CIFAR-10)");
    s.labels.push_back(b[r]);
    s.pixels.insert(s.pixels.end(), b.begin() + static_cast<long>(r) + 1,
                    b.begin() + static_cast<long>(r + kCifarRecord));
  }
  s.count += static_cast<int64_t>(b.size() / kCifarRecord);
}

// Skips whitespace and '#' comments of a netpbm header, then reads a decimal number (-1 if none).
long pnm_number(const std::vector<uint8_t>& b, size_t& at) {
  while (at < b.size() && (std::isspace(b[at]) || b[at] == '#')) {
    if (b[at] == '#') {
      while (at < b.size() && b[at] != '\n') ++at;
    } else {
      ++at;
    }
  }
  long v = -1;
  while (at < b.size() && std::isdigit(b[at]) && v < 100000) v = (v < 0 ? 0 : v * 10) + (b[at++] - '0');
  return v;
}

struct Pnm {
  int rows = 0, cols = 0, channels = 0;
  std::vector<uint8_t> planes;
};

Pnm read_pnm(const std::string& file) {
  const std::vector<uint8_t> b = read_file(file);
  const auto bad = [&](const std::string& why) {
    return UsageError(file + ": not a binary netpbm image (expected P5 or P6 with maxval 255): " + why);
  };
  if (b.size() < 2 || b[0] != 'P' || (b[1] != '5' && b[1] != '6')) throw bad("no P5/P6 magic");
  size_t at = 2;
  const long w = pnm_number(b, at), h = pnm_number(b, at), maxval = pnm_number(b, at);
  if (w < 1 || h < 1 || w > 4096 || h > 4096) throw bad("width and height must be 1..4096");
  if (maxval != 255) throw bad("maxval " + std::to_string(maxval));
  if (at >= b.size() || !std::isspace(b[at])) throw bad("no whitespace after the header");
  ++at;
  Pnm p{static_cast<int>(h), static_cast<int>(w), b[1] == '6' ? 3 : 1, {}};
  const size_t px = static_cast<size_t>(w) * static_cast<size_t>(h), c = static_cast<size_t>(p.channels);
  if (b.size() - at != px * c) {
    throw bad(std::to_string(b.size() - at) + " pixel bytes, expected " + std::to_string(px * c));
  }
  p.planes.resize(px * c);
  for (size_t k = 0; k < px; ++k) {
    for (size_t ch = 0; ch < c; ++ch) p.planes[ch * px + k] = b[at + k * c + ch];
  }
  return p;
}

void check_pool(const FashionMnist& d, const std::string& what) {
  if (d.train.labels.size() != static_cast<size_t>(d.train.count) ||
      d.test.labels.size() != static_cast<size_t>(d.test.count)) {
    throw UsageError(what + ": image and label counts differ");
  }
  if (d.validation < 1 || d.validation >= d.train.count) {
    throw UsageError(what + ": dataset.validation " + std::to_string(d.validation) + " must be in 1.." +
                     std::to_string(d.train.count - 1) + " (the training set holds " + std::to_string(d.train.count) +
                     " images)");
  }
  if (d.test.rows != d.train.rows || d.test.cols != d.train.cols || d.test.channels != d.train.channels) {
    throw UsageError(what + ": the test images' size or channel count differs from the training images'");
  }
}

}  // namespace

ImageSet read_cifar10(const std::string& path) {
  ImageSet s;
  s.rows = s.cols = 32;
  s.channels = 3;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    const auto files = sorted_entries(
        path, [](const fs::directory_entry& e) { return e.is_regular_file() && e.path().extension() == ".bin"; });
    if (files.empty()) throw UsageError(path + ": no CIFAR-10 .bin files in this directory");
    for (const auto& f : files) append_cifar_file(s, f.string());
  } else {
    append_cifar_file(s, path);
  }
  return s;
}

ImageSet read_image_dir(const std::string& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw UsageError(root + ": not a directory (expected ROOT/CLASS/*.pgm|*.ppm)");
  const auto classes = sorted_entries(root, [](const fs::directory_entry& e) { return e.is_directory(); });
  if (classes.empty() || classes.size() > 256) {
    throw UsageError(root + ": " + std::to_string(classes.size()) + " class directories (expected 1..256)");
  }
  std::vector<std::vector<fs::path>> files;
  size_t longest = 0;
  for (const auto& c : classes) {
    files.push_back(sorted_entries(c.string(), [](const fs::directory_entry& e) {  // dot files ignored (.keep)
      return !e.is_directory() && e.path().filename().string().rfind('.', 0) != 0;
    }));
    if (files.back().empty()) throw UsageError(c.string() + ": empty class directory (expected *.pgm or *.ppm images)");
    longest = std::max(longest, files.back().size());
  }
  ImageSet s;
  for (size_t i = 0; i < longest; ++i) {  // round-robin over the classes
    for (size_t c = 0; c < classes.size(); ++c) {
      if (i >= files[c].size()) continue;
      const std::string f = files[c][i].string();
      Pnm p = read_pnm(f);
      if (s.count == 0) {
        s.rows = p.rows;
        s.cols = p.cols;
        s.channels = p.channels;
      } else if (p.rows != s.rows || p.cols != s.cols || p.channels != s.channels) {
        throw UsageError(f + ": " + std::to_string(p.cols) + " x " + std::to_string(p.rows) + " x " +
                         std::to_string(p.channels) + " differs from the first image's " + std::to_string(s.cols) +
                         " x " + std::to_string(s.rows) + " x " + std::to_string(s.channels));
      }
      s.pixels.insert(s.pixels.end(), p.planes.begin(), p.planes.end());
      s.labels.push_back(static_cast<uint8_t>(c));
      ++s.count;
    }
  }
  return s;
}

void set_normalization(FashionMnist& d, const std::string& what) {
  const int64_t n = d.train_pool();
  const size_t px = static_cast<size_t>(d.train.rows) * static_cast<size_t>(d.train.cols);
  const size_t c = static_cast<size_t>(d.train.channels);
  std::vector<double> sum(c, 0), sq(c, 0);
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* img = d.train.pixels.data() + static_cast<size_t>(i) * px * c;
    for (size_t ch = 0; ch < c; ++ch) {
      for (size_t k = 0; k < px; ++k) {
        const double x = img[ch * px + k] / 255.0;
        sum[ch] += x;
        sq[ch] += x * x;
      }
    }
  }
  d.train.mean.assign(c, 0);
  d.train.std.assign(c, 0);
  const double count = static_cast<double>(n) * static_cast<double>(px);
  for (size_t ch = 0; ch < c; ++ch) {
    const double mean = sum[ch] / count;
    const double var = std::max(0.0, sq[ch] / count - mean * mean);
    if (!(var > 1e-12)) {
      throw UsageError(what + ": channel " + std::to_string(ch) + " of the training images is constant (std 0)");
    }
    d.train.mean[ch] = static_cast<float>(mean);
    d.train.std[ch] = static_cast<float>(std::sqrt(var));
  }
  d.test.mean = d.train.mean;
  d.test.std = d.train.std;
}

FashionMnist load_dataset(const DatasetSpec& spec, const std::string& fashion_dir) {
  if (spec.format == "fashion-mnist") return FashionMnist::load(fashion_dir);
  FashionMnist d;
  d.validation = spec.validation;
  if (spec.format == "idx") {
    d.train = read_idx_images(spec.train);
    d.train.labels = read_idx_labels(spec.train_labels, 255);
    d.test = read_idx_images(spec.test);
    d.test.labels = read_idx_labels(spec.test_labels, 255);
  } else if (spec.format == "cifar10") {
    d.train = read_cifar10(spec.train);
    d.test = read_cifar10(spec.test);
  } else if (spec.format == "image-dir") {
    d.train = read_image_dir(spec.train);
    d.test = read_image_dir(spec.test);
  } else {
    throw UsageError("unknown data set format '" + spec.format + "' (expected fashion-mnist, idx, cifar10, image-dir)");
  }
  check_pool(d, spec.train);
  set_normalization(d, spec.train);
  return d;
}

std::vector<std::string> dataset_files(const DatasetSpec& spec, const std::string& fashion_dir) {
  std::vector<std::string> out;
  if (spec.format == "fashion-mnist") {
    for (const std::string& f : FashionMnist::files()) out.push_back(fashion_dir + "/" + f);
    return out;
  }
  for (const std::string& p : {spec.train, spec.train_labels, spec.test, spec.test_labels}) {
    if (p.empty()) continue;
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      out.push_back(p);
      continue;
    }
    for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file()) out.push_back(it->path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace rp::traces
