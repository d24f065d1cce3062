// Data sets for proxy training (traces/data/image_sets.h): IDX of any shape and channel count, CIFAR-10 binary
// files and directories of netpbm images per class, from tiny files written here; the loaded pixels, labels,
// shapes and the per-channel mean and std of the training split against values worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "simulator/error.h"
#include "tests/traces/temp_dir.h"
#include "traces/data/image_sets.h"

using namespace rp::traces;

namespace {

using rp::test::error_of;
using rp::test::put_be32;

struct TempDir : rp::test::TempDir {
  TempDir() : rp::test::TempDir("rp-sets") {}
};

void write(const std::string& file, const std::vector<uint8_t>& bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

// An uncompressed IDX file: magic, then the dimensions, then `data`.
void write_idx(const std::string& file, uint32_t magic, const std::vector<uint32_t>& dims,
               const std::vector<uint8_t>& data) {
  std::vector<uint8_t> b;
  put_be32(b, magic);
  for (uint32_t d : dims) put_be32(b, d);
  b.insert(b.end(), data.begin(), data.end());
  write(file, b);
}

std::vector<uint8_t> text(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("IDX N x H x W x C: interleaved pixels become channel planes", "[datasets]") {
  TempDir dir;
  // 2 images of 1 x 2 pixels x 3 channels; image 0 pixel 0 = (1, 2, 3), pixel 1 = (4, 5, 6); image 1 = 7..12.
  write_idx(dir.file("rgb.idx"), 0x804, {2, 1, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const ImageSet s = read_idx_images(dir.file("rgb.idx"));
  CHECK(s.count == 2);
  CHECK(s.rows == 1);
  CHECK(s.cols == 2);
  CHECK(s.channels == 3);
  // planes: R (1, 4), G (2, 5), B (3, 6) for image 0, then image 1.
  CHECK(s.pixels == std::vector<uint8_t>{1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12});
}

TEST_CASE("IDX N x H x W of another size than 28 x 28 loads (uncompressed too)", "[datasets]") {
  TempDir dir;
  std::vector<uint8_t> px(3 * 5 * 7);
  for (size_t i = 0; i < px.size(); ++i) px[i] = static_cast<uint8_t>(i);
  write_idx(dir.file("gray.idx"), 0x803, {3, 5, 7}, px);
  const ImageSet s = read_idx_images(dir.file("gray.idx"));
  CHECK(s.count == 3);
  CHECK(s.rows == 5);
  CHECK(s.cols == 7);
  CHECK(s.channels == 1);
  CHECK(s.pixels == px);
  // A header that claims 4 images of a file holding 3 is one line naming the file.
  write_idx(dir.file("short.idx"), 0x803, {4, 5, 7}, px);
  const std::string e = error_of([&] { read_idx_images(dir.file("short.idx")); });
  CHECK(e.find("short.idx: truncated IDX file") != std::string::npos);
}

TEST_CASE("an idx data set: labels up to 255, and the training split's mean and std per channel", "[datasets]") {
  TempDir dir;
  // 3 training images of 1 x 1 x 2 channels: (10, 0), (30, 255), and the validation image (200, 200).
  write_idx(dir.file("train.idx"), 0x804, {3, 1, 1, 2}, {10, 0, 30, 255, 200, 200});
  write_idx(dir.file("train-labels.idx"), 0x801, {3}, {0, 200, 1});
  write_idx(dir.file("test.idx"), 0x804, {1, 1, 1, 2}, {0, 0});
  write_idx(dir.file("test-labels.idx"), 0x801, {1}, {3});
  DatasetSpec spec;
  spec.format = "idx";
  spec.train = dir.file("train.idx");
  spec.train_labels = dir.file("train-labels.idx");
  spec.test = dir.file("test.idx");
  spec.test_labels = dir.file("test-labels.idx");
  spec.validation = 1;
  const FashionMnist d = load_dataset(spec, "");
  CHECK(d.train_pool() == 2);
  CHECK(d.train.labels == std::vector<uint8_t>{0, 200, 1});
  // Channel 0 over the pool (not the validation image): 10/255 and 30/255: mean 20/255, std 10/255.
  // Channel 1: 0 and 1: mean 0.5, std 0.5.
  REQUIRE(d.train.mean.size() == 2);
  CHECK(d.train.mean[0] == Approx(20.0 / 255).epsilon(1e-6));
  CHECK(d.train.std[0] == Approx(10.0 / 255).epsilon(1e-5));
  CHECK(d.train.mean[1] == Approx(0.5).epsilon(1e-6));
  CHECK(d.train.std[1] == Approx(0.5).epsilon(1e-6));
  CHECK(d.test.mean == d.train.mean);  // the test set is normalized with the training split's figures
  // A validation split that leaves nothing to train on.
  spec.validation = 3;
  CHECK(error_of([&] { load_dataset(spec, ""); }).find("dataset.validation 3 must be in 1..2") != std::string::npos);
}

TEST_CASE("CIFAR-10 binary: records of 1 label + 3072 CHW bytes, a directory's .bin files in name order",
          "[datasets]") {
  TempDir dir;
  // Record r: label 9 - r, pixel byte k = (r + k) % 256 (the R plane's first byte is r).
  const auto records = [](int first, int n) {
    std::vector<uint8_t> b;
    for (int r = first; r < first + n; ++r) {
      b.push_back(static_cast<uint8_t>(9 - r));
      for (int k = 0; k < 3072; ++k) b.push_back(static_cast<uint8_t>((r + k) % 256));
    }
    return b;
  };
  write(dir.file("cifar/data_batch_2.bin"), records(2, 1));
  write(dir.file("cifar/data_batch_1.bin"), records(0, 2));
  const ImageSet s = read_cifar10(dir.file("cifar"));
  CHECK(s.count == 3);
  CHECK(s.rows == 32);
  CHECK(s.cols == 32);
  CHECK(s.channels == 3);
  CHECK(s.labels == std::vector<uint8_t>{9, 8, 7});  // batch 1's two records, then batch 2's
  REQUIRE(s.pixels.size() == 3u * 3072);
  CHECK(s.pixels[0] == 0);
  CHECK(s.pixels[1024] == 0);  // the G plane of record 0 starts at byte 1024: (0 + 1024) % 256
  CHECK(s.pixels[3072 + 1] == 2);
  CHECK(s.pixels[2 * 3072 + 5] == 7);
  // A file that is not whole records.
  write(dir.file("bad.bin"), std::vector<uint8_t>(3000, 1));
  const std::string e = error_of([&] { read_cifar10(dir.file("bad.bin")); });
  CHECK(e.find("bad.bin: not a CIFAR-10 binary file") != std::string::npos);
  CHECK(e.find("3073-byte records") != std::string::npos);
}

TEST_CASE("a directory of netpbm images per class: labels by sorted class name, classes interleaved", "[datasets]") {
  TempDir dir;
  write(dir.file("set/cat/a.pgm"), text("P5\n# a comment\n2 1\n255\n\x01\x02"));
  write(dir.file("set/cat/b.pgm"), text("P5 2 1 255\n\x03\x04"));
  write(dir.file("set/ant/a.pgm"), text("P5\n2 1\n255\n\x05\x06"));
  write(dir.file("set/ant/.keep"), {});  // dot files are ignored
  const ImageSet s = read_image_dir(dir.file("set"));
  CHECK(s.count == 3);
  CHECK(s.rows == 1);
  CHECK(s.cols == 2);
  CHECK(s.channels == 1);
  // ant = 0, cat = 1; round-robin: ant/a, cat/a, cat/b.
  CHECK(s.labels == std::vector<uint8_t>{0, 1, 1});
  CHECK(s.pixels == std::vector<uint8_t>{5, 6, 1, 2, 3, 4});
  // P6: interleaved RGB to planes.
  write(dir.file("rgb/x/a.ppm"), text("P6\n2 1\n255\n\x01\x02\x03\x04\x05\x06"));
  const ImageSet c = read_image_dir(dir.file("rgb"));
  CHECK(c.channels == 3);
  CHECK(c.pixels == std::vector<uint8_t>{1, 4, 2, 5, 3, 6});
}

TEST_CASE("image directories: an empty class, a non-netpbm file and mixed sizes are one error line each",
          "[datasets]") {
  TempDir dir;
  write(dir.file("e/full/a.pgm"), text("P5\n1 1\n255\n\x01"));
  std::filesystem::create_directories(dir.file("e/empty"));
  CHECK(error_of([&] { read_image_dir(dir.file("e")); }).find("empty: empty class directory") != std::string::npos);
  write(dir.file("p/a/readme.txt"), text("hello"));
  const std::string e = error_of([&] { read_image_dir(dir.file("p")); });
  CHECK(e.find("readme.txt: not a binary netpbm image") != std::string::npos);
  CHECK(e.find('\n') == std::string::npos);
  write(dir.file("m/a/1.pgm"), text("P5\n1 1\n255\n\x01"));
  write(dir.file("m/a/2.pgm"), text("P5\n2 1\n255\n\x01\x02"));
  CHECK(error_of([&] { read_image_dir(dir.file("m")); }).find("differs from the first image") != std::string::npos);
}
