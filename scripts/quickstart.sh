#!/usr/bin/env bash
# Fresh machine to first result: installs what is missing, builds, installs (`cmake --install build`: ridgepoint and
# ridgepoint-torch in /usr/local/bin, the accelerator YAML copies in /usr/local/share/ridgepoint/configs, the Python
# module where /usr/bin/python3 imports it), and runs the main job on a built-in default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cmake --install build >/dev/null
/usr/bin/python3 -c "import ridgepoint" || { echo "quickstart: the installed Python module does not import" >&2; exit 1; }
ridgepoint compare efficientnet-b0 efficientnet-b0-s2d efficientnet-b0-s2d-fused efficientnet-x-b0 --accel tpuv3
