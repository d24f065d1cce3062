#pragma once
// Test helpers shared by the data-set tests (idx_test.cpp, image_sets_test.cpp): a scratch directory and the
// big-endian 32-bit words of IDX headers, the message of a UsageError. Header-only, Catch2's FAIL on a directory that cannot be made.
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>
#include <vector>

#include "simulator/error.h"

namespace rp::test {

// A fresh directory under $TMPDIR (or /tmp), removed with its files at scope exit.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "rp-test") {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
    if (!mkdtemp(tmpl.data())) FAIL("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // `name` under the directory, its parent directories made.
  std::string file(const std::string& name) const {
    const std::string p = path_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    return p;
  }

 private:
  std::string path_;
};

// Appends `v` as 4 big-endian bytes (IDX headers).
inline void put_be32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

// The message of the UsageError `fn` throws, or "no UsageError".
inline std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const rp::UsageError& e) {
    return e.what();
  }
  return "no UsageError";
}

}  // namespace rp::test
