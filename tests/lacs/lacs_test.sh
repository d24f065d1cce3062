#!/usr/bin/env bash
# lacs_test.sh RIDGEPOINT CASE: end-to-end tests of `ridgepoint run` with `kind: lacs` (issues 14 and 21), one CASE
# per CTest. Small grids at batch 8 (a few seconds): these check the plumbing; tests/lacs/*_test.cpp check the search.
# The family YAMLs of OUTPUT.h5 are in the run's directory OUTPUT.files/ (experiments/run/side_files.h).
set -euo pipefail
R=$1 CASE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's interpreter, which has h5py and matplotlib
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"

experiment() {  # experiment NAME OBJECTIVE
  cat >"$1.yaml" <<YAML
kind: lacs
base: efficientnet-b0
accelerator: tpuv3
batch: 8
objective: $2
grid: {alpha: [1.0, 1.2, 0.1], beta: [1.0, 1.2, 0.1], gamma: [1.0, 1.2, 0.1]}
refine: {top: 1, divisions: 2}
phi: 3
accuracy: {method: surrogate}
output: $1.h5
YAML
}

# proxy_experiment NAME TRAIN_IMAGES: `experiment` with two grid points (gamma 1.0, 1.2), no refinement, a phi 0..1
# family and proxy accuracy.
proxy_experiment() {
  experiment "$1" latency-aware
  sed -i -e 's/^grid: .*/grid: {alpha: [1.0, 1.0, 0.1], beta: [1.0, 1.0, 0.1], gamma: [1.0, 1.2, 0.2]}/' \
    -e 's/^refine: .*/refine: false/' -e 's/^phi: .*/phi: 1/' \
    -e "s/^accuracy: .*/accuracy: {method: proxy, train_images: $2, epochs: 1, seed: 1}/" "$1.yaml"
}

# The /grid and /family tables of two outputs are identical (every column but the YAML paths, every row).
same_tables() {
  $PY - "$1" "$2" <<'PY'
import sys, h5py, numpy as np
fa, fb = (h5py.File(f) for f in sys.argv[1:3])
for t in ("grid", "family"):
    a, b = fa[t][:], fb[t][:]
    assert a.dtype.names == b.dtype.names, (a.dtype.names, b.dtype.names)
    for c in a.dtype.names:
        if c == "yaml":
            continue
        assert np.array_equal(a[c], b[c], equal_nan=a[c].dtype.kind == "f"), (t, c, a[c], b[c])
    print(t, "equal:", len(a), "rows")
PY
}

case $CASE in
  end-to-end)
    experiment e latency-aware
    "$R" run e.yaml 2>log || { cat log; exit 1; }
    grep -q "progress: .*points/s, ETA" log || { echo "no progress lines"; cat log; exit 1; }
    # Complete (issue 26): nothing beside the output but its directory of side files (no journal, lock, temporary).
    left=$(ls -A | grep -v -x -e e.yaml -e log -e e.h5 -e e.files || true)
    [ -z "$left" ] || { echo "left beside the complete output: $left"; exit 1; }
    grep -q "accuracy: surrogate" log || { echo "the log does not say which accuracy signal was used"; cat log; exit 1; }
    for f in lacs-phi0 lacs-phi3 accuracy-only-phi3; do
      [ -f e.files/$f.yaml ] || { echo "no e.files/$f.yaml"; ls -R; exit 1; }
    done
    ls e.*.yaml 2>/dev/null && { echo "family YAMLs beside the output"; exit 1; }
    "$R" info e.files/lacs-phi3.yaml >/dev/null
    "$R" simulate e.files/lacs-phi3.yaml --accel tpuv3 --batch 8 --json >sim.json
    $PY - <<'PY'
import h5py, json, numpy as np
f = h5py.File("e.h5")
g, fam = f["grid"][:], f["family"][:]
for c in ("alpha", "beta", "gamma", "accuracy", "latency_ms", "reward"):
    assert c in g.dtype.names, c
for c in ("phi", "depth", "width", "resolution", "layers", "params", "macs", "latency_ms", "accuracy", "family",
          "extrapolated"):
    assert c in fam.dtype.names, c
for a in ("experiment", "accelerator_config", "objective", "accuracy_method", "surrogate", "target_latency_ms"):
    assert a in f.attrs, a
