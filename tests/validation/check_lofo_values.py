#!/usr/bin/python3
"""check_lofo_values.py BINARY: leave-one-family-out reports the values each family's fit found, and they are the
values its predictions used.

`calibrate --accel tpuv3 --lofo --json` (about 5 s): TPUv3 has two families in the corpus. Holding out depthwise
leaves 2 vanilla rows for 3 parameters (5 needed), so that family is skipped: no MAPE, no values. Holding out
vanilla fits the 3 keys of calibration.yaml on the 11 depthwise rows; the JSON gives each fitted value, within its
bounds there ([1, 16], [0.3, 1], [0, 20000]), and the text report names the same keys on the family's line.
The check that could fail: simulating Li et al.'s ResNet-50 row (batch 128) and MLPerf's (batch 512) with exactly
those values (`simulate --set KEY=VALUE`) must give the errors --lofo reports for those rows, against the published
figures in corpus.csv, to 1e-5 (simulate's JSON rounds the latency; measured difference 1.6e-7). Had the report shown
other values than the ones predicted with (the shipped fit's give -55.4% on Li et al.'s row, where --lofo reports
-52.9%), the errors would differ.
`validate --accel tpuv3 --lofo --json` (about 5 s more) runs the same fits: its leave_family_out.tpuv3 must equal
calibrate's leave_family_out whole, values included (one renderer for both).
"""
import json
import subprocess
import sys

BIN = sys.argv[1]
BOUNDS = {"stack.depthwise_ops_per_mac": (1, 16), "stack.hbm_efficiency": (0.3, 1),
          "stack.dispatch_overhead_ns": (0, 20000)}
# corpus.csv: Li et al. publish 35.1 ms; MLPerf 32716 img/s on 4 chips, one batch of 512 per chip is
# 512 / (32716 / 4) x 1000 ms (corpus.csv's conversion rule).
PUBLISHED = {"ResNet-50": (128, 35.1), "ResNet-50 v1.5 MLPerf Offline 256/core": (512, 512 / (32716 / 4) * 1000)}


def ridgepoint(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return p.stdout


j = json.loads(ridgepoint("calibrate", "--accel", "tpuv3", "--lofo", "--json"))
fams = j["leave_family_out"]["families"]
assert fams["depthwise"]["skipped"] and fams["depthwise"]["values"] is None, fams["depthwise"]
values = fams["vanilla"]["values"]
assert values.keys() == BOUNDS.keys(), values
for k, (lo, hi) in BOUNDS.items():
    assert lo <= values[k] <= hi, (k, values[k])

errors = {r["row"]: r["error"] for r in j["leave_family_out"]["rows"]}
assert errors.keys() == PUBLISHED.keys(), errors
sets = [a for k, v in values.items() for a in ("--set", f"{k}={v!r}")]
for row, (batch, ms) in PUBLISHED.items():
    sim = json.loads(ridgepoint("simulate", "resnet-50", "--accel", "tpuv3", "--batch", str(batch), "--json", *sets))
    err = sim["latency_ms"] / ms - 1
    assert abs(err - errors[row]) < 1e-5, (row, err, errors[row])

v = json.loads(ridgepoint("validate", "--accel", "tpuv3", "--lofo", "--json"))
assert v["leave_family_out"]["tpuv3"] == j["leave_family_out"], (v["leave_family_out"], j["leave_family_out"])

text = ridgepoint("calibrate", "--accel", "tpuv3", "--lofo").splitlines()
line = next(l for l in text if l.startswith("  vanilla ("))
for k in BOUNDS:
    assert f" {k} = " in line, line
print(f"vanilla held out: {', '.join(f'{k} = {v:.4g}' for k, v in values.items())}; "
      f"errors {', '.join(f'{100 * e:+.1f}%' for e in errors.values())} reproduced by simulate --set")
