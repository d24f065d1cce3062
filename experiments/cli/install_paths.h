#pragma once
// Where the running executable is, and the data installed beside it. The layout is the same in the build tree
// (build/experiments/ridgepoint, build/share/ridgepoint/) and after `cmake --install` (PREFIX/bin/ridgepoint,
// PREFIX/share/ridgepoint/), so both find their files the same way: relative to /proc/self/exe.
#include <string>

namespace rp::cli {

// The directory of the file actually running (through any symlink or PATH entry). Throws SimulationError if
// /proc/self/exe cannot be read.
std::string own_directory();

// The copies of the built-in accelerator YAML files (DIR/../share/ridgepoint/configs), or "" if there are none.
// The built-in names themselves are compiled in (accel_models/config/builtin_configs.h): an edited copy is used
// through `--accel FILE`.
std::string config_copies_directory();

// The shipped experiments (DIR/../share/ridgepoint/experiments: the experiment YAMLs of the source tree's
// experiments/, their committed results and the scripts the docs run on them), or "" if there are none.
std::string experiments_directory();

}  // namespace rp::cli
