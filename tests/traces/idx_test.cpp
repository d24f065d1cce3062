// Reading gzipped IDX files (nas/train/fashion_mnist.h) from small files written here with zlib.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "simulator/error.h"
#include "tests/traces/temp_dir.h"
#include "traces/data/fashion_mnist.h"

using namespace rp::traces;

namespace {

using rp::test::error_of;
using rp::test::put_be32;

struct TempDir : rp::test::TempDir {
  TempDir() : rp::test::TempDir("rp-idx") {}
};

// Writes `bytes` gzipped to `file`.
void write_gz(const std::string& file, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(file.c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
  REQUIRE(gzclose(f) == Z_OK);
}

// An image file whose header says `claimed` images of 28 x 28 and that holds `images` of them, image i filled
// with the byte i + 1.
void write_images(const std::string& file, uint32_t claimed, int images) {
  std::vector<uint8_t> b;
  put_be32(b, 0x803);
  put_be32(b, claimed);
  put_be32(b, 28);
  put_be32(b, 28);
  for (int i = 0; i < images; ++i) b.insert(b.end(), 28 * 28, static_cast<uint8_t>(i + 1));
  write_gz(file, b);
}

void write_labels(const std::string& file, uint32_t claimed, const std::vector<uint8_t>& labels) {
  std::vector<uint8_t> b;
  put_be32(b, 0x801);
  put_be32(b, claimed);
  b.insert(b.end(), labels.begin(), labels.end());
  write_gz(file, b);
}

}  // namespace

TEST_CASE("IDX: a small image file reads back what was written", "[idx]") {
  TempDir dir;
  write_images(dir.file("three.gz"), 3, 3);
  const rp::traces::ImageSet s = rp::traces::read_idx_images(dir.file("three.gz"));
  CHECK(s.count == 3);
  CHECK(s.rows == 28);
  CHECK(s.cols == 28);
  REQUIRE(s.pixels.size() == 3 * 784);
  CHECK(s.pixels[0] == 1);
  CHECK(s.pixels[783] == 1);
  CHECK(s.pixels[784] == 2);
  CHECK(s.pixels[3 * 784 - 1] == 3);
  write_labels(dir.file("labels.gz"), 4, {0, 9, 3, 7});
  CHECK(rp::traces::read_idx_labels(dir.file("labels.gz")) == std::vector<uint8_t>{0, 9, 3, 7});
}

TEST_CASE("IDX: a header claiming 2^32 - 1 images is one error line naming the file, not an allocation", "[idx]") {
  // 4,294,967,295 x 784 bytes = 3.4 TB: before, the vector was sized from the header and threw std::bad_alloc.
  TempDir dir;
  const std::string file = dir.file("huge-claim-images.gz");
  write_images(file, 0xffffffffu, 2);
  const std::string e = error_of([&] { rp::traces::read_idx_images(file); });
  CHECK(e == file +
                 ": truncated IDX file: its header claims 4294967295 images but it holds 2 (package "
                 "dataset-fashion-mnist)");
  write_images(file, 5, 4);  // one image short
  CHECK_THAT(error_of([&] { rp::traces::read_idx_images(file); }), Catch::Contains("claims 5 images but it holds 4"));
}

TEST_CASE("IDX: a label header claiming 2^32 - 1 labels is one error line naming the file", "[idx]") {
  TempDir dir;
  const std::string file = dir.file("huge-claim-labels.gz");
  write_labels(file, 0xffffffffu, {1, 2, 3});
  CHECK(error_of([&] { rp::traces::read_idx_labels(file); }) ==
        file +
            ": truncated IDX file: its header claims 4294967295 labels but it holds 3 (package "
            "dataset-fashion-mnist)");
}
