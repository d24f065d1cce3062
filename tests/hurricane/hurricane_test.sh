#!/usr/bin/env bash
# hurricane_test.sh RIDGEPOINT CASE: end-to-end tests of `ridgepoint run` with `kind: hurricane` (issue 13), one CASE
# per CTest. Tiny budgets (4 layers, a few hundred training images, populations of 4): they check the plumbing and
# the contracts, not the search quality (docs/hurricane.md has the real runs). A run writes its output (x.h5), its
# journal (x.h5.progress.jsonl) and its directory x.files/ (winner.yaml, the supernet's stageN.ckpt and
# stageN.weights), nothing else.
set -euo pipefail
R=$1 CASE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's interpreter, which has h5py
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"

experiment() {  # experiment NAME [RETRAIN] [TRAIN_IMAGES]
  cat >"$1.yaml" <<YAML
kind: hurricane
accelerator: v100
latency_constraint_ms: 16
space: {layers: 4, p: 2, alpha: 0.5, exploring_layers: 1}
supernet: {train_images: ${3:-400}, epochs: 1, seed: 1, val_images: 100, bn_images: 100, stage2_fraction: 0.25}
search: {population: 4, generations: 2, t: 2, seed: 1}
${2:-}
output: $1.h5
YAML
}

# The result tables of two outputs are identical (every dataset, column and row).
same_tables() {
  $PY - "$1" "$2" <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(f) for f in sys.argv[1:3])
assert sorted(a.keys()) == sorted(b.keys()), (list(a.keys()), list(b.keys()))
for k in a.keys():
    x, y = a[k][:], b[k][:]
    assert x.dtype == y.dtype, k
    for c in x.dtype.names:
        assert np.array_equal(x[c], y[c], equal_nan=x[c].dtype.kind == "f"), (k, c, x[c], y[c])
print("tables equal:", {k: len(a[k]) for k in a.keys()})
PY
}

# The network part of two winner YAMLs (all but the comments, which name the experiment file) is identical.
same_winner() {
  cmp <(grep -v '^#' "$1") <(grep -v '^#' "$2") || { echo "winner networks differ: $1 $2"; exit 1; }
}

# check_journal FILE: a header, then fitness records {stage, arch, fitness}, none twice, and checkpoint records
# {stage, images}; prints the number of fitness records.
check_journal() {
  $PY - "$1" <<'PY'
import json, sys
recs = [json.loads(line) for line in open(sys.argv[1]).read().splitlines()[1:]]
fit = [r for r in recs if sorted(r) == ["arch", "fitness", "stage"]]
assert all(sorted(r) == ["images", "stage"] for r in recs if r not in fit), recs
keys = [(r["stage"], r["arch"]) for r in fit]
assert len(keys) == len(set(keys)), "a candidate journaled twice"
print(len(fit))
PY
}

ms_now() { date +%s%3N; }

# wait_for FILE PATTERN: until FILE has a line matching PATTERN (60 s at most).
wait_for() {
  for _ in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1"; cat "$1"; exit 1
}

# stops_within PID SIGNAL RC: sends SIGNAL to PID and checks it exits with RC within 4 s (the stage it interrupts
# trains 4000 images, about 30 s: a run that finished its stage or batch of candidates first would take far longer;
# 1.5 s failed once at 1,521 ms on the loaded 2-core machine).
stops_within() {
  local t0 t rc=0
  t0=$(ms_now)
  kill -"$2" "$1"
  wait "$1" || rc=$?
  t=$(( $(ms_now) - t0 ))
  [ "$rc" = "$3" ] || { echo "SIG$2: exit $rc, expected $3"; exit 1; }
  [ "$t" -le 4000 ] || { echo "SIG$2: stopped after $t ms"; exit 1; }
  echo "SIG$2: exit $rc after $t ms"
}

case $CASE in
  end-to-end)
    experiment e "retrain: {train_images: 400, epochs: 1}"
    # --keep-journal: the journal is checked against the tables below (a complete run removes it by default).
    "$R" run e.yaml --keep-journal 2>log || { cat log; exit 1; }
    grep -q "stage 1 supernet: .* images/s, ETA" log || { echo "no training progress"; cat log; exit 1; }
    grep -q "stage 2 search: generation [12]/2, .*candidates/min, ETA" log \
      || { echo "no search progress"; cat log; exit 1; }
    grep -q "wrote e.h5, e.files/winner.yaml" log || { echo "no closing line"; cat log; exit 1; }
    grep -q "stage 2 guard: a_win1 top-1 .* with stage 1's weights, .* fine-tuned: " log \
      || { echo "no guard line"; cat log; exit 1; }
    for f in winner.yaml stage1.ckpt stage1.weights stage2.ckpt stage2.weights stage102.weights; do
      [ -f "e.files/$f" ] || { echo "no e.files/$f"; ls -R; exit 1; }
    done
    left=$(ls | grep -v -x -e e.yaml -e log -e e.h5 -e e.h5.progress.jsonl -e e.files || true)
    [ -z "$left" ] || { echo "written beside the output: $left"; exit 1; }
    check_journal e.h5.progress.jsonl >/dev/null
    "$R" simulate e.files/winner.yaml --accel v100 --batch 128 --json >sim.json
    $PY - <<'PY'
