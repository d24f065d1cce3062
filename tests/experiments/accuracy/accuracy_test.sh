#!/usr/bin/env bash
# accuracy_test.sh RIDGEPOINT CASE: the `table` and `command` accuracy sources (docs/accuracy.md) end to end, on tiny
# budgets (NAS: 8 random samples, LACS: a 2x2x2 grid): no training, seconds per case. HURRICANE's cases (retrain:
# rated by a source) train a 4-layer supernet on 400 images: about 5 s a run.
set -euo pipefail
R=$1 CASE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's interpreter, which has h5py
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"

nas() {  # nas NAME ACCURACY [SAMPLES]
  cat >"$1.yaml" <<YAML
kind: nas
space: efficientnet-x
accelerator: tpuv3
batch: 8
target_latency_ms: 9.0
reward: {w: -0.07}
search: {method: random, samples: ${3:-8}, seed: 1}
accuracy: $2
output: $1.h5
YAML
}

lacs() {  # lacs NAME ACCURACY
  cat >"$1.yaml" <<YAML
kind: lacs
base: efficientnet-b0
accelerator: tpuv3
batch: 8
objective: latency-aware
grid: {alpha: [1.0, 1.1, 0.1], beta: [1.0, 1.1, 0.1], gamma: [1.0, 1.1, 0.1]}
refine: false
phi: 1
accuracy: $2
output: $1.h5
YAML
}

hurricane() {  # hurricane NAME RETRAIN: a 4-layer search whose a_win0 (15.0213 ms) misses the 15.01 ms limit, so the
  # winners, which meet it, are other architectures: /result holds two distinct ones
  cat >"$1.yaml" <<YAML
kind: hurricane
accelerator: v100
latency_constraint_ms: 15.01
space: {layers: 4, p: 2, alpha: 0.5, exploring_layers: 1}
supernet: {train_images: 400, epochs: 1, seed: 1, val_images: 100, bn_images: 100, stage2_fraction: 0.25}
search: {population: 4, generations: 2, t: 2, seed: 1}
retrain: $2
output: $1.h5
YAML
}

# Every table of two outputs identical, column by column (tables equal byte for byte as numpy compares them), but
# the column `yaml`, which names each output's own side files.
same_tables() {
  $PY - "$@" <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(f) for f in sys.argv[1:3])
for t in sys.argv[3:]:
    x, y = a[t][:], b[t][:]
    assert x.dtype.names == y.dtype.names and len(x) == len(y), t
    for c in x.dtype.names:
        if c == "yaml":
            continue
        assert np.array_equal(x[c], y[c], equal_nan=x[c].dtype.kind == "f"), (t, c, x[c], y[c])
print("tables equal:", sys.argv[3:])
PY
}

COUNT_F="{method: command, argv: [$HERE/count_f.sh], timeout_s: 10}"
case $CASE in
  nas-command)
    nas c "$COUNT_F"
    "$R" run c.yaml 2>log || { cat log; exit 1; }
    $PY - <<'PY'
import h5py
f = h5py.File("c.h5")
s = f["samples"][:]
ok = s[s["feasible"] == 1]
assert len(s) == 8 and len(ok) == 8, s["reason"]
for r in ok:  # the script's answer: the number of 'f' characters of the arch over 100 (count_f.sh)
    assert r["accuracy"] == r["arch"].decode().count("f") / 100, (r["arch"], r["accuracy"])
assert (s["accuracy_source"] == b"command").all()
assert f.attrs["accuracy_source"] == "command" and "count_f.sh] timeout 10 s" in f.attrs["accuracy_budget"]
best = open("c.files/best1.yaml").read()
assert "# accuracy source: command [" in best, best[:400]
print("ok:", len(ok), "rows rated by the command")
PY
    "$R" info c.files/best1.yaml >/dev/null  # the written YAML still loads
    ;;
  nas-command-failures)
    # A failing, a slow (timeout_s 1) and a garbled trial: infeasible rows with their reasons; the runs complete.
    for kind in fails slow garbled; do
      nas "$kind" "{method: command, argv: [$HERE/$kind.sh], timeout_s: 1}" 2
    done
    "$R" run fails.yaml 2>/dev/null
    start=$(date +%s)
    "$R" run slow.yaml --jobs 2 2>/dev/null
    [ $(( $(date +%s) - start )) -lt 10 ] || { echo "the slow trials were not killed after 1 s"; exit 1; }
    "$R" run garbled.yaml 2>/dev/null
    $PY - <<'PY'
