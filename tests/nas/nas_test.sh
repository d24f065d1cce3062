#!/usr/bin/env bash
# nas_test.sh RIDGEPOINT CASE: end-to-end tests of `ridgepoint run` with `kind: nas` (issue 12), one CASE per CTest.
# Tiny budgets (a few samples, a few hundred training images): these check the plumbing, not the search quality.
set -euo pipefail
R=$1 CASE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's interpreter, which has h5py
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"

source "$HERE/../experiments/tiny_nas.sh"
experiment() {  # experiment NAME SAMPLES IMAGES
  tiny_nas_yaml "$1.yaml" "$2" "{method: proxy, train_images: $3, epochs: 1, seed: 1, test_images: 500}"
}

# use_idx YAML: the experiment trains on the generated IDX set of tests/experiments/idx_set.py (40 training, 20
# validation, 20 test images of 16 x 16 x 3, 12 classes), written here; with Fashion-MNIST each training scores
# 10,000 validation images, which the cases that compare runs (not accuracies) do not need.
use_idx() {
  [ -f train-images.idx ] || $PY "$HERE/../experiments/idx_set.py" make
  sed -i -e 's/train_images: [0-9]*/train_images: 40/' -e 's/test_images: [0-9]*/test_images: 20/' "$1"
  cat >>"$1" <<YAML
dataset: {format: idx, train: train-images.idx, train_labels: train-labels.idx, test: test-images.idx,
          test_labels: test-labels.idx, validation: 20}
YAML
}

# The /samples tables of two outputs are identical (every column, every row).
same_table() {
  $PY - "$1" "$2" <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(f)["samples"][:] for f in sys.argv[1:3])
assert a.dtype.names == b.dtype.names, (a.dtype.names, b.dtype.names)
for c in a.dtype.names:
    assert np.array_equal(a[c], b[c]), (c, a[c], b[c])
print("tables equal:", len(a), "rows")
PY
}

case $CASE in
  end-to-end)
    experiment e 4 1000
    # The test split is never read during the search: a run stopped half way has journaled rows with only the search's
    # columns and has scored nothing on the test split; the finished run scores the winner once, after its last sample.
    "$R" run e.yaml --max-points 2 2>log1 || { cat log1; exit 1; }
    ! grep -q "test split" log1 || { echo "the test split was scored during the search"; cat log1; exit 1; }
    $PY - <<'PY'
import json
rows = [json.loads(l) for l in open("e.h5.progress.jsonl") if l.strip().startswith("{")]
rows = [r for r in rows if "step" in r]
assert len(rows) == 2, rows
for r in rows:
    assert not any("test" in k for k in r), r  # the journal holds no test figure
PY
    "$R" run e.yaml 2>log || { cat log; exit 1; }
    [ "$(grep -c "on the test split" log)" = 1 ] || { echo "the winner is not scored once"; cat log; exit 1; }
    [ "$(grep -n "on the test split" log | cut -d: -f1)" -gt "$(grep -n "\[4/4\]" log | cut -d: -f1)" ] ||
      { echo "the test split was scored before the search ended"; cat log; exit 1; }
    grep -q "\[4/4\] .*samples/min, ETA" log || { echo "no progress lines"; cat log; exit 1; }
    # Complete (issue 26): nothing beside the output but its directory of side files (no journal, lock, temporary).
    left=$(ls -A | grep -v -x -e e.yaml -e log -e log1 -e e.h5 -e e.files || true)
    [ -z "$left" ] || { echo "left beside the complete output: $left"; exit 1; }
    [ -f e.files/best1.yaml ] || { echo "no best-architecture YAML"; ls; exit 1; }
    "$R" info e.files/best1.yaml >/dev/null
    "$R" simulate e.files/best1.yaml --accel tpuv3 --batch 128 --json >sim.json
    $PY - <<'PY'
import h5py, json, numpy as np
f = h5py.File("e.h5")
s = f["samples"][:]
assert len(s) == 4 and list(s["step"]) == [0, 1, 2, 3]
for c in ("step", "arch", "latency_ms", "accuracy", "reward", "macs", "params", "feasible"):
    assert c in s.dtype.names, c
for a in ("experiment", "accelerator_config", "space", "reward"):
    assert a in f.attrs, a