assert "kind: lacs" in f.attrs["experiment_yaml"] and "matrix_unit" in f.attrs["accelerator_config"]
assert f.attrs["accuracy_method"].startswith("surrogate")
# The surrogate attribute lists its fit rows with their sources (lacs/surrogate.yaml).
assert "rows:" in f.attrs["surrogate"] and "source: 'EfficientNet (Tan & Le" in f.attrs["surrogate"]
assert len(g) >= 27 and (g["stage"][:27] == 0).all() and (g["stage"][27:] == 1).all()
# reward = ACC x (LAT/T)^w with the default hard constraint: w = 0 below T, -1 above.
T = f.attrs["target_latency_ms"]
assert abs(T - 2 * f.attrs["base_latency_ms"]) < 1e-9
ok = g[g["feasible"] == 1]
w = np.where(ok["latency_ms"] <= T, 0.0, -1.0)
assert np.allclose(ok["reward"], ok["accuracy"] * (ok["latency_ms"] / T) ** w, rtol=1e-12)
best = ok[np.argmax(ok["reward"])]
assert (f.attrs["alpha"], f.attrs["beta"], f.attrs["gamma"]) == (best["alpha"], best["beta"], best["gamma"])
# Two families of phi 0..3, each monotone in latency and MACs; phi 0 is the base (16 blocks at 224).
for name in (b"lacs", b"accuracy-only"):
    m = fam[fam["family"] == name]
    assert list(m["phi"]) == [0, 1, 2, 3], m["phi"]
    assert (np.diff(m["latency_ms"]) > 0).all() and (np.diff(m["macs"]) > 0).all(), m
    assert m["layers"][0] == 16 and m["resolution"][0] == 224
# The YAML simulates to the family row's latency; the row names the file.
sim = json.load(open("sim.json"))
row = fam[(fam["family"] == b"lacs") & (fam["phi"] == 3)][0]
assert row["yaml"] in (b"e.files/lacs-phi3.yaml", "e.files/lacs-phi3.yaml"), row["yaml"]
assert abs(sim["latency_ms"] - row["latency_ms"]) < 1e-9, (sim["latency_ms"], row["latency_ms"])
print("best", best["alpha"], best["beta"], best["gamma"], "family phi3", row["latency_ms"], row["accuracy"])
PY
    $PY "$HERE/../../experiments/lacs/plot_lacs.py" e.h5 e.png
    [ "$(head -c 8 e.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || { echo "e.png is not a PNG"; exit 1; }
    grep -q "<svg" e.svg || { echo "no SVG"; exit 1; }
    ;;
  resume)
    # Stopped after 10 points (as a kill would leave it, minus a torn line); the rerun evaluates only the rest,
    # and its tables equal an uninterrupted run's, which runs with --jobs 2 (so they do not depend on the job count).
    experiment k accuracy-only
    sed 's/output: k.h5/output: ref.h5/' k.yaml >ref.yaml
    "$R" run k.yaml --max-points 10 2>log1 || { cat log1; exit 1; }
    grep -q "stopped with 10 points done" log1 || { cat log1; exit 1; }
    [ ! -e k.h5 ] && [ ! -e k.files ] || { echo "a stopped run left an output file or family YAMLs"; exit 1; }
    [ "$(( $(wc -l <k.h5.progress.jsonl) - 1 ))" = 10 ] || { echo "journal does not hold 10 points"; exit 1; }
    "$R" run k.yaml 2>log2 || { cat log2; exit 1; }
    grep -q "grid: 27 points, 10 from the journal, 17 to evaluate" log2 || { cat log2; exit 1; }
    [ ! -e k.h5.progress.jsonl ] || { echo "the resumed, complete run left its journal"; exit 1; }
    "$R" run ref.yaml --jobs 2 2>log.ref || { cat log.ref; exit 1; }
    same_tables ref.h5 k.h5
    ;;
  resume-after-kill)
    # Killed (SIGKILL) mid-grid; the rerun evaluates only the rest and its tables equal an uninterrupted run's.
    experiment k latency-aware
    # 31 x 5 x 5 = 775 grid points: enough that the run is still going when the journal has 8 lines (the grid runs
    # at about 2,400 points/s once evaluations are memoized and the journal's fsync batched, so a 279-point grid
    # was sometimes finished, and the kill landed in the refinement, before the poll below saw 8 lines).
    sed -i -e 's/alpha: \[1.0, 1.2, 0.1\]/alpha: [1.0, 1.3, 0.01]/' \
      -e 's/beta: \[1.0, 1.2, 0.1\]/beta: [1.0, 1.2, 0.05]/' -e 's/gamma: \[1.0, 1.2, 0.1\]/gamma: [1.0, 1.2, 0.05]/' k.yaml
    sed 's/output: k.h5/output: ref.h5/' k.yaml >ref.yaml
    "$R" run k.yaml 2>/dev/null & pid=$!
    for _ in $(seq 600); do
      [ -f k.h5.progress.jsonl ] && [ "$(wc -l <k.h5.progress.jsonl)" -ge 8 ] && break
      sleep 0.02
    done
    kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
    [ ! -e k.h5 ] || { echo "the run finished before it was killed; nothing tested"; exit 1; }
    before=$(( $(wc -l <k.h5.progress.jsonl) - 1 ))
    "$R" run k.yaml 2>log || { cat log; exit 1; }
    # The serial run journals in order: the grid's points first, then the refinement's.
    if [ "$before" -le 775 ]; then
      grep -q "grid: 775 points, $before from the journal" log || { echo "killed with $before points"; cat log; exit 1; }
    else
      grep -q "grid: 775 points, 775 from the journal" log &&
        grep -q "refinement: [0-9]* points, $((before - 775)) from the journal" log ||
        { echo "killed with $before points"; cat log; exit 1; }
    fi
    "$R" run ref.yaml 2>log.ref || { cat log.ref; exit 1; }
    same_tables ref.h5 k.h5
    ;;
  proxy)
    # accuracy: {method: proxy}: real training of the scaled proxies on Fashion-MNIST with the NAS trainer
    # (300 images, one epoch: a plumbing check, the accuracies are low). Two grid points and a phi 0..1 family.
    proxy_experiment p 300
    "$R" run p.yaml 2>log || { cat log; exit 1; }
    grep -q "accuracy: proxy (Fashion-MNIST" log || { echo "the log does not say which accuracy signal was used"; cat log; exit 1; }
    $PY - <<'PY'
