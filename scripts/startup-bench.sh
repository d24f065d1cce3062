#!/usr/bin/env bash
# startup-bench.sh OLD_RIDGEPOINT NEW_RIDGEPOINT [RUNS]: whole-process wall time and peak memory of the same
# commands with two ridgepoint executables, side by side in one run (alternating, so both see the same machine
# load). Reports the median wall time (bash's EPOCHREALTIME around the process) and the median peak RSS
# (/usr/bin/time -v, "Maximum resident set size") of RUNS runs (default 15) each.
# Used for the README's start-up figures (issue 15): OLD = a build of the commit before the light executable.
set -euo pipefail
OLD=$1 NEW=$2 RUNS=${3:-15}
command -v /usr/bin/time >/dev/null || { echo "startup-bench: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

measure() {  # measure TAG BIN ARGS...: appends "wall_s rss_kb" of one run to $W/TAG
  local tag=$1; shift
  local t0 t1
  t0=$EPOCHREALTIME
  "$@" >/dev/null 2>"$W/err" || { echo "startup-bench: failed: $* ($(tail -1 "$W/err"))" >&2; exit 1; }
  t1=$EPOCHREALTIME
  /usr/bin/time -v -o "$W/t" "$@" >/dev/null 2>&1  # a second run for the peak RSS (time's wall clock has 10 ms steps)
  awk -F': ' -v t0="$t0" -v t1="$t1" '/Maximum resident set size/ {r = $2} END {print t1 - t0, r}' "$W/t" >> "$W/$tag"
}
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

printf "%-48s %14s %14s %12s %12s %8s\n" "command" "old wall s" "new wall s" "old RSS MB" "new RSS MB" "speedup"
for args in "simulate efficientnet-b0 --accel tpuv3" "--help" "models" "info efficientnet-b0" \
            "compare efficientnet-b0 efficientnet-x-b0 --accel tpuv3"; do
  tag=$(echo "$args" | tr -c 'a-z0-9' '_')
  rm -f "$W/old_$tag" "$W/new_$tag"
  for i in $(seq "$RUNS"); do
    # shellcheck disable=SC2086
    measure "old_$tag" "$OLD" $args
    # shellcheck disable=SC2086
    measure "new_$tag" "$NEW" $args
  done
  ow=$(cut -d' ' -f1 "$W/old_$tag" | median) nw=$(cut -d' ' -f1 "$W/new_$tag" | median)
  orss=$(cut -d' ' -f2 "$W/old_$tag" | median) nrss=$(cut -d' ' -f2 "$W/new_$tag" | median)
  awk -v a="$args" -v ow="$ow" -v nw="$nw" -v orss="$orss" -v nrss="$nrss" 'BEGIN {
    printf "%-48s %14.3f %14.3f %12.0f %12.0f %7.1fx\n", a, ow, nw, orss / 1024, nrss / 1024, (nw > 0 ? ow / nw : 0)}'
done
