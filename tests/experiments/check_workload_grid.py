"""check_workload_grid.py RIDGEPOINT DIR: batch and resolution as sweep keys (issue 15). A 2 x 2 grid over them
gives, row for row, the latency `ridgepoint simulate --batch B --resolution R` gives."""
import json
import os
import subprocess
import sys

import h5py

rp, d = sys.argv[1], sys.argv[2]
os.makedirs(d, exist_ok=True)
exp = os.path.join(d, "workload.yaml")
with open(exp, "w") as f:
    f.write(f"kind: sweep\nmodels: [mnasnet-a1]\naccelerators: [v100]\noutput: {d}/workload.h5\n"
            "grid:\n  batch: [4, 8]\n  resolution: [192, 224]\n")
subprocess.run([rp, "run", exp, "--fresh"], check=True, capture_output=True)
rows = h5py.File(os.path.join(d, "workload.h5"), "r")["points"][:]
assert len(rows) == 4, len(rows)
for r in rows:
    out = subprocess.run([rp, "simulate", "mnasnet-a1", "--accel", "v100", "--batch", str(int(r["batch"])),
                          "--resolution", str(int(r["resolution"])), "--json"], check=True, capture_output=True, text=True)
    assert json.loads(out.stdout)["latency_ms"] == r["latency_ms"], (r["batch"], r["resolution"])
print("ok: 4 rows equal simulate")