import h5py, json, math, numpy as np
f = h5py.File("e.h5")
assert f.attrs["tool_version"] and "Fashion-MNIST" in f.attrs["accuracy_budget"]
assert f.attrs["accuracy_source"] == "proxy" and f.attrs["accuracy_table_misses"] == 0
assert f.attrs["kind"] == "hurricane" and f.attrs["winner_yaml"] == "e.files/winner.yaml"
assert f.attrs["stage1_active_layers"] == "0011" and f.attrs["stage2_active_layers"] == "1100"
# Stage 1: 400 images; stage 2: 0.25 x 400 = 100, rounded up to whole batches of 64 = 128.
assert f.attrs["stage1_train_images"] == 400 and f.attrs["stage2_train_images"] == 128
sp = f["space"][:]
assert len(sp) == 4 * 32, len(sp)  # every op of the pool benchmarked at every learnable layer
for layer in range(4):
    rows = sp[sp["layer"] == layer]
    assert list(rows["rank"]) == list(range(32))
    assert (np.diff(rows["score"]) <= 0).all()                  # ranked by descending score
    kept = rows[rows["kept"] == 1]
    assert list(kept["rank"][:2]) == [0, 1]                      # the top p = 2 ...
    assert len(kept) == (3 if layer == 3 else 2), (layer, len(kept))  # ... + 1 exploring op on the last layer
    assert (kept["exploring"] == 1).sum() == (1 if layer == 3 else 0)
res = f["result"][:]
assert [x.decode() for x in res["label"]] == ["a_win0", "a_win1", "a_win2"]
s1, s2 = f["stage1"][:], f["stage2"][:]
for st in (s1, s2):
    ok = st[st["feasible"] == 1]
    assert len(ok) > 0 and (ok["latency_ms"] <= 16).all()
    assert ((ok["supernet_accuracy"] > 0) & (ok["supernet_accuracy"] <= 1)).all()
    assert np.isnan(st[st["feasible"] == 0]["supernet_accuracy"]).all()
a0 = res["arch"][0].decode().split(",")
w1 = res["arch"][1].decode().split(",")
# Stage 1 searched layers 2, 3 with 0, 1 frozen to a_win0; stage 2 searched 0, 1 with 2, 3 frozen to a_win1.
for a in s1["arch"]:
    assert a.decode().split(",")[:2] == a0[:2], a
for a in s2["arch"]:
    assert a.decode().split(",")[2:] == w1[2:], a
# The journal holds each scored candidate's fitness as the tables show it, a_win0's (stage 0), the winner's
# retrained accuracies (stages 100, 101), a_win1's with the fine-tuned weights before stage 2's guard (stage 102),
# and the two stages' checkpoints (at the end of their training).
lines = [json.loads(line) for line in open("e.h5.progress.jsonl").read().splitlines()[1:]]
assert [r for r in lines if "images" in r] == [{"stage": 1, "images": 400}, {"stage": 2, "images": 128}], lines
recs = {(r["stage"], r["arch"]): r["fitness"] for r in lines if "arch" in r}
for n, st in ((1, s1), (2, s2)):
    for row in st[st["feasible"] == 1]:
        assert recs[(n, row["arch_index"].decode())] == row["supernet_accuracy"]