import h5py, numpy as np
f = h5py.File("p.h5")
assert f.attrs["accuracy_method"].startswith("proxy"), f.attrs["accuracy_method"]
g = f["grid"][:]
assert len(g) == 2 and list(g["gamma"]) == [1.0, 1.2]
# Validation accuracy in percent of 10 classes: above chance is not guaranteed at 300 images, in range is.
assert ((g["accuracy"] > 0) & (g["accuracy"] <= 100)).all(), g["accuracy"]
# The base (gamma 1) and the phi-0 family member are the same network trained the same way: same accuracy.
fam = f["family"][:]
assert fam[fam["phi"] == 0]["accuracy"][0] == g["accuracy"][0]
print("proxy accuracies", g["accuracy"])
PY
    ;;
  dataset)
    # dataset: as NAS's (docs/nas.md "Data sets"), on the generated IDX set of tests/experiments/idx_set.py
    # (16 x 16 x 3 images, 12 classes: rated rows show the proxy takes the data's channels, side and classes).
    $PY "$HERE/../experiments/idx_set.py" make
    proxy_experiment d 40
    cat >>d.yaml <<YAML
dataset: {format: idx, train: train-images.idx, train_labels: train-labels.idx, test: test-images.idx,
          test_labels: test-labels.idx, validation: 20}
YAML
    "$R" run d.yaml 2>log || { cat log; exit 1; }
    grep -q "accuracy: proxy (idx" log || { echo "the log does not name the data set"; cat log; exit 1; }
    $PY "$HERE/../experiments/idx_set.py" check d.h5
    $PY - <<'PY'
