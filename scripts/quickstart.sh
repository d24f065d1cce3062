#!/usr/bin/env bash
# Fresh machine to first result: installs what is missing, builds, and runs the main job on a built-in default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
./build/experiments/ridgepoint compare efficientnet-b0 efficientnet-b0-s2d efficientnet-b0-s2d-fused efficientnet-x-b0 --accel tpuv3