assert len(recs) == (s1["feasible"] == 1).sum() + (s2["feasible"] == 1).sum() + 4
# Stage 2's guard (docs/hurricane.md): stage 2 starts from a_win1 (its first row); when the fine-tuning lowered
# a_win1 its first t layers' ops got stage 1's weights back, so it scores its stage-1 fitness exactly; otherwise the
# fine-tuned weights stay and it scores what the guard saw. Either way a_win1, and a_win2, lose nothing in stage 2.
w1_before = res[1]["supernet_accuracy"]
w1_index = s1[s1["arch"] == res["arch"][1]]["arch_index"][0].decode()
tuned = f.attrs["stage2_win1_fine_tuned"]
assert tuned == recs[(102, w1_index)], (tuned, recs)
assert s2["arch"][0] == res["arch"][1]
restored = f.attrs["stage2_win1_restored"]
assert restored == (1 if tuned < w1_before else 0), (restored, tuned, w1_before)
assert s2["supernet_accuracy"][0] == (w1_before if restored else tuned), (s2[0], w1_before, tuned)
assert s2["supernet_accuracy"][0] >= w1_before and res[2]["supernet_accuracy"] >= w1_before
print("a_win1", w1_before, "fine-tuned", tuned, "restored", restored, "a_win2", res[2]["supernet_accuracy"])
win = res[-1]
assert recs[(0, "0,0,0,0")] == res[0]["supernet_accuracy"]
retrained = [v for (s, a), v in recs.items() if s in (100, 101)]
assert retrained == [win["retrain_val_accuracy"], win["retrain_test_accuracy"]], retrained
assert win["latency_ms"] <= 16 and 0 < win["retrain_val_accuracy"] <= 1 and 0 < win["retrain_test_accuracy"] <= 1
assert win["retrain_note"] == b"" and (res["accuracy_source"] == b"proxy").all()
assert all(n == b"not retrained (the proxy retrains the winner only)" for n in res["retrain_note"][:-1]), res
sim = json.load(open("sim.json"))
assert abs(sim["latency_ms"] - win["latency_ms"]) < 1e-9, (sim["latency_ms"], win["latency_ms"])
print("winner", win["arch"].decode(), win["latency_ms"], win["supernet_accuracy"], win["retrain_val_accuracy"])
# The retraining's data set is Fashion-MNIST: its normalization is stated as NAS and LACS state theirs, the mean and
# population std of x / 255 over the training split (the first 50000 of the 60000 training images; the last 10000
# are the validation split), computed here by numpy from the IDX file, not by Ridgepoint.
import gzip
assert f.attrs["retrain_dataset"] == "fashion-mnist", f.attrs["retrain_dataset"]
with gzip.open("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") as g:
    pool = np.frombuffer(g.read(), np.uint8)[16:].reshape(60000, 28 * 28)[:50000] / 255.0
for key, want in (("retrain_dataset_mean", pool.mean()), ("retrain_dataset_std", pool.std())):
    got = [float(x) for x in f.attrs[key].split(",")]
    assert len(got) == 1 and abs(got[0] - want) < 1e-6, (key, f.attrs[key], want)
print("retrain normalization", f.attrs["retrain_dataset_mean"], f.attrs["retrain_dataset_std"])
PY
    ;;
  retrain-dataset)
    # retrain.dataset: the winner retrained on another data set than the supernet's Fashion-MNIST, with NAS's keys
    # (tests/experiments/idx_set.py: 16 x 16 x 3 images, 12 classes; a retrained winner shows the proxy takes them).
    $PY "$HERE/../experiments/idx_set.py" make
    experiment d "retrain: {train_images: 40, dataset: {format: idx, validation: 20, train: train-images.idx,
  train_labels: train-labels.idx, test: test-images.idx, test_labels: test-labels.idx}}"
    "$R" run d.yaml 2>log || { cat log; exit 1; }
    $PY "$HERE/../experiments/idx_set.py" check d.h5 retrain_
    $PY - <<'PY'
import h5py, numpy as np
win = h5py.File("d.h5")["result"][-1]
# Scored on the whole 20-image validation split and the 20 test images: multiples of 1 / 20.
for k in ("retrain_val_accuracy", "retrain_test_accuracy"):
    assert 0 <= win[k] <= 1 and abs(win[k] * 20 - round(win[k] * 20)) < 1e-9, (k, win[k])