import h5py, numpy as np
g = h5py.File("d.h5")["grid"][:]
assert len(g) == 2 and (g["status"] == b"ok").all(), g["status"]
# Scored on the whole 20-image validation split: each accuracy is a multiple of 100 / 20 = 5 percent.
assert np.allclose(g["accuracy"] / 5, np.round(g["accuracy"] / 5)), g["accuracy"]
print("idx accuracies", g["accuracy"])
b = h5py.File("d.h5").attrs["accuracy_budget"]
b = b.decode() if isinstance(b, bytes) else b
assert b.startswith("proxy: 40 idx images x 1 epochs"), b  # the data set it trained on, not Fashion-MNIST
PY
    # The data files are in the run's identity: one changed pixel makes the complete output another run's.
    $PY -c "b = bytearray(open('train-images.idx','rb').read()); b[-1] ^= 1; open('train-images.idx','wb').write(b)"
    rc=0; "$R" run d.yaml >out 2>err || rc=$?
    [ $rc = 2 ] && grep -q "complete results of another run" err || { echo "rc $rc"; cat err; exit 1; }
    ;;
  no-journal)
    # A run that fails before it evaluated a point leaves nothing behind (RunContext removes a journal that got no
    # record, and the run's directory): here the base network does not fit the accelerator's vector memory.
    experiment f latency-aware
    sed -i 's/^batch: 8/batch: 8\nset: {vector_memory.capacity_mib: 0.01}/' f.yaml
    rc=0; "$R" run f.yaml >out 2>err || rc=$?
    [ $rc = 1 ] || { echo "exit $rc, expected 1"; cat err; exit 1; }
    want="the base network efficientnet-b0 cannot run on tpuv3: layer 'stem' does not fit"
    grep -q "$want" err && [ "$(wc -l <err)" = 1 ] || { echo "expected one line: $want"; cat err; exit 1; }
    [ "$(ls -A | sort | tr '\n' ' ')" = "err f.yaml out " ] || { echo "left behind:"; ls -A; exit 1; }
    # An empty grid range is refused by the settings before anything is opened.
    experiment g latency-aware
    sed -i 's/alpha: \[1.0, 1.2, 0.1\]/alpha: []/' g.yaml
    rc=0; "$R" run g.yaml 2>err || rc=$?
    [ $rc = 2 ] && grep -q "key 'grid.alpha': empty range" err || { echo "exit $rc"; cat err; exit 1; }
    [ ! -e g.h5.progress.jsonl ] && [ ! -e g.files ] && [ ! -e g.h5.lock ] || { echo "left behind:"; ls -A; exit 1; }
    ;;
  limits)
    # gamma 2 at phi 0..6: resolution 224 x 2^k = 224 .. 3584 (phi 4), then 7168 and 14336, past 4096: those two
    # members are infeasible with their resolution (never clamped), have no network file, and the others do.
    # Phi 2..4 (x4 .. x16) are past the x2 of the surrogate's fit rows: marked extrapolated, in the row and the file.
    experiment l latency-aware
    sed -i 's/^grid: .*/grid: {alpha: [1.0, 1.0, 0.1], beta: [1.0, 1.0, 0.1], gamma: [2.0, 2.0, 0.1]}/' l.yaml
    sed -i 's/^phi: 3/phi: 6/; s/^refine: .*/refine: false\ntarget_latency_ms: 1000000/' l.yaml
    "$R" run l.yaml 2>log || { cat log; exit 1; }
    $PY - <<'PY'
import h5py, math, os
f = h5py.File("l.h5")
fam = f["family"][:]
m = fam[fam["family"] == b"lacs"]
assert list(m["phi"]) == list(range(7)), m["phi"]
text = lambda v: v.decode() if isinstance(v, bytes) else v
for r in m:
    k = int(r["phi"])
    if k <= 4:
        assert r["feasible"] == 1 and r["resolution"] == 224 << k, r
        assert text(r["yaml"]) == f"l.files/lacs-phi{k}.yaml" and os.path.exists(text(r["yaml"])), r
        assert r["extrapolated"] == (k >= 2), r
        want = f"; extrapolated: outside the surrogate's fit range: resolution x{1 << k} above 2 (the largest"
        assert (want in open(text(r["yaml"])).read()) == (k >= 2), k
    else:
        assert r["feasible"] == 0 and r["resolution"] == 0, r
        assert text(r["status"]) == f"scaled resolution {224 << k} outside [8, 4096]", r["status"]
        assert math.isnan(r["latency_ms"]) and math.isnan(r["accuracy"]) and text(r["yaml"]) == "", r
        assert r["extrapolated"] == 0, r
        assert not os.path.exists(f"l.files/lacs-phi{k}.yaml")
print("members 5 and 6 infeasible:", text(m[5]["status"]), "/", text(m[6]["status"]))
PY
    grep -q "lacs: lacs phi 5 is infeasible: scaled resolution 7168 outside \[8, 4096\]" log || { cat log; exit 1; }
    ;;
  *) echo "unknown case $CASE"; exit 2 ;;
esac
