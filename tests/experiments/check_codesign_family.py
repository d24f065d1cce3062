"""check_codesign_family.py RIDGEPOINT DIR: `kind: codesign` with a LACS family as the network side
(docs/codesign.md "A LACS family as the network side"). A family of 3 members (efficientnet-x-b0 with alpha 1.2,
beta 1.1, gamma 1.15, phi 0..2) x 2 hardware points (hbm.bandwidth_gbps 600, 1200), objectives accuracy and
latency_ms, accuracies written by hand:
  - `command`: by_phi.sh answers by the member's level (proxy.json's phi): phi 0 -> 0.75, phi 1 -> 0.70,
    phi 2 -> 0.80, so the accuracy column (percent, as LACS's) is 75, 70, 80 on both hardware points, and every row
    says accuracy_source command;
  - `table`: the same three values keyed by the sha256 of each trial's network.yaml gives the same column, and a
    table that lacks the phi 2 member leaves its rows infeasible ("no accuracy: not in table ...").
The Pareto sets, derived by hand from two facts the test first checks on /points (not assumed): every member is
faster at 1200 GB/s than at 600 (A), and on a hardware point a higher level is slower (B):
  - per member (front = its name): the two rows share the accuracy, so only the faster one, point 1 (1200), stays;
  - `all`: point 1's summed latency is lower by (A), its summed accuracy equal: point 1 alone (its 3 rows);
  - `joint` (every row of any member on any point): phi 1 at point 1 is dominated by phi 0 at point 1 (75 > 70 and
    faster by B), phi 1 at point 0 by the same row (A then B), phi 0 and phi 2 at point 0 by themselves at point 1
    (A); phi 2 at point 1 has the highest accuracy and phi 0 at point 1 the lowest latency (A, B): exactly
    {(1, phi0), (1, phi2)}.
Then: --jobs 2, `mpirun -np 2` and a run stopped by --max-points 2 and resumed write the same tables as the serial run, a
resumed `command` run rates no member again (its ratings are journaled), and a
resume after the accuracy source changed (another table) is refused like any other kind's changed input; a LACS run
of the same coefficients rates the same network files (one table serves both kinds)."""
import glob
import hashlib
import os
import shutil
import subprocess
import sys

import h5py

rp, d = sys.argv[1], sys.argv[2]
shutil.rmtree(d, ignore_errors=True)  # a fresh directory: the stopped run below must have no output yet
os.makedirs(d)
os.chdir(d)
NETS = [b"efficientnet-x-b0-phi0", b"efficientnet-x-b0-phi1", b"efficientnet-x-b0-phi2"]
HAND = {0: 0.75, 1: 0.70, 2: 0.80}

with open("by_phi.sh", "w") as f:
    f.write("#!/bin/sh\n# the accuracy written by hand for the member's level (proxy.json: \"phi\": K)\n"
            "case $(tr -d ' ' < proxy.json | grep -o '\"phi\":[0-9]*') in\n"
            "  '\"phi\":0') echo '{\"accuracy\": 0.75}' ;;\n  '\"phi\":1') echo '{\"accuracy\": 0.70}' ;;\n"
            "  '\"phi\":2') echo '{\"accuracy\": 0.80}' ;;\n  *) exit 3 ;;\nesac\n")
os.chmod("by_phi.sh", 0o755)


def experiment(name, accuracy):
    with open(name + ".yaml", "w") as f:
        f.write("kind: codesign\naccelerator: tpuv3\nbatch: 2\nhardware:\n  hbm.bandwidth_gbps: [600, 1200]\n"
                "lacs_family: {base: efficientnet-x-b0, alpha: 1.2, beta: 1.1, gamma: 1.15, phi: 2}\n"
                f"accuracy: {accuracy}\nobjectives: [accuracy, latency_ms]\noutput: {name}.h5\n")
    return name + ".yaml"


def run(*args, code=0):
    p = subprocess.run([rp, "run", *args], capture_output=True, text=True)
    assert p.returncode == code, (args, p.returncode, p.stderr)
    return p.stderr


