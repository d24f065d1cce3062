#!/usr/bin/env bash
# Runs every LACS experiment of docs/lacs.md (about 1 minute on 2 cores) and makes the plots and tables.
# usage: bash experiments/lacs/run_all.sh [path/to/ridgepoint]
# Writes results/<name>.h5, the family YAMLs in results/<name>.files/ (lacs-phi<k>.yaml, accuracy-only-phi<k>.yaml),
# results/<name>.log, the plots and results/summary.md.
set -euo pipefail
cd "$(dirname "$0")"
R=${1:-../../build/experiments/ridgepoint}
mkdir -p results
for x in tpuv3-lacs v100-lacs tpuv3-accuracy-only tpuv3-lacs-phi2 tpuv4-lacs h100-lacs v100-lacs-b7-direct; do
  echo "== $x"
  "$R" run $x.yaml --jobs 2 2>&1 | grep -v "^progress" | tee results/$x.log | grep "best\|accuracy-only coeff\|done:"
done
PY=/usr/bin/python3
$PY plot_lacs.py results/tpuv3-lacs.h5 results/tpuv3-lacs.png
$PY plot_lacs.py results/v100-lacs.h5 results/v100-lacs-b7-direct.h5 results/v100-lacs.png
$PY plot_lacs.py results/tpuv4-lacs.h5 results/tpuv4-lacs.png
$PY plot_lacs.py results/h100-lacs.h5 results/h100-lacs.png
$PY compare_families.py results/tpuv3-lacs.h5 results/v100-lacs.h5 results/tpuv3-lacs-phi2.h5 results/tpuv4-lacs.h5 \
  results/h100-lacs.h5 results/v100-lacs-b7-direct.h5 results/tpuv3-accuracy-only.h5 >results/summary.md
echo "wrote results/summary.md"
