#pragma once
// The loaders under fuzz read files (as the CLI does): each input is written to one file in a directory of this
// process's own, then loaded in process. The directory is removed when the harness exits.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace rp::fuzz {

class InputFile {
 public:
  explicit InputFile(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() / ("rp-fuzz-" + std::to_string(::getpid()))),
        path_((dir_ / name).string()) {
    std::filesystem::create_directories(dir_);
  }
  ~InputFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Replaces the file's contents with the fuzzer's bytes; returns its path.
  const std::string& write(const uint8_t* data, size_t size) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path_;
  }

 private:
  std::filesystem::path dir_;
  std::string path_;
};

}  // namespace rp::fuzz
