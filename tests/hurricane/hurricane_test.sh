#!/usr/bin/env bash
# hurricane_test.sh RIDGEPOINT CASE: end-to-end tests of `ridgepoint run` with `kind: hurricane` (issue 13), one CASE
# per CTest. Tiny budgets (4 layers, a few hundred training images, populations of 4): they check the plumbing and
# the contracts, not the search quality (docs/hurricane.md has the real runs).
set -euo pipefail
R=$1 CASE=$2
PY=/usr/bin/python3   # Debian's interpreter, which has h5py
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"

experiment() {  # experiment NAME [RETRAIN]
  cat >"$1.yaml" <<YAML
kind: hurricane
accelerator: v100
latency_constraint_ms: 16
space: {layers: 4, p: 2, alpha: 0.5, exploring_layers: 1}
supernet: {train_images: 400, epochs: 1, seed: 1, val_images: 100, bn_images: 100, stage2_fraction: 0.25}
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

case $CASE in
  end-to-end)
    experiment e "retrain: {train_images: 400, epochs: 1}"
    "$R" run e.yaml 2>log || { cat log; exit 1; }
    grep -q "stage 1 supernet: .* images/s, ETA" log || { echo "no training progress"; cat log; exit 1; }
    grep -q "stage 2 search: generation [12]/2, .*candidates/min, ETA" log || { echo "no search progress"; cat log; exit 1; }
    [ -f e.winner.yaml ] || { echo "no winner YAML"; ls; exit 1; }
    "$R" simulate e.winner.yaml --accel v100 --batch 128 --json >sim.json
    $PY - <<'PY'
import h5py, json, math, numpy as np
f = h5py.File("e.h5")
assert f.attrs["tool_version"] and "Fashion-MNIST" in f.attrs["accuracy_source"]
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
win = res[-1]
assert win["latency_ms"] <= 16 and 0 < win["retrain_val_accuracy"] <= 1 and 0 < win["retrain_test_accuracy"] <= 1
sim = json.load(open("sim.json"))
assert abs(sim["latency_ms"] - win["latency_ms"]) < 1e-9, (sim["latency_ms"], win["latency_ms"])
print("winner", win["arch"].decode(), win["latency_ms"], win["supernet_accuracy"], win["retrain_val_accuracy"])
PY
    ;;
  resume-after-kill)
    # Killed (SIGKILL) once the search has scored a few candidates; the rerun scores only the rest, and its tables
    # equal an uninterrupted run's, which runs with --jobs 2 (so they depend on neither kills nor the job count).
    experiment k
    sed 's/output: k.h5/output: ref.h5/' k.yaml >ref.yaml
    "$R" run k.yaml 2>/dev/null & pid=$!
    for _ in $(seq 1200); do
      [ -f k.h5.progress.jsonl ] && [ "$(wc -l <k.h5.progress.jsonl)" -ge 3 ] && break
      sleep 0.1
    done
    kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
    [ ! -e k.h5 ] || { echo "a killed search left an output file"; exit 1; }
    before=$(( $(wc -l <k.h5.progress.jsonl) - 1 ))
    "$R" run k.yaml 2>log || { cat log; exit 1; }
    grep -q "stage 1 supernet trained: 400 images (400 resumed)" log || { echo "stage 1 retrained"; cat log; exit 1; }
    after=$(( $(wc -l <k.h5.progress.jsonl) - 1 ))
    $PY - k.h5.progress.jsonl <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()[1:]]
keys = [(r["stage"], r["arch"]) for r in recs]
assert len(keys) == len(set(keys)), "a candidate journaled twice"
PY
    "$R" run ref.yaml --jobs 2 2>log.ref || { cat log.ref; exit 1; }
    refn=$(( $(wc -l <ref.h5.progress.jsonl) - 1 ))
    [ "$after" = "$refn" ] || { echo "journal: $after records after resume ($before before the kill), $refn uninterrupted"; exit 1; }
    same_tables ref.h5 k.h5
    cmp k.winner.yaml <(sed 's/ref.yaml/k.yaml/; s/ref.winner.yaml/k.winner.yaml/' ref.winner.yaml)
    ;;
  mpi-identical)
    # rank 0 searches, rank 1 scores candidates: the same tables and winner as a serial run.
    experiment m
    sed 's/output: m.h5/output: s.h5/' m.yaml >s.yaml
    "$R" run s.yaml 2>/dev/null
    mpirun --allow-run-as-root --oversubscribe -np 2 "$R" run m.yaml 2>log || { cat log; exit 1; }
    same_tables s.h5 m.h5
    ;;
  unmeetable)
    # A constraint below the fastest architecture of the space: one line, exit 2, before any training, and
    # nothing left beside the output.
    experiment u
    sed -i 's/latency_constraint_ms: 16/latency_constraint_ms: 0.5/' u.yaml
    set +e; "$R" run u.yaml 2>err; rc=$?; set -e
    [ "$rc" = 2 ] || { echo "exit $rc"; cat err; exit 1; }
    [ "$(wc -l <err)" = 1 ] || { echo "stderr is not one line"; cat err; exit 1; }
    grep -q "latency_constraint_ms: 0.5 ms is below the fastest architecture of the generated space on v100" err \
      || { cat err; exit 1; }
    left=$(ls | grep -v -e '^u.yaml$' -e '^err$' || true)
    [ -z "$left" ] || { echo "left behind: $left"; exit 1; }
    ;;
  *) echo "unknown case $CASE"; exit 2 ;;
esac