import h5py
want = {"fails": "command exited 1 (its stderr: trials/arch-", "slow": "command timed out after 1 s",
        "garbled": "command output is not one JSON line with a numeric accuracy (not JSON): 'accuracy: 0.5'"}
for name, reason in want.items():
    s = h5py.File(name + ".h5")["samples"][:]
    assert len(s) == 2 and (s["feasible"] == 0).all() and (s["reward"] == 0).all(), name
    assert all(r.decode().startswith(reason) for r in s["reason"]), (name, s["reason"])
print("failures recorded with their reasons")
PY
    grep -q "out of GPU memory" fails.files/trials/*/stderr.log || { echo "no stderr.log"; exit 1; }
    ;;
  nas-identical)
    # serial = --jobs 2 = MPI (3 ranks), byte for byte.
    nas s "$COUNT_F"
    nas j "$COUNT_F"
    "$R" run s.yaml 2>/dev/null
    "$R" run j.yaml --jobs 2 2>/dev/null
    same_tables s.h5 j.h5 samples
    if command -v mpirun >/dev/null; then
      nas m "$COUNT_F"
      mpirun --allow-run-as-root --oversubscribe -np 3 "$R" run m.yaml 2>log || { cat log; exit 1; }
      same_tables s.h5 m.h5 samples
    else
      echo "mpirun not found: MPI comparison skipped"
    fi
    ;;
  nas-table)
    # A hand-written table: one architecture the search samples (step 0's, taken from a command run) at 0.5 and one
    # it never samples; every other sample is a miss.
    nas c "$COUNT_F"
    "$R" run c.yaml 2>/dev/null
    arch=$($PY -c 'import h5py; print(h5py.File("c.h5")["samples"][0]["arch"].decode())')
    printf '# measured accuracies (fractions)\nkey,accuracy,note\n"%s",0.5,hit\n"s2d1,never-sampled",0.9,other\n' "$arch" >t.csv
    nas t "{method: table, file: t.csv}"
    "$R" run t.yaml 2>/dev/null
    sum=$(sha256sum t.csv | cut -d' ' -f1)
    $PY - "$arch" "$sum" <<'PY'
import sys, h5py
arch, digest = sys.argv[1], sys.argv[2]
f = h5py.File("t.h5")
s = f["samples"][:]
hits = s[s["arch"] == arch.encode()]
assert len(hits) >= 1 and (hits["accuracy"] == 0.5).all() and (hits["feasible"] == 1).all()
miss = s[s["arch"] != arch.encode()]
assert len(miss) == 8 - len(hits) and (miss["feasible"] == 0).all()
assert all(r == b"not in table t.csv" for r in miss["reason"]), miss["reason"]
assert f.attrs["accuracy_table_misses"] == len(miss)
assert f.attrs["accuracy_budget"] == "table t.csv sha256 " + digest, f.attrs["accuracy_budget"]
print("table:", len(hits), "hits,", len(miss), "misses")
PY
    # The table's content is part of the run's identity: a changed table is never mixed into a journal.
    nas t2 "{method: table, file: t.csv}" 4
    "$R" run t2.yaml --max-points 2 2>/dev/null
    echo '"s2d1,another",0.1,x' >>t.csv
    if "$R" run t2.yaml 2>log; then echo "resumed with a changed table"; exit 1; fi
    grep -q "accuracy table file .*t.csv changed" log || { cat log; exit 1; }
    ;;
  lacs-command)
    # net_hash.sh answers (first hex digit of sha256(network.yaml)) / 16; each trial directory is named by the same
    # hash (Ridgepoint's SHA-256 against coreutils' sha256sum).
    lacs s "{method: command, argv: [$HERE/net_hash.sh], timeout_s: 10}"
    lacs j "{method: command, argv: [$HERE/net_hash.sh], timeout_s: 10}"
    "$R" run s.yaml 2>log || { cat log; exit 1; }
    "$R" run j.yaml --jobs 2 2>/dev/null
    same_tables s.h5 j.h5 grid family
    $PY - <<'PY'
import glob, hashlib, h5py, os
answers = set()
for d in glob.glob("s.files/trials/net-*"):
    digest = hashlib.sha256(open(d + "/network.yaml", "rb").read()).hexdigest()
    assert os.path.basename(d) == "net-" + digest[:16], d
    answers.add(100 * int(digest[0], 16) / 16)
f = h5py.File("s.h5")
g = f["grid"][:]
ok = g[g["feasible"] == 1]
assert len(ok) > 0 and all(a in answers for a in ok["accuracy"]), (ok["accuracy"], answers)
assert (g["accuracy_source"] == b"command").all() and (f["family"][:]["accuracy_source"] == b"command").all()
assert f.attrs["accuracy_source"] == "command"
assert "accuracy source: command [" in open("s.files/lacs-phi1.yaml").read()
print("lacs: ", len(ok), "points rated by the command")
PY
    "$R" info s.files/lacs-phi1.yaml >/dev/null
    ;;
  lacs-table)
    # The key is the sha256 of the candidate's network.yaml (as a command trial sees it): one hit at 0.9.
    lacs c "{method: command, argv: [$HERE/net_hash.sh], timeout_s: 10}"
    "$R" run c.yaml 2>/dev/null
    key=$(ls c.files/trials | head -1)
    printf 'key,accuracy\n%s,0.9\n' "$(sha256sum "c.files/trials/$key/network.yaml" | cut -d' ' -f1)" >t.csv
    lacs t "{method: table, file: t.csv}"
    "$R" run t.yaml 2>log || { cat log; exit 1; }
    $PY - <<'PY'
import h5py
f = h5py.File("t.h5")
g = f["grid"][:]
miss = sum(r.startswith(b"not in table t.csv") for r in g["status"])
assert miss >= 1 and f.attrs["accuracy_table_misses"] == miss, (miss, f.attrs["accuracy_table_misses"])
hits = g[g["accuracy"] == 90]
assert len(hits) + miss + sum(1 for x in g if not x["feasible"] and not x["status"].startswith(b"not in")) == len(g)
print("lacs table:", len(hits), "hits,", miss, "misses")
PY
    ;;
  hurricane-command)
    # Every /result row rated by digit_sum.sh: (sum of the arch's digits) / 100, serial and --jobs 2 (the trials run
    # in the workers) alike; one accuracy per trial: retrain_test_accuracy stays NaN.
    DIGITS="{method: command, argv: [$HERE/digit_sum.sh], timeout_s: 10}"
    hurricane s "$DIGITS"
    hurricane j "$DIGITS"
    "$R" run s.yaml --keep-journal 2>log || { cat log; exit 1; }
    "$R" run j.yaml --jobs 2 2>/dev/null
    same_tables s.h5 j.h5 result
    grep -q "rated by the command source: top-1" log || { cat log; exit 1; }
    $PY - <<'PY'
import h5py, math, re
f = h5py.File("s.h5")
res = f["result"][:]
assert [x.decode() for x in res["label"]] == ["a_win0", "a_win1", "a_win2"]
assert res[0]["latency_ms"] > 15.01 and len(set(res["arch"])) == 2, res  # the premise: two architectures
for r in res:
    arch = r["arch"].decode()
    want = sum(int(d) for d in re.findall("[0-9]", arch)) / 100  # digit_sum.sh's answer
    assert r["retrain_val_accuracy"] == want, (arch, r["retrain_val_accuracy"], want)
    assert math.isnan(r["retrain_test_accuracy"]) and r["retrain_note"] == b"", r
assert (res["accuracy_source"] == b"command").all()
assert f.attrs["accuracy_source"] == "command" and "digit_sum.sh] timeout 10 s" in f.attrs["accuracy_budget"]
assert f.attrs["accuracy_budget"].startswith("supernet: SPOS supernet trained with LibTorch on 400 Fashion-MNIST")
assert f.attrs["accuracy_table_misses"] == 0
assert "# accuracy source: supernet: " in open("s.files/winner.yaml").read()
print("hurricane: every /result row rated by the command:", list(res["retrain_val_accuracy"]))
PY
    for d in s.files/trials/arch-*; do "$R" info "$d/network.yaml" >/dev/null; done  # each trial's network loads
    [ "$(ls s.files/trials | wc -l)" = 2 ] || { echo "expected one trial per distinct architecture"; exit 1; }
    # Resumed from the journal (output removed): the ratings are read back, no trial runs again (a trial would remake
    # its directory, removing the marker), and /result is the same.
    cp s.h5 first.h5 && rm s.h5
    for d in s.files/trials/arch-*; do touch "$d/marker"; done
    "$R" run s.yaml 2>/dev/null
    [ "$(ls s.files/trials/arch-*/marker | wc -l)" = 2 ] || { echo "a resumed run ran a trial again"; exit 1; }
    same_tables first.h5 s.h5 result
    ;;
  hurricane-failures)
    # A failing trial: the rows NaN with the reason in retrain_note, the run complete (exit 0).
    hurricane x "{method: command, argv: [$HERE/fails.sh], timeout_s: 5}"
    "$R" run x.yaml 2>log || { cat log; exit 1; }
    grep -q "command: command exited 1" log || { cat log; exit 1; }
    $PY - <<'PY'
