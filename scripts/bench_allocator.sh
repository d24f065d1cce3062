#!/usr/bin/env bash
# bench_allocator.sh WORK [RIDGEPOINT] [RUNS]: glibc's allocator defaults against the settings both executables
# make at start-up (experiments/cli/allocator.h), alternating in one run so both see the same machine load. WORK:
#   training   a tiny NAS (4 samples, 1,000 training images each, 1 epoch: 4,000 images trained, in ridgepoint-torch);
#              both settings must write the same /samples table
#   simulator  `ridgepoint calibrate --accel tpuv3` (one fit: 109 simulations of the 12 fit rows, every one a fresh
#              task graph); both settings must print the same fit
# Prints, per setting, the run of median wall time over RUNS runs (default 3): wall time, user and system CPU, the
# system share of CPU, minor page faults, peak RSS (and, for training, images trained per second of wall time).
# The allocator changes speed, never a result: a difference between the settings' outputs fails the script.
set -euo pipefail
WORK=${1:-} R=${2:-ridgepoint} RUNS=${3:-3}
case $WORK in
  training) IMAGES=4000 ;;
  simulator) IMAGES=0 ;;
  *) echo "bench_allocator: expected WORK training or simulator, got '$WORK'" >&2; exit 2 ;;
esac
case $R in */*) R=$(cd "$(dirname "$R")" && pwd)/$(basename "$R") ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
command -v /usr/bin/time >/dev/null ||
  { echo "bench_allocator: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
source "$ROOT/tests/experiments/tiny_nas.sh"
tiny_nas_yaml e.yaml 4 "{method: proxy, train_images: 1000, epochs: 1, seed: 1}"

one() {  # one TAG ENV...: one run, "wall user sys minflt rss_kb" appended to TAG, its output kept as TAG.h5 / TAG.out
  local tag=$1; shift
  local work=("$R" calibrate --accel tpuv3)
  [ "$WORK" = simulator ] || { rm -rf e.h5 e.files; work=("$R" run e.yaml); }
  env "$@" /usr/bin/time -f "%e %U %S %R %M" -o t "${work[@]}" >"$tag.out" 2>err ||
    { echo "bench_allocator: the run failed: $(tail -1 err)" >&2; exit 1; }
  cat t >> "$tag"
  [ "$WORK" = simulator ] || cp e.h5 "$tag.h5"
}
for i in $(seq "$RUNS"); do
  one defaults RIDGEPOINT_MALLOC_DEFAULTS=1
  one tuned RIDGEPOINT_MALLOC_DEFAULTS=0
done
if [ "$WORK" = simulator ]; then
  cmp -s defaults.out tuned.out || { echo "bench_allocator: the two settings printed different fits" >&2; exit 1; }
else
  "$PY" - defaults.h5 tuned.h5 <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(f)["samples"][:] for f in sys.argv[1:3])
assert a.dtype.names == b.dtype.names and all(np.array_equal(a[c], b[c]) for c in a.dtype.names), "tables differ"
PY
fi
printf "%-9s %8s %8s %8s %10s %12s %9s %9s\n" \
  setting "wall s" "user s" "sys s" "sys share" "minor flt" "RSS MB" "images/s"
for tag in defaults tuned; do
  sort -n "$tag" | awk -v tag="$tag" -v n="$IMAGES" '{w[NR]=$1; u[NR]=$2; s[NR]=$3; f[NR]=$4; r[NR]=$5}
    END {m = int((NR + 1) / 2); printf "%-9s %8.2f %8.2f %8.2f %9.1f%% %12d %9.0f %9s\n", tag, w[m], u[m], s[m],
         100 * s[m] / (u[m] + s[m]), f[m], r[m] / 1024, (n > 0 ? sprintf("%.1f", n / w[m]) : "-")}'
done
echo "the same $( [ "$WORK" = simulator ] && echo fit || echo /samples table ) with both settings"
