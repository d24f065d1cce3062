"""check_compare.py RIDGEPOINT: `compare` on a GPU shows the GPU's own units (issue 10: it used to print 0.0% matrix
and vector busy for every GPU model), with the same figures as `simulate --json`."""
import json
import re
import subprocess
import sys

rp = sys.argv[1]
out = subprocess.run([rp, "compare", "efficientnet-b0", "efficientnet-x-b0-relu", "--accel", "v100"],
                     capture_output=True, text=True, check=True).stdout
lines = out.splitlines()
header = next(l for l in lines if l.startswith("model"))
for col in ("sm busy", "sm.tensor_cores busy", "sm.cuda_cores busy", "sm wait ms"):
    assert col in header, (col, header)
assert "matrix" not in header and "vector" not in header, header
row = next(l for l in lines if l.startswith("efficientnet-b0 "))
busy = [float(x) for x in re.findall(r"([0-9.]+)%", row)]
assert len(busy) == 3 and all(b > 0 for b in busy), row
units = json.loads(subprocess.run([rp, "simulate", "efficientnet-b0", "--accel", "v100", "--json"],
                                  capture_output=True, text=True, check=True).stdout)["units"]
for name, shown in zip(("sm", "sm.tensor_cores", "sm.cuda_cores"), busy):
    assert abs(shown - 100 * units[name]["busy_fraction"]) <= 0.05, (name, shown, units[name])
# The two datapaths share the SM array's time: their busy shares add up to its own (to the printed rounding).
assert abs(busy[1] + busy[2] - busy[0]) <= 0.15, busy
print("ok:", row)
