#!/usr/bin/env bash
# sweep_test.sh RIDGEPOINT CASE: end-to-end tests of `ridgepoint run` (issue 7), one CASE per CTest.
set -euo pipefail
R=$1 CASE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's interpreter, which has h5py
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"

# A 3 x 3 hardware grid x 2 models = 18 rows.
sweep() {  # sweep NAME [extra grid line]
  cat >"$1.yaml" <<YAML
kind: sweep
models: [efficientnet-b0, efficientnet-x-b0]
accelerators: [tpuv3]
batch: 64
output: $1.h5
grid:
  matrix_unit.rows: [64, 128, 256]
  hbm.bandwidth_gbps: [300, 450, 900]
YAML
}
rows() { $PY -c "import h5py,sys; print(len(h5py.File(sys.argv[1])['points']))" "$1"; }

case $CASE in
  full-table)
    sweep s
    "$R" run s.yaml 2>log
    [ "$(rows s.h5)" = 18 ] || { echo "expected 18 rows"; exit 1; }
    # Every row simulated, with the swept values as columns.
    $PY - <<'PY'
import h5py, numpy as np
p = h5py.File("s.h5")["points"][:]
assert set(p["matrix_unit.rows"]) == {64, 128, 256} and set(p["hbm.bandwidth_gbps"]) == {300, 450, 900}
assert all(s == b"ok" for s in p["status"]) and (p["latency_ms"] > 0).all()
for c in ("throughput", "flops", "hbm_bytes", "operational_intensity", "efficiency", "busy_matrix", "busy_vector", "busy_hbm"):
    assert c in p.dtype.names, c
# More HBM bandwidth never makes a point slower (same array size, same model).
for m in (b"efficientnet-b0", b"efficientnet-x-b0"):
    for r in (64, 128, 256):
        sel = p[(p["model"] == m) & (p["matrix_unit.rows"] == r)]
        lat = sel[np.argsort(sel["hbm.bandwidth_gbps"])]["latency_ms"]
        assert (np.diff(lat) <= 0).all(), (m, r, lat)
PY
    ;;
  jobs-identical)
    sweep a && sweep b
    "$R" run a.yaml 2>/dev/null
    "$R" run b.yaml --jobs 2 2>/dev/null
    $PY "$HERE/compare_h5.py" a.h5 b.h5
    ;;
  mpi-identical)
    sweep a && sweep b
    "$R" run a.yaml 2>/dev/null
    mpirun --allow-run-as-root --oversubscribe -np 2 "$R" run b.yaml 2>log || { cat log; exit 1; }
    $PY "$HERE/compare_h5.py" a.h5 b.h5
    ;;
  resume-after-stop)
    sweep a && sweep b
    "$R" run a.yaml 2>/dev/null
    "$R" run b.yaml --max-points 7 2>log
    grep -q "stopped with 7 of 18 points done" log || { cat log; exit 1; }
    [ ! -e b.h5 ] || { echo "an unfinished run left an output file"; exit 1; }
    "$R" run b.yaml 2>log
    grep -q "resuming: 7 of 18 points already done, 11 to compute" log || { cat log; exit 1; }
    grep -q "(11 computed now, 7 resumed)" log || { cat log; exit 1; }
    $PY "$HERE/compare_h5.py" a.h5 b.h5
    ;;
  resume-after-kill)
    # A longer sweep killed with SIGKILL part way; the rerun computes only what the journal lacks.
    cat >k.yaml <<YAML
kind: sweep
models: [efficientnet-b7, resnet-50]
accelerators: [tpuv3, tpuv2]
output: k.h5
grid:
  hbm.bandwidth_gbps: [300, 350, 400, 450, 500, 550, 600, 650, 700, 750, 800, 850, 900, 950, 1000, 1050, 1100, 1150, 1200, 1250, 1300, 1350, 1400, 1450, 1500, 1550, 1600, 1650, 1700, 1750, 1800, 1850]
  matrix_unit.rows: [128, 256]