def tables(path):
    with h5py.File(path, "r") as f:
        return f["points"][:], f["pareto"][:], dict(f.attrs)


command = "{method: command, argv: [./by_phi.sh], timeout_s: 20}"
run(experiment("s", command), "--fresh")
rows, pareto, attrs = tables("s.h5")
assert attrs["accuracy_source"] == "command" and attrs["objectives"] == "accuracy,latency_ms", attrs
assert [(int(r["point"]), r["network"]) for r in rows] == [(p, n) for p in (0, 1) for n in NETS]
assert all(r["feasible"] and r["accuracy_source"] == b"command" for r in rows)
assert [r["accuracy"] for r in rows] == [75.0, 70.0, 80.0] * 2, [r["accuracy"] for r in rows]
lat = {(int(r["point"]), int(r["network"][-1:])): r["latency_ms"] for r in rows}
assert all(lat[1, k] < lat[0, k] for k in range(3)), lat  # (A)
assert all(lat[p, 0] < lat[p, 1] < lat[p, 2] for p in (0, 1)), lat  # (B)
fronts = {}
for r in pareto:
    fronts.setdefault(r["front"], set()).add((int(r["point"]), r["network"]))
assert fronts == {NETS[0]: {(1, NETS[0])}, NETS[1]: {(1, NETS[1])}, NETS[2]: {(1, NETS[2])},
                  b"all": {(1, n) for n in NETS}, b"joint": {(1, NETS[0]), (1, NETS[2])}}, fronts

# The table: keyed by the sha256 of the network.yaml each command trial was given (by_phi.sh's trials).
keys = {}
for t in glob.glob("s.files/trials/net-*"):
    text = open(t + "/network.yaml", "rb").read()
    phi = int(open(t + "/proxy.json").read().split('"phi":')[1].split(",")[0])
    keys[phi] = hashlib.sha256(text).hexdigest()
assert sorted(keys) == [0, 1, 2], keys
with open("hand.csv", "w") as f:
    f.write("key,accuracy\n" + "".join(f"{keys[k]},{HAND[k]}\n" for k in range(3)))
with open("short.csv", "w") as f:
    f.write("key,accuracy\n" + "".join(f"{keys[k]},{HAND[k]}\n" for k in range(2)))
run(experiment("t", "{method: table, file: hand.csv}"), "--fresh")
t_rows, t_pareto, t_attrs = tables("t.h5")
assert [r["accuracy"] for r in t_rows] == [75.0, 70.0, 80.0] * 2 and t_attrs["accuracy_source"] == "table"
assert all(r["accuracy_source"] == b"table" for r in t_rows)
assert [r["latency_ms"] for r in t_rows] == [r["latency_ms"] for r in rows]
run(experiment("m", "{method: table, file: short.csv}"), "--fresh")
m_rows, _, m_attrs = tables("m.h5")
missed = [r for r in m_rows if r["network"] == NETS[2]]
assert m_attrs["accuracy_table_misses"] == 1, m_attrs
assert all(not r["feasible"] and r["reason"].decode().startswith("no accuracy: not in table") for r in missed)
assert all(r["feasible"] for r in m_rows if r["network"] != NETS[2])
# phi 2, without an accuracy, is infeasible on every point, which says nothing about the hardware: it is left out of
# the `all` front, whose sums over phi 0 and phi 1 are point 1's by (A) with equal accuracy: point 1 alone (an
# empty front before). The evolution's fitness leaves it out too: on bandwidths 300..1200 the best point is the
# fastest for phi 0 and phi 1, index 3 (1200 GB/s) by (A), as with the whole table.
with h5py.File("m.h5", "r") as f:
    m_all = {(int(r["point"]), r["network"]) for r in f["pareto"][:] if r["front"] == b"all"}
