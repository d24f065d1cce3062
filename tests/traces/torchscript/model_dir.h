#pragma once
// Where the test-time TorchScript exports live (RP_TS_MODEL_DIR, set by CMake to this build folder's models/).
// model_path() fails the calling test when the export is missing, so a broken export never passes silently.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

inline std::string model_path(const std::string& file) {
  const std::string path = std::string(RP_TS_MODEL_DIR) + "/" + file;
  INFO("exported by the CTest fixtures (scripts/export_*.py); run the whole suite with ctest, not this binary alone");
  REQUIRE(std::filesystem::is_regular_file(path));
  return path;
}
