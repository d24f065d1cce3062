#!/usr/bin/env bash
# Regenerates docs/hurricane.md's results: the hardware-specific spaces (TPUv3, V100 and the TPUv4 what-if, with
# layer 1 explained unit by unit), the alpha sweep (alpha-sweep.txt), then the four search runs, two stage2_fraction
# variants of v100-generated, and their summary.
# Run from the repository root:
#   bash experiments/hurricane/run_all.sh [RIDGEPOINT]
# Resumable: a rerun skips what finished (each run journals; its winner YAML and supernet checkpoints are in
# results/RUN.files/).
set -euo pipefail
R=${1:-build/experiments/ridgepoint}
D=experiments/hurricane
mkdir -p $D/results
for a in tpuv3 v100 tpuv4; do
  "$R" hurricane space --accel "$a" --explain 1 >"$D/results/space-$a.txt"
done
/usr/bin/python3 $D/alpha_sweep.py --ridgepoint "$R" >"$D/results/alpha-sweep.txt"
for e in v100-generated v100-handdesigned v100-generated-onestage tpuv3-generated v100-generated-stage2-{0.5,1.0}; do
  [ -f "$D/results/$e.h5" ] || "$R" run "$D/$e.yaml" 2>"$D/results/$e.log"
done
/usr/bin/python3 $D/summarize.py \
  $D/results/{v100-generated,v100-handdesigned,v100-generated-onestage,tpuv3-generated}.h5 \
  $D/results/v100-generated-stage2-{0.5,1.0}.h5 \
  | tee "$D/results/summary.txt"
