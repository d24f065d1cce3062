#!/usr/bin/env bash
# bench_simulator_allocator.sh [RIDGEPOINT] [RUNS]: the simulator's commands with glibc's allocator defaults against
# the settings `ridgepoint` makes at start-up (experiments/cli/main.cpp), alternating in one run so both see the same
# machine load. The work: `ridgepoint calibrate --accel tpuv3` (one fit: 109 simulations of the 12 fit rows, every
# one a fresh task graph). Prints, per setting, the run of median wall time over RUNS runs (default 3): wall time,
# user and system CPU, the system share of CPU, minor page faults and peak RSS; and checks that both settings
# printed the same fit (the allocator changes speed, never a result). The training side: bench_training_allocator.sh.
set -euo pipefail
R=${1:-ridgepoint} RUNS=${2:-3}
case $R in */*) R=$(cd "$(dirname "$R")" && pwd)/$(basename "$R") ;; esac
command -v /usr/bin/time >/dev/null || { echo "bench_simulator_allocator: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"

one() {  # one TAG ENV...: one run, "wall user sys minflt rss_kb" appended to TAG, its fit in TAG.out
  local tag=$1; shift
  env "$@" /usr/bin/time -f "%e %U %S %R %M" -o t "$R" calibrate --accel tpuv3 >"$tag.out" 2>err ||
    { echo "bench_simulator_allocator: the run failed: $(tail -1 err)" >&2; exit 1; }
  cat t >> "$tag"
}
for i in $(seq "$RUNS"); do
  one defaults RIDGEPOINT_MALLOC_DEFAULTS=1
  one tuned RIDGEPOINT_MALLOC_DEFAULTS=0
done
cmp -s defaults.out tuned.out || { echo "bench_simulator_allocator: the two settings printed different fits" >&2; exit 1; }
printf "%-9s %8s %8s %8s %10s %12s %9s\n" setting "wall s" "user s" "sys s" "sys share" "minor flt" "RSS MB"
for tag in defaults tuned; do
  sort -n "$tag" | awk -v tag="$tag" '{w[NR]=$1; u[NR]=$2; s[NR]=$3; f[NR]=$4; r[NR]=$5}
    END {m = int((NR + 1) / 2); printf "%-9s %8.2f %8.2f %8.2f %9.1f%% %12d %9.0f\n", tag, w[m], u[m], s[m],
         100 * s[m] / (u[m] + s[m]), f[m], r[m] / 1024}'
done
echo "same fit printed with both settings"