assert "kind: nas" in f.attrs["experiment"] and "matrix_unit" in f.attrs["accelerator_config"]
ok = s[s["feasible"] == 1]
assert len(ok) > 0 and (ok["latency_ms"] > 0).all() and ((ok["accuracy"] > 0) & (ok["accuracy"] <= 1)).all()
# reward = ACC * (LAT / 9)^-0.07 (soft, both sides)
assert np.allclose(ok["reward"], ok["accuracy"] * (ok["latency_ms"] / 9.0) ** -0.07, rtol=1e-12)
# The best YAML is the best-reward row; simulating it gives that row's latency (to the picosecond JSON prints).
best = ok[np.argmax(ok["reward"])]
text = open("e.files/best1.yaml").read()
assert "# arch: " + best["arch"].decode() in text
sim = json.load(open("sim.json"))
assert abs(sim["latency_ms"] - best["latency_ms"]) < 1e-9, (sim["latency_ms"], best["latency_ms"])
assert len(f["references"][:]) >= 2
# The winner, scored once on the 10K test images after the search: the best-reward row, its search rating kept apart.
w = f["winners"][:]
assert len(w) == 1 and w["step"][0] == best["step"] and w["arch"][0] == best["arch"], (w, best)
assert w["val_accuracy"][0] == best["accuracy"]
t = w["test_accuracy"][0]
assert 0 < t <= 1 and abs(t * 500 - round(t * 500)) < 1e-9, t  # a count of the 500 test images scored
assert b"500 of the 10000 test images of the data set (fashion-mnist)" in w["test_note"][0], w["test_note"]
assert ("# test split: top-1 %.2f%%" % (100 * t)) in text
assert f.attrs["reward_control"] == "none"
print("best", best["arch"].decode(), best["latency_ms"], sim["latency_ms"], "test", t)
PY
    $PY "$HERE/../../experiments/nas/plot_nas.py" e.h5 e.png
    [ "$(head -c 8 e.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || { echo "e.png is not a PNG"; exit 1; }
    ;;
  infeasible)
    # An accelerator on which no candidate fits (0.01 MiB of vector memory): every sample is recorded as infeasible
    # with its reason and reward 0, nothing is trained, and no best-architecture file is written.
    experiment i 3 1000
    sed -i 's/^set: {}/set: {vector_memory.capacity_mib: 0.01}/' i.yaml
    "$R" run i.yaml 2>log || { cat log; exit 1; }
    grep -q "(0 trained now, 0 resumed, 0 repeats reused, 3 infeasible)" log || { cat log; exit 1; }
    [ ! -e i.files/best1.yaml ] || { echo "best YAML written for infeasible samples"; exit 1; }
    $PY - <<'PY'
import h5py
s = h5py.File("i.h5")["samples"][:]
assert len(s) == 3 and (s["feasible"] == 0).all() and (s["reward"] == 0).all() and (s["accuracy"] == 0).all()
assert all(b"does not fit" in r for r in s["reason"]), s["reason"]
PY
    ;;
  mpi-identical)
    # rank 0 searches, ranks 1-2 train: the same table as a serial run.
    experiment m 4 300
    use_idx m.yaml
    sed 's/output: m.h5/output: s.h5/' m.yaml >s.yaml
    "$R" run s.yaml 2>/dev/null
    mpirun --allow-run-as-root --oversubscribe -np 3 "$R" run m.yaml 2>log || { cat log; exit 1; }
    same_table s.h5 m.h5
    ;;
  round8-jobs8)
    # search.round: 8 proposes 8 candidates per controller round, so --jobs 8 trains 8 at once (the pool is handed
    # the whole round); the table equals a serial run's, every column of every row. On the generated IDX set
    # (use_idx) and one LibTorch thread per training: with 2 threads, 8 jobs ran 16 threads on CI's 2 cores (the
    # serial run alone took 20 s against 2.4 s under load).
    experiment j 8 40
    sed -i -e 's/^search: {\(.*\)}$/search: {\1, round: 8}/' -e 's/^accuracy: {\(.*\)}$/accuracy: {\1, threads: 1}/' j.yaml
    use_idx j.yaml
    grep -q "round: 8}" j.yaml && grep -q "threads: 1}" j.yaml || { cat j.yaml; exit 1; }
    sed 's/output: j.h5/output: s.h5/' j.yaml >s.yaml
    "$R" run s.yaml 2>/dev/null
    "$R" run j.yaml --jobs 8 2>log || { cat log; exit 1; }
    grep -q "\[8/8\]" log || { cat log; exit 1; }
    same_table s.h5 j.h5
    $PY - <<'PY'
import h5py
e = h5py.File("j.h5").attrs["experiment"]
e = e.decode() if isinstance(e, bytes) else e
assert "round: 8" in e and "threads: 1" in e, e
PY
    # The thread count is in the run's identity (results are reproducible for a seed and a thread count): the
    # complete output is another run's for threads: 2, refused before any training.
    sed -i 's/threads: 1}/threads: 2}/' j.yaml
    rc=0; "$R" run j.yaml >out 2>err || rc=$?
    [ $rc = 2 ] && grep -q "complete results of another run" err || { echo "threads 2: rc $rc"; cat err; exit 1; }
    ;;
  *) echo "unknown case $CASE"; exit 2 ;;
esac
