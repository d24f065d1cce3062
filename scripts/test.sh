#!/usr/bin/env bash
# Installs what is missing, builds, installs (as quickstart.sh), and runs the whole test suite through CTest
# (Catch2, CLI, pytest of the Python module, and every command of README.md and docs/*.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cmake --install build >/dev/null
cd build
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"
