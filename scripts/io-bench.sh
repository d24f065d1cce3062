#!/usr/bin/env bash
# io-bench.sh OLD_RIDGEPOINT NEW_RIDGEPOINT [PYTHONPATH_OF_NEW]: the I/O and process figures of issue 23 item 5,
# measured in one run on this machine (alternating old and new where both run, so both see the same load).
#  1. Sweep points/s (a 1,000-point sweep of EfficientNet-B0 on TPUv3 at batch 1, HBM bandwidth x clock;
#     wall time of the whole `run`, the faster of two): serial and
#     --jobs 2, new with the journal's batched fsync (default) and with --journal-batch 1 (an fsync per point, as
#     before), and the old executable.
#  2. `ridgepoint simulate efficientnet-b0 --accel tpuv3`: median wall time of 20 processes, old and new, and the
#     shared libraries each loads (ldd).
#  3. Python: the median time of a repeated rp.simulate() of B0 on a TPUv3 YAML file, with the module's
#     accelerator cache on and off (needs the new build's python/ directory on PYTHONPATH).
set -euo pipefail
command -v /usr/bin/time >/dev/null || { echo "io-bench: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
OLD=$1 NEW=$2 PYPATH=${3:-}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cat >"$W/s.yaml" <<YAML
kind: sweep
models: [efficientnet-b0]
accelerators: [tpuv3]
batch: 1
output: s.h5
grid:
  hbm.bandwidth_gbps: [$(seq -s, 300 20 1080)]
  clock_mhz: [$(seq -s, 700 20 1180)]
YAML
# sweep TAG BIN ARGS...: points/s of the faster of two fresh runs (the machine is shared: the faster is the one
# less disturbed), and the CPU time per point of that run (user + system, workers included: /usr/bin/time), which
# load from other processes does not inflate: 1000 / (CPU ms per point) is the rate one idle core would give.
sweep() {
  local tag=$1 bin=$2 best=0 cpu=0; shift 2
  for _ in 1 2; do
    rm -f "$W"/s.h5*
    /usr/bin/time -f "%e %U %S" -o "$W/t" "$bin" run "$W/s.yaml" --fresh "$@" 2>"$W/log" || { cat "$W/log"; exit 1; }
    read -r e u s <"$W/t"
    if awk -v e="$e" -v b="$best" 'BEGIN {exit !(1000 / e > b)}'; then
      best=$(awk -v e="$e" 'BEGIN {print 1000 / e}')
      cpu=$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')
    fi
  done
  printf "  %-56s %6.0f points/s  %5.2f CPU ms/point\n" "$tag" "$best" "$cpu"
}
echo "sweep of 1,000 points (B0, TPUv3):"
for jobs in 1 2; do
  sweep "old, --jobs $jobs" "$OLD" --jobs $jobs
  sweep "new, --jobs $jobs, --journal-batch 1 (fsync per point)" "$NEW" --jobs $jobs --journal-batch 1
  sweep "new, --jobs $jobs (batched fsync)" "$NEW" --jobs $jobs
done

echo "simulate efficientnet-b0 --accel tpuv3, median of 20 processes:"
/usr/bin/python3 - "$OLD" "$NEW" <<'PY'
import statistics, subprocess, sys, time
bins = {"old": sys.argv[1], "new": sys.argv[2]}
ts = {k: [] for k in bins}
for _ in range(20):
    for k, b in bins.items():
        t = time.perf_counter()
        subprocess.run([b, "simulate", "efficientnet-b0", "--accel", "tpuv3"], stdout=subprocess.DEVNULL, check=True)
        ts[k].append(time.perf_counter() - t)
for k, b in bins.items():
    libs = sum(1 for l in subprocess.run(["ldd", b], capture_output=True, text=True).stdout.splitlines() if "=>" in l)
    print(f"  {k:4s} {statistics.median(ts[k]) * 1e3:7.1f} ms   ({libs} shared libraries)")
print(f"  new / old: {statistics.median(ts['new']) / statistics.median(ts['old']):.2f}")
PY

[ -n "$PYPATH" ] || exit 0
echo "Python rp.simulate(B0, accel=FILE) repeated, median of 200 calls:"
PYTHONPATH=$PYPATH /usr/bin/python3 - "$(dirname "$0")/../accel_models/configs/tpuv3.yaml" <<'PY'
import statistics, sys, time
import ridgepoint as rp
from ridgepoint import _core
def median_ms():
    ts = []
    for _ in range(200):
        t = time.perf_counter()
        rp.simulate("efficientnet-b0", accel=sys.argv[1], batch=8)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1e3
_core._set_accelerator_cache(0)
off = median_ms()
_core._set_accelerator_cache(32)
on = median_ms()
print(f"  cache off {off:.3f} ms, cache on {on:.3f} ms, saved {off - on:.3f} ms per call ({off / on:.2f}x)")
PY