print("retrained on idx:", win["retrain_val_accuracy"], win["retrain_test_accuracy"])
# The budget names each training's data: the supernet's Fashion-MNIST, the retraining's 40 images of the IDX set.
b = h5py.File("d.h5").attrs["accuracy_budget"]
b = b.decode() if isinstance(b, bytes) else b
assert "Fashion-MNIST images" in b.split("; retrain:")[0] and "40 idx images x 1 epochs" in b, b
PY
    # The data files are in the run's identity: one changed pixel makes the complete output another run's.
    $PY -c "b = bytearray(open('train-images.idx','rb').read()); b[-1] ^= 1; open('train-images.idx','wb').write(b)"
    rc=0; "$R" run d.yaml >out 2>err || rc=$?
    [ $rc = 2 ] && grep -q "complete results of another run" err || { echo "rc $rc"; cat err; exit 1; }
    ;;
  resume-after-kill)
    # Killed (SIGKILL) once the search has scored a few candidates; the rerun scores only the rest, and its tables
    # equal an uninterrupted run's, which runs with --jobs 2 (so they depend on neither kills nor the job count).
    experiment k
    sed 's/output: k.h5/output: ref.h5/' k.yaml >ref.yaml
    "$R" run k.yaml 2>/dev/null & pid=$!
    for _ in $(seq 1200); do
      [ "$(check_journal k.h5.progress.jsonl 2>/dev/null || echo 0)" -ge 2 ] && break
      sleep 0.1
    done
    kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
    [ ! -e k.h5 ] || { echo "a killed search left an output file"; exit 1; }
    [ -f k.files/stage1.ckpt ] || { echo "no stage 1 checkpoint in k.files/"; ls -R; exit 1; }
    before=$(check_journal k.h5.progress.jsonl)
    "$R" run k.yaml --keep-journal 2>log || { cat log; exit 1; }
    grep -q "stage 1 supernet trained: 400 images (400 resumed)" log || { echo "stage 1 retrained"; cat log; exit 1; }
    after=$(check_journal k.h5.progress.jsonl)
    "$R" run ref.yaml --jobs 2 --keep-journal 2>log.ref || { cat log.ref; exit 1; }
    refn=$(check_journal ref.h5.progress.jsonl)
    [ "$after" = "$refn" ] \
      || { echo "journal: $after records after resume ($before before the kill), $refn uninterrupted"; exit 1; }
    same_tables ref.h5 k.h5
    cmp k.files/winner.yaml \
      <(sed 's/ref.yaml/k.yaml/; s#ref.files/winner.yaml#k.files/winner.yaml#' ref.files/winner.yaml)
    ;;
  interrupt)
    # SIGTERM while the supernet trains, SIGINT while the search scores: each run stops within 4 s with exit 143
    # or 130 and no output; the third run resumes (stage 1 not trained again) and finishes.
    experiment i "" 4000
    "$R" run i.yaml 2>log & pid=$!
    wait_for log "stage 1 supernet: "
    stops_within $pid TERM 143
    # Nothing was journaled (the first checkpoint comes at 5000 images): no journal or directory is left.
    left=$(ls | grep -v -x -e i.yaml -e log || true)
    [ -z "$left" ] || { echo "left behind by a run that did nothing: $left"; exit 1; }
    "$R" run i.yaml 2>log2 & pid=$!
    for _ in $(seq 1200); do
      [ "$(check_journal i.h5.progress.jsonl 2>/dev/null || echo 0)" -ge 1 ] && break
      sleep 0.1
    done
    stops_within $pid INT 130
    [ ! -e i.h5 ] || { echo "an interrupted run left an output file"; exit 1; }
    grep -qx '{"images":4000,"stage":1}' i.h5.progress.jsonl || { echo "stage 1 checkpoint not journaled"; exit 1; }
    "$R" run i.yaml 2>log3 || { cat log3; exit 1; }
    # One pass over the 4000 training images (its last batch is 4000 - 62 x 64 = 32 images).
    grep -q "stage 1 supernet trained: 4000 images (4000 resumed)" log3 \
      || { echo "stage 1 trained again"; cat log3; exit 1; }
    # Complete: its journal and lock are gone (the output holds the results; a rerun compares its identity).
    [ ! -e i.h5.progress.jsonl ] && [ ! -e i.h5.lock ] || { echo "left beside the complete output:"; ls; exit 1; }
    ;;
  mpi-identical)
    # Serial, --jobs 2 and mpirun -np 2 (rank 0 searches, rank 1 scores candidates): the same tables and winner.
    experiment m
    sed 's/output: m.h5/output: s.h5/' m.yaml >s.yaml
    sed 's/output: m.h5/output: j.h5/' m.yaml >j.yaml
    "$R" run s.yaml 2>/dev/null
    "$R" run j.yaml --jobs 2 2>/dev/null
    mpirun --allow-run-as-root --oversubscribe -np 2 "$R" run m.yaml 2>log || { cat log; exit 1; }
    same_tables s.h5 j.h5
    same_tables s.h5 m.h5
    same_winner s.files/winner.yaml j.files/winner.yaml
    same_winner s.files/winner.yaml m.files/winner.yaml
    ;;
  unmeetable)
    # A constraint below the fastest architecture of the space: one line naming the key, exit 2, before any
    # training, and nothing left beside the output (no journal, no directory).
    experiment u
    sed -i 's/latency_constraint_ms: 16/latency_constraint_ms: 0.5/' u.yaml
    set +e; "$R" run u.yaml 2>err; rc=$?; set -e
    [ "$rc" = 2 ] || { echo "exit $rc"; cat err; exit 1; }
    [ "$(wc -l <err)" = 1 ] || { echo "stderr is not one line"; cat err; exit 1; }
    grep -q "u.yaml:3: key 'latency_constraint_ms': 0.5 ms is below the fastest architecture of the generated space" \
      err || { cat err; exit 1; }
    left=$(ls | grep -v -x -e u.yaml -e err || true)
    [ -z "$left" ] || { echo "left behind: $left"; exit 1; }
    ;;
  *) echo "unknown case $CASE"; exit 2 ;;
esac
