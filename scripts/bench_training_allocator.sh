#!/usr/bin/env bash
# bench_training_allocator.sh [RIDGEPOINT] [RUNS]: proxy training with glibc's allocator defaults against the
# settings ridgepoint-torch makes at start-up (experiments/cli/main.cpp, issue 24), alternating in one run so both
# see the same machine load. The work: a tiny NAS (4 samples, 1,000 training images each, 1 epoch: 4,000 images
# trained). Prints, per setting, the run of median wall time over RUNS runs (default 3): wall time, user and system CPU, the system
# share of CPU, minor page faults, peak RSS and images trained per second of wall time, and checks that both
# settings wrote the same /samples table (the allocator changes speed, never a result).
set -euo pipefail
R=${1:-ridgepoint} RUNS=${2:-3}
case $R in */*) R=$(cd "$(dirname "$R")" && pwd)/$(basename "$R") ;; esac
PY=/usr/bin/python3
command -v /usr/bin/time >/dev/null || { echo "bench_training_allocator: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
cat > e.yaml <<'YAML'
kind: nas
space: efficientnet-x
accelerator: tpuv3
set: {}
batch: 128
target_latency_ms: 9.0
reward: {w: -0.07}
search: {method: rl, samples: 4, seed: 1}
accuracy: {method: proxy, train_images: 1000, epochs: 1, seed: 1}
output: e.h5
YAML
IMAGES=4000

one() {  # one TAG ENV...: one run, "wall user sys minflt rss_kb" appended to TAG
  local tag=$1; shift
  rm -rf e.h5 e.files
  env "$@" /usr/bin/time -f "%e %U %S %R %M" -o t "$R" run e.yaml 2>err >/dev/null ||
    { echo "bench_training_allocator: the run failed: $(tail -1 err)" >&2; exit 1; }
  cat t >> "$tag"
  cp e.h5 "$tag.h5"
}
for i in $(seq "$RUNS"); do
  one defaults RIDGEPOINT_MALLOC_DEFAULTS=1
  one tuned RIDGEPOINT_MALLOC_DEFAULTS=0
done
"$PY" - defaults.h5 tuned.h5 <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(f)["samples"][:] for f in sys.argv[1:3])
assert a.dtype.names == b.dtype.names and all(np.array_equal(a[c], b[c]) for c in a.dtype.names), "tables differ"
PY
printf "%-9s %8s %8s %8s %10s %12s %9s %9s\n" setting "wall s" "user s" "sys s" "sys share" "minor flt" "RSS MB" "images/s"
for tag in defaults tuned; do
  sort -n "$tag" | awk -v tag="$tag" -v n="$IMAGES" '{w[NR]=$1; u[NR]=$2; s[NR]=$3; f[NR]=$4; r[NR]=$5}
    END {m = int((NR + 1) / 2); printf "%-9s %8.1f %8.1f %8.1f %9.1f%% %12d %9.0f %9.1f\n", tag, w[m], u[m], s[m],
         100 * s[m] / (u[m] + s[m]), f[m], r[m] / 1024, n / w[m]}'
done
echo "same /samples table with both settings"