YAML
    sed 's/output: k.h5/output: ref.h5/' k.yaml >ref.yaml
    "$R" run k.yaml 2>/dev/null & pid=$!
    # Kill once a few points are in the journal (header + 3 lines), or after 20 s at the latest. 256 points (about
    # 1 s on an idle machine; 64 took 0.15-0.3 s, close to the poll's step, and a run that finished before the poll
    # saw its journal left nothing to kill).
    for _ in $(seq 1000); do
      [ -f k.h5.progress.jsonl ] && [ "$(wc -l <k.h5.progress.jsonl)" -ge 4 ] && break
      sleep 0.02
    done
    kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
    before=$(( $(wc -l <k.h5.progress.jsonl) - 1 ))
    "$R" run k.yaml 2>log
    total=256
    grep -q "($(( total - before )) computed now, $before resumed)" log || { echo "killed with $before done"; cat log; exit 1; }
    "$R" run ref.yaml 2>/dev/null
    $PY "$HERE/compare_h5.py" ref.h5 k.h5
    ;;
  whatif)
    # Every shipped what-if config is valid (--max-points 0 validates and computes nothing); two of them run in
    # full and their plot scripts write PNGs.
    WHATIF="$HERE/../../experiments/whatif"
    # Their outputs are relative to their files: --output writes them here, not into the source tree.
    for f in "$WHATIF"/*.yaml; do
      "$R" run "$f" --max-points 0 --output x.h5 2>/dev/null || { echo "invalid: $f"; exit 1; }
    done
    for x in hbm-bandwidth tpu-generations v100-fused-swish; do "$R" run "$WHATIF/$x.yaml" --output $x.h5 2>/dev/null; done
    # The GPU what-if's claim: fused swish speeds up swish networks, and leaves the all-ReLU one unchanged.
    $PY - <<'PY'
import h5py
p = h5py.File("v100-fused-swish.h5")["points"][:]
lat = {(r["model"], int(r["lowering.fused_swish"])): r["latency_ms"] for r in p}
assert lat[(b"efficientnet-b0", 1)] < lat[(b"efficientnet-b0", 0)]
assert lat[(b"efficientnet-x-b0-relu", 1)] == lat[(b"efficientnet-x-b0-relu", 0)]
PY
    $PY "$WHATIF/plot_sweep.py" hbm-bandwidth.h5 hbm.bandwidth_gbps hbm.png
    $PY "$WHATIF/plot_generations.py" tpu-generations.h5 gen.png
    for png in hbm.png gen.png; do
      [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || { echo "$png is not a PNG"; exit 1; }
    done
    if $PY "$WHATIF/plot_sweep.py" hbm-bandwidth.h5 no.such.key x.png 2>err; then echo "bad key accepted"; exit 1; fi
    [ "$(wc -l <err)" = 1 ] || { echo "expected one error line"; cat err; exit 1; }
    ;;
  resume-changed-input)
    # Issue 21: a resume never mixes results of an edited input. The sweep names an accelerator file and a network
    # file; after 3 points, each is edited in turn and the rerun stops in one line naming it (exit 2), leaving the
    # journal as it was; restored, the run resumes; --fresh starts over with the edited file.
    "$R" accelerators --yaml tpuv3 >chip.yaml
    "$R" info efficientnet-b0 >/dev/null
    cat >net.yaml <<'NET'
name: small
resolution: 64
activation: swish
stem: {filters: 32, kernel: 3, stride: 2}
blocks: [r1_k3_s11_e1_i32_o16_se0.25, r2_k3_s22_e6_i16_o24_se0.25]
head: {filters: 256, classes: 10}
NET
    cat >c.yaml <<'YAML'
kind: sweep
models: [net.yaml]
accelerators: [chip.yaml]
batch: 8
output: c.h5
grid: {hbm.bandwidth_gbps: [300, 450, 600, 900, 1200]}
YAML
    "$R" run c.yaml --max-points 3 2>/dev/null
    cp chip.yaml chip.orig; cp net.yaml net.orig; cp c.h5.progress.jsonl journal.orig
    sed -i 's/^clock_mhz: 940 /clock_mhz: 470 /' chip.yaml
    ! cmp -s chip.yaml chip.orig || { echo "the edit changed nothing"; exit 1; }
    rc=0; "$R" run c.yaml 2>err || rc=$?
    [ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q "progress of another run (accelerator file /.*/chip.yaml changed); remove it or run with --fresh" err \
      || { echo "edited accelerator: exit $rc"; cat err; exit 1; }
    cp chip.orig chip.yaml; sed -i 's/resolution: 64/resolution: 96/' net.yaml
    rc=0; "$R" run c.yaml 2>err || rc=$?
    [ $rc = 2 ] && grep -q "(network file /.*/net.yaml changed)" err || { echo "edited network: exit $rc"; cat err; exit 1; }
    cmp c.h5.progress.jsonl journal.orig || { echo "a refused resume touched the journal"; exit 1; }
    cp net.orig net.yaml
    "$R" run c.yaml 2>log
    grep -q "(2 computed now, 3 resumed)" log || { echo "no resume after the inputs were restored"; cat log; exit 1; }
    sed -i 's/resolution: 64/resolution: 96/' net.yaml
    "$R" run c.yaml --fresh 2>log
    grep -q "(5 computed now, 0 resumed)" log || { cat log; exit 1; }
    ;;
  side-file-safety)
    # Issue 21: a symbolic link planted at the lock or the journal is refused and its target left untouched; a
    # directory at OUTPUT-STEM.files that a run did not make is refused before any work; a FIFO output is refused
    # without hanging.
    sweep s
    echo precious >victim
    for side in s.h5.lock s.h5.progress.jsonl; do
      ln -s victim "$side"
      rc=0; timeout 20 "$R" run s.yaml 2>err || rc=$?
      [ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q "symbolic link" err || { echo "$side: exit $rc"; cat err; exit 1; }
      [ "$(cat victim)" = precious ] || { echo "$side: the link's target was written"; exit 1; }
      rm "$side"
    done
    mkdir s.files; echo mine >s.files/notes
    rc=0; "$R" run s.yaml 2>err || rc=$?
    [ $rc = 2 ] && grep -q "s.files exists and was not made by a Ridgepoint run" err || { echo "foreign dir: exit $rc"; cat err; exit 1; }
    [ ! -e s.h5 ] && [ ! -e s.h5.progress.jsonl ] || { echo "a refused run wrote something"; ls; exit 1; }
    rm -r s.files
    # The staging path of that directory (side_files.h) holding a user's file: refused before any work, untouched.
    mkdir s.files.tmp; echo mine >s.files.tmp/notes
    rc=0; "$R" run s.yaml 2>err || rc=$?
    [ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q "s.files.tmp is in the way" err \
      || { echo "staging dir in the way: exit $rc"; cat err; exit 1; }
    [ ! -e s.h5 ] && [ ! -e s.h5.progress.jsonl ] && [ "$(cat s.files.tmp/notes)" = mine ] \
      || { echo "a refused run wrote or removed something"; ls -R; exit 1; }
    rm -r s.files.tmp
    mkfifo s.h5
    rc=0; timeout 20 "$R" run s.yaml 2>err || rc=$?
    [ $rc = 2 ] && grep -q "not a regular file" err || { echo "FIFO output: exit $rc"; cat err; exit 1; }
    ;;
  paths)
    # Issue 26: an experiment's output is relative to its file, whatever the current directory; --output PATH
    # replaces it (relative to the current directory); a complete run leaves nothing beside its output but the
    # output; a rerun of a complete output compares the identity it stores; an unwritable directory names --output.
    mkdir -p exp/results elsewhere
    sweep s && sed 's#^output: s.h5#output: results/s.h5#' s.yaml >exp/s.yaml && rm s.yaml
    (cd elsewhere && "$R" run ../exp/s.yaml 2>log) || { cat elsewhere/log; exit 1; }
    [ "$(rows exp/results/s.h5)" = 18 ] || { echo "output not beside the experiment file"; ls -R; exit 1; }
    [ -z "$(ls elsewhere | grep -v -x log)" ] || { echo "written in the current directory:"; ls elsewhere; exit 1; }
    left=$(ls -A exp/results | grep -v -x s.h5 || true)
    [ -z "$left" ] || { echo "left beside the complete output: $left"; exit 1; }
    # Rerun, unchanged: nothing to do, the output untouched (same bytes, same modification time).
    stamp=$(stat -c %Y.%s exp/results/s.h5); cp exp/results/s.h5 s.before
    "$R" run exp/s.yaml 2>log || { cat log; exit 1; }
    grep -q "^exp/results/s.h5 is complete (same settings, input files and program version): nothing to do" log \
      || { cat log; exit 1; }
    cmp s.before exp/results/s.h5 && [ "$(stat -c %Y.%s exp/results/s.h5)" = "$stamp" ] || { echo "rewritten"; exit 1; }
    # Edited: refused in one line until --fresh (never replaced silently, as a journal of another run is not mixed in).
    sed -i 's/batch: 64/batch: 32/' exp/s.yaml
    rc=0; "$R" run exp/s.yaml 2>err || rc=$?
    [ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] \
      && grep -q "exp/results/s.h5 holds the complete results of another run (the experiment's settings changed); run with --fresh" err \
      || { echo "edited experiment: exit $rc"; cat err; exit 1; }
    cmp s.before exp/results/s.h5 || { echo "a refused run touched the output"; exit 1; }
    "$R" run exp/s.yaml --fresh 2>log || { cat log; exit 1; }
    grep -q "(18 computed now, 0 resumed)" log || { cat log; exit 1; }
    [ -z "$(ls -A exp/results | grep -v -x s.h5)" ] || { echo "left after --fresh:"; ls -A exp/results; exit 1; }
    # --output: relative to the current directory; the file's output is not touched (nor even checked).
    (cd elsewhere && "$R" run ../exp/s.yaml --output mine.h5 2>log) || { cat elsewhere/log; exit 1; }
    [ "$(rows elsewhere/mine.h5)" = 18 ] || { echo "no --output file"; ls -R; exit 1; }
    [ -z "$(ls -A elsewhere | grep -v -x -e log -e mine.h5)" ] || { echo "left beside --output:"; ls -A elsewhere; exit 1; }
    rc=0; "$R" run exp/s.yaml --output no-such-dir/x.h5 2>err || rc=$?
    [ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q "^ridgepoint: error: --output: cannot write 'no-such-dir/x.h5': No such file" err \
      || { echo "--output into a missing directory: exit $rc"; cat err; exit 1; }
    # An unwritable output directory (an installed, read-only experiment): one line naming --output, exit 2,
    # nothing written. Run as an unprivileged user when this is root (root may write anywhere).
    mkdir ro && cp exp/s.yaml ro/s.yaml && sed -i 's#^output: results/s.h5#output: s.h5#' ro/s.yaml && chmod 555 ro
    as_user=()
    [ "$(id -u)" = 0 ] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups) && chmod 755 "$W" elsewhere
    rc=0; (cd elsewhere && "${as_user[@]}" "$R" run ../ro/s.yaml 2>err) || rc=$?
    [ $rc = 2 ] && [ "$(wc -l <elsewhere/err)" = 1 ] \
      && grep -q "key 'output': cannot write '../ro/s.h5': Permission denied (give a writable output: ridgepoint run FILE --output PATH)" elsewhere/err \
      || { echo "unwritable directory: exit $rc"; cat elsewhere/err; exit 1; }
    [ "$(ls ro)" = s.yaml ] || { echo "written into the read-only directory"; ls ro; exit 1; }
    chmod 755 ro
    ;;
  resume-elsewhere)
    # A run cut short from one directory resumes from another: the experiment names its accelerator by a path
    # relative to its file, which reads as "exp/chip.yaml" from here and "../exp/chip.yaml" from elsewhere/; the
    # run's identity records the file by its absolute path, so both are the same input (13 resumed, 5 computed).
    mkdir -p exp elsewhere
    "$R" accelerators --yaml tpuv3 >exp/chip.yaml
    sweep s && sed 's#^accelerators: \[tpuv3\]#accelerators: [./chip.yaml]#' s.yaml >exp/s.yaml && rm s.yaml
    "$R" run exp/s.yaml --max-points 13 2>log || { cat log; exit 1; }
    (cd elsewhere && "$R" run ../exp/s.yaml 2>log) || { cat elsewhere/log; exit 1; }
    grep -q "(5 computed now, 13 resumed)" elsewhere/log || { cat elsewhere/log; exit 1; }
    [ "$(rows exp/s.h5)" = 18 ] || { echo "expected 18 rows"; exit 1; }
    ;;
  capacity-status)
    # An over-capacity point is a row with its reason as status and no figures, never a latency: HBM capacity as a
    # grid key, EfficientNet-B0 at batch 256 on a V100. 16 GiB holds it (the built-in V100); 0.5 GiB cannot: its
    # activations peak where block 2 expands 16 to 96 channels at 112 x 112 and that conv's output and its batch
    # norm's are live together: 2 x 256 x 112 x 112 x 96 x 2 B = 1,233,125,376 B = 1176 MiB exactly.
    # The status is the line `simulate` fails with at the same capacity.
    cat >c.yaml <<YAML
kind: sweep
models: [efficientnet-b0]
accelerators: [v100]
batch: 256
output: c.h5
grid:
  hbm.capacity_gib: [16, 0.5]
YAML
    "$R" run c.yaml 2>log || { cat log; exit 1; }
    ! "$R" simulate efficientnet-b0 --accel v100 --batch 256 --set hbm.capacity_gib=0.5 2>err >/dev/null
    $PY - <<'PY'
import h5py
p = h5py.File("c.h5")["points"][:]
rows = {float(r["hbm.capacity_gib"]): r for r in p}
assert rows[16.0]["status"] == b"ok" and rows[16.0]["latency_ms"] > 0, rows[16.0]
bad = rows[0.5]
line = open("err").read().strip()
assert line.startswith("ridgepoint: failed: needs "), line
assert bad["status"].decode() == line[len("ridgepoint: failed: "):], (bad["status"], line)
assert bad["status"].decode().split(" of ")[1].startswith("512 MiB HBM: weights "), bad["status"]
assert bad["status"].decode().endswith(", activations 1176 MiB"), bad["status"]
assert bad["latency_ms"] == 0 and bad["throughput"] == 0, bad
PY
    ;;
  *) echo "unknown case $CASE"; exit 2 ;;
esac
