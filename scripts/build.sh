#!/usr/bin/env bash
# Configures and builds Ridgepoint (Release) into ./build. Usage: scripts/build.sh [extra cmake args]
# A unity build (CMake's CMAKE_UNITY_BUILD: each target's sources compiled a batch of 8 per translation unit, so the
# headers, LibTorch's above all, are parsed once per batch): a clean build in half the time (docs/testing.md,
# "Build time"). `scripts/build.sh -DCMAKE_UNITY_BUILD=OFF` (extra arguments come after the script's own and win)
# compiles one file per unit, as an incremental edit-and-rebuild loop prefers; running the script again without it
# turns the unity build back on.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON "$@" >/dev/null
cmake --build build -j "$jobs"
