#!/usr/bin/python3
"""check_calibrate.py BINARY [--python]: `calibrate --measurements` fits known stack values back.

The "measurements" are simulated latencies of tpuv3 with two hand-chosen software-stack values, v0:
stack.hbm_efficiency = 0.7 (shipped: 0.842) and stack.dispatch_overhead_ns = 3000 (shipped: 11.9), over six
workloads of different sizes (a fixed cost per fusion and a bandwidth share act differently on them). Fitting
those two keys from the shipped values must give v0 back within 1% (measured: 0.09% and 0.27% with the default
6 sweeps). With --python, rp.calibrate(measurements=...) must return exactly the CLI's JSON.
"""
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
V0 = {"stack.hbm_efficiency": 0.7, "stack.dispatch_overhead_ns": 3000.0}
ROWS = [("mnasnet-a1", 1), ("mnasnet-a1", 8), ("mnasnet-a1", 32), ("efficientnet-b0", 1), ("efficientnet-b0", 16),
        ("resnet-50", 4)]
FIT = ["--fit", "stack.hbm_efficiency=0.3:1", "--fit", "stack.dispatch_overhead_ns=0:20000"]


def ridgepoint(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return p.stdout


with tempfile.TemporaryDirectory() as tmp:
    csv = os.path.join(tmp, "measured.csv")
    sets = [a for k, v in V0.items() for a in ("--set", f"{k}={v}")]
    with open(csv, "w") as f:
        f.write("# simulated on tpuv3 with " + ", ".join(f"{k} = {v}" for k, v in V0.items()) + "\n")
        f.write("model,batch,latency_ms,name\n")
        for model, batch in ROWS:
            j = json.loads(ridgepoint("simulate", model, "--accel", "tpuv3", "--batch", str(batch), "--json", *sets))
            f.write(f"{model},{batch},{j['latency_ms']!r},{model} x{batch}\n")
    cli = json.loads(ridgepoint("calibrate", "--accel", "tpuv3", "--measurements", csv, *FIT, "--json"))
    assert cli["rows"] == len(ROWS) and cli["measurements"] == csv, cli
    for key, v0 in V0.items():
        got = cli["values"][key]
        if abs(got - v0) > 0.01 * v0:
            sys.exit(f"{key}: fitted {got}, expected {v0} within 1%")
    assert cli["mape"] < 0.01, cli  # the rows are reproduced too
    if "--python" in sys.argv:
        import ridgepoint as rp
        py = rp.calibrate(measurements=csv, accel="tpuv3",
                          fit=["stack.hbm_efficiency=0.3:1", "stack.dispatch_overhead_ns=0:20000"])
        if py != cli:
            sys.exit(f"rp.calibrate differs from the CLI:\n{py}\n{cli}")
    print("fitted back:", ", ".join(f"{k} = {cli['values'][k]:.6g} (v0 {v})" for k, v in V0.items()))
