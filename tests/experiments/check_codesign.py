"""check_codesign.py RIDGEPOINT DIR: a tiny `kind: codesign` grid end to end (docs/codesign.md). 3 x 2 x 2 hardware
points x 2 networks under a 180 mm^2 area budget: one row per point and network in point order, the log range
expanded to 64, 128, 256, every row over the budget infeasible with the evaluator's reason and no latency, every
other row feasible; /pareto holds exactly the non-dominated feasible rows per network and across the networks; a
feasible row's latency equals `ridgepoint simulate` at the same settings."""
import json
import math
import os
import subprocess
import sys

import h5py

rp, d = sys.argv[1], sys.argv[2]
os.makedirs(d, exist_ok=True)
exp = os.path.join(d, "codesign.yaml")
with open(exp, "w") as f:
    f.write("kind: codesign\naccelerator: tpuv3\nbatch: 2\n"
            "hardware:\n  matrix_unit.rows: {min: 64, max: 256, steps: 3, scale: log}\n"
            "  vector_unit.lanes: [64, 128]\n  hbm.bandwidth_gbps: [600, 1200]\n"
            "budgets: {area_mm2: 180}\nnetworks: [efficientnet-x-b0, mnasnet-a1]\n"
            f"output: {d}/codesign.h5\n")
subprocess.run([rp, "run", exp, "--fresh"], check=True, capture_output=True)
f = h5py.File(os.path.join(d, "codesign.h5"), "r")
assert f.attrs["kind"] == "codesign" and f.attrs["objectives"] == "latency_ms,energy_per_inference_mj", dict(f.attrs)
assert f.attrs["budget_area_mm2"] == 180.0
rows = f["points"][:]
nets = [b"efficientnet-x-b0", b"mnasnet-a1"]
# Point p = rows_index x 4 + lanes_index x 2 + bandwidth_index (last key fastest), each with both networks.
assert len(rows) == 24, len(rows)
assert [int(r["point"]) for r in rows] == [p for p in range(12) for _ in nets]
assert [r["network"] for r in rows] == nets * 12
# A log range from 64 to 256 in 3 steps: 64 x 4^(0/2, 1/2, 2/2) = 64, 128, 256.
assert sorted({float(r["matrix_unit.rows"]) for r in rows}) == [64.0, 128.0, 256.0]
infeasible = 0
for r in rows:
    over = r["area_mm2"] > 180.0
    assert bool(r["feasible"]) != over, (r["point"], r["area_mm2"], r["reason"])
    if over:
        infeasible += 1
        assert r["reason"].decode().endswith("mm^2 of a 180 mm^2 area budget (area.budget_mm2)"), r["reason"]
        assert math.isnan(r["latency_ms"]) and math.isnan(r["energy_per_inference_mj"])
    else:
        assert r["reason"] == b"" and r["latency_ms"] > 0 and r["energy_per_inference_mj"] > 0
assert 0 < infeasible < len(rows), infeasible


def objectives(r):
    return (r["latency_ms"], r["energy_per_inference_mj"])


def dominates(a, b):
    return all(x <= y for x, y in zip(a, b)) and any(x < y for x, y in zip(a, b))


def front_of(points):  # {key: objectives} -> keys no other key dominates
    return {k for k, o in points.items() if not any(dominates(p, o) for j, p in points.items() if j != k)}


pareto = f["pareto"][:]
for net in nets:
    feasible = {int(r["point"]): objectives(r) for r in rows if r["network"] == net and r["feasible"]}
    got = {int(r["point"]) for r in pareto if r["front"] == net}
    assert got == front_of(feasible), (net, got, front_of(feasible))
    assert all(r["network"] == net and r["feasible"] for r in pareto if r["front"] == net)
# Across the networks: a point feasible for both, its objectives summed over them.
sums = {}
for p in range(12):
    both = [r for r in rows if int(r["point"]) == p]
    if all(r["feasible"] for r in both):
        sums[p] = tuple(sum(o) for o in zip(*(objectives(r) for r in both)))
across = [int(r["point"]) for r in pareto if r["front"] == b"all"]
assert set(across) == front_of(sums) and len(across) == 2 * len(front_of(sums)), (across, front_of(sums))
# A feasible row is what `simulate` gives for that hardware point.
r = next(r for r in rows if r["feasible"] and r["network"] == b"mnasnet-a1")
out = subprocess.run([rp, "simulate", "mnasnet-a1", "--accel", "tpuv3", "--batch", "2",
                      "--set", f"matrix_unit.rows={int(r['matrix_unit.rows'])}",
                      "--set", f"vector_unit.lanes={int(r['vector_unit.lanes'])}",
                      "--set", f"hbm.bandwidth_gbps={r['hbm.bandwidth_gbps']:g}", "--json"],
                     check=True, capture_output=True, text=True)
assert json.loads(out.stdout)["latency_ms"] == r["latency_ms"]
print(f"ok: 24 rows, {infeasible} over the area budget, {len(pareto)} /pareto rows")