import h5py, math
res = h5py.File("x.h5")["result"][:]
assert len(res) == 3 and all(math.isnan(v) for v in res["retrain_val_accuracy"]), res
assert all(n.decode().startswith("command exited 1 (its stderr: trials/arch-") for n in res["retrain_note"]), res
print("hurricane: failed trials recorded:", res["retrain_note"][0].decode())
PY
    ;;
  hurricane-table)
    # A table holding a_win0 (every layer's top-scoring op: the kept op ranked 1 by `hurricane space`) at 0.5 and an
    # architecture the space lacks: a_win0 is a hit, the winners (which meet the limit a_win0 misses) are misses.
    a0=$("$R" hurricane space --accel v100 --layers 4 --p 2 --exploring-layers 1 --batch 128 \
         | awk '$1 == "1" && $2 == "*" {ops = ops (ops ? "," : "") $3} END {print ops}')
    printf 'key,accuracy\n"%s",0.5\n"SEP_3,SEP_3,SEP_3,SEP_3",0.9\n' "$a0" >t.csv
    hurricane t "{method: table, file: t.csv}"
    "$R" run t.yaml 2>log || { cat log; exit 1; }
    sum=$(sha256sum t.csv | cut -d' ' -f1)
    $PY - "$a0" "$sum" <<'PY'
import h5py, json, math, sys
a0, digest = sys.argv[1], sys.argv[2]
f = h5py.File("t.h5")
res = f["result"][:]
assert res[0]["arch"].decode() == a0 and res[0]["retrain_val_accuracy"] == 0.5 and res[0]["retrain_note"] == b""
for r in res[1:]:
    assert r["arch"].decode() != a0 and math.isnan(r["retrain_val_accuracy"]), r
    assert r["retrain_note"] == b"not in table t.csv", r["retrain_note"]
assert (res["accuracy_source"] == b"table").all() and f.attrs["accuracy_table_misses"] == 2
assert f.attrs["accuracy_budget"].endswith("; retrain: table t.csv sha256 " + digest), f.attrs["accuracy_budget"]
assert any(i["role"] == "accuracy table" for i in json.loads(f.attrs["inputs"])["inputs"])  # the run's identity
print("hurricane table: a_win0 hit, 2 misses")
PY
    ;;
  *) echo "unknown case $CASE"; exit 2 ;;
esac
