#pragma once
// Where the test-time ONNX and TorchScript exports live (RP_ONNX_MODEL_DIR, set by CMake to this build folder's
// models/). onnx_model() fails the calling test when the file is missing, so a broken export never passes silently.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

inline std::string onnx_model(const std::string& file) {
  const std::string path = std::string(RP_ONNX_MODEL_DIR) + "/" + file;
  INFO("exported by the CTest fixtures (export_models.py, make_tiny_models.py); run the suite with ctest");
  REQUIRE(std::filesystem::is_regular_file(path));
  return path;
}