assert m_all == {(1, NETS[0]), (1, NETS[1])}, m_all
for name, table in (("e", "hand.csv"), ("es", "short.csv")):
    text = open(experiment(name, "{method: table, file: %s}" % table)).read()
    text = text.replace("[600, 1200]", "[300, 600, 900, 1200]") + \
        "search: {method: evolution, population: 4, generations: 2, tournament: 2, seed: 1}\n"
    with open(name + ".yaml", "w") as f:
        f.write(text)
    log = run(name + ".yaml", "--fresh")
    assert "best point 3\n" in log, (name, log)

# --jobs 2, and a run stopped after 2 units then resumed, write the serial run's tables.
run(experiment("j", command), "--fresh", "--jobs", "2")
mpi = subprocess.run(["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "2", rp, "run",
                      experiment("mp", command), "--fresh"], capture_output=True, text=True, timeout=120)
assert mpi.returncode == 0, mpi.stderr
run(experiment("r", "{method: table, file: hand.csv}"), "--fresh", "--max-points", "2")
assert not os.path.exists("r.h5")
log = run("r.yaml")
assert "resuming: 2 units already done" in log, log
for a, b in (("s.h5", "j.h5"), ("s.h5", "mp.h5"), ("t.h5", "r.h5")):
    x, y = tables(a), tables(b)
    for i in (0, 1):
        assert x[i].dtype == y[i].dtype and len(x[i]) == len(y[i]), (a, b)
        for n in x[i].dtype.names:  # equal values, NaN equal to NaN (an infeasible row's figures)
            assert all(p == q or p != p and q != q for p, q in zip(x[i][n], y[i][n])), (a, b, n)
# One table serves LACS and codesign: a LACS run of the same coefficients (phi 1) gives its trials the same network
# files as the family's levels 0 and 1 (the trial directories are named by the files' sha256).
with open("half.sh", "w") as f:
    f.write("#!/bin/sh\necho '{\"accuracy\": 0.5}'\n")
os.chmod("half.sh", 0o755)
with open("l.yaml", "w") as f:
    f.write("kind: lacs\nbase: efficientnet-x-b0\naccelerator: tpuv3\nbatch: 2\nobjective: latency-aware\n"
            "grid: {alpha: [1.2, 1.2, 0.1], beta: [1.1, 1.1, 0.1], gamma: [1.15, 1.15, 0.1]}\nrefine: false\n"
            "phi: 1\naccuracy: {method: command, argv: [./half.sh], timeout_s: 20}\noutput: l.h5\n")
run("l.yaml", "--fresh")
lacs_trials = {os.path.basename(t) for t in glob.glob("l.files/trials/net-*")}
assert lacs_trials == {"net-" + keys[k][:16] for k in (0, 1)}, (lacs_trials, keys)
# A resumed run reads the members' journaled ratings: a `command` run stopped after 2 units and resumed runs each
# member's trial once in all (3 calls; 6 before the ratings were journaled).
with open("counted.sh", "w") as f:
    f.write(f"#!/bin/sh\necho call >> {os.path.abspath('calls.log')}\nexec {os.path.abspath('by_phi.sh')}\n")
os.chmod("counted.sh", 0o755)
counted = "{method: command, argv: [./counted.sh], timeout_s: 20}"
run(experiment("k", counted), "--fresh", "--max-points", "2")
assert not os.path.exists("k.h5")
run("k.yaml")
assert open("calls.log").read().count("call") == 3, open("calls.log").read()
kx, sx = tables("k.h5"), tables("s.h5")
assert [r["accuracy"] for r in kx[0]] == [r["accuracy"] for r in sx[0]] == [75.0, 70.0, 80.0] * 2
# A changed accuracy source (another table file) refuses to resume the stopped run.
run(experiment("c", "{method: table, file: hand.csv}"), "--fresh", "--max-points", "2")
os.replace("short.csv", "hand.csv")
err = run("c.yaml", code=2)
assert len(err.strip().splitlines()) == 1 and "accuracy table" in err, err
print(f"ok: 6 rows, accuracies 75/70/80, joint front {sorted(fronts[b'joint'])}")
