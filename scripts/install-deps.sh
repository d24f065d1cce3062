#!/usr/bin/env bash
# Installs every Debian package Ridgepoint needs to build, test and run.
# Idempotent: packages already installed are skipped, and apt-get is not called at all when nothing is missing.
# Fails loudly (non-zero exit, one line naming the packages) when something cannot be installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libsystemc-dev            # simulation kernel
  libeigen3-dev             # linear algebra (fits, statistics)
  libboost-program-options-dev
  libhdf5-dev               # HDF5 C++ traces
  libtorch-dev              # TorchScript import, proxy training
  catch2                    # unit tests (Catch2 v2, CMake integration)
  libyaml-cpp-dev           # accelerator / experiment / network configs
  nlohmann-json3-dev        # JSON output (CLI --json, Chrome traces)
  libbenchmark-dev          # Google Benchmark (benchmarks/ figures)
  dataset-fashion-mnist     # proxy-task data for NAS
  openmpi-bin libopenmpi-dev   # mpirun ridgepoint run: sweeps sharded over MPI ranks
  python3 python3-numpy python3-h5py python3-matplotlib   # analysis scripts
  python3-yaml              # trace tests: the YAML texts stored in HDF5 traces parse (docs/traces.md)
  python3-torch python3-torchvision   # TorchScript import tests: scripts/export_*.py run with /usr/bin/python3
  pybind11-dev python3-dev   # the Python module (import ridgepoint)
  python3-pytest python3-pandas   # its pytest suite; Result.to_pandas() and the docs' pandas examples
  clang libclang-rt-14-dev  # libFuzzer harnesses (scripts/fuzz.sh; CI runs them, docs/testing.md)
  clang-format  # the style check (scripts/format.sh --check, a CTest)
  libonnx-dev libprotobuf-dev   # ONNX import: ONNX's C++ classes and shape inference, built on protobuf
  python3-onnx              # ONNX import tests: hand-made graphs (onnx.helper) and torch.onnx.export
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || { echo "install-deps: apt-get update failed" >&2; exit 1; }
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  echo "install-deps: apt-get install failed for: ${missing[*]}" >&2
  exit 1
fi

still=()
for p in "${missing[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || still+=("$p")
done
if [ ${#still[@]} -ne 0 ]; then
  echo "install-deps: still missing after install: ${still[*]}" >&2
  exit 1
fi
echo "install-deps: done"
