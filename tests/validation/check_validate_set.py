#!/usr/bin/env python3
"""check_validate_set.py RIDGEPOINT: `validate --set KEY=VALUE` reaches the report, its JSON and --lofo's fits.

`validate --accel tpuv3 --json` without --set, and with --set stack.lowering.fuse_elementwise=false and --lofo
(about 10 s of CPU: the leave-one-family-out refit is the cost, and no cheaper path reaches --lofo's fits):
- the JSON records the setting as "set" (and has none without it);
- every row is slower with elementwise ops unfused: each then is its own kernel that reads and writes its tensor in
  HBM and pays a dispatch, where fused it rode on its producer (docs/tpu-model.md), so no row can get faster and
  the whole corpus cannot stay the same;
- --lofo's prediction of the held-out family (vanilla: Li et al.'s and MLPerf's ResNet-50, predicted from stack
  values fitted on the depthwise rows) is not the shipped config's: Li et al.'s row is -52.9% without --set
  (docs/validation.md, the table of the whole corpus); had --lofo fitted the shipped config, ignoring the setting, it
  would be that figure.
The text report states the setting on its first line.
`calibrate --accel tpuv3 --json` with and without the same --set (about 5 s each): the JSON records it, and the fitted
values differ (with every elementwise op its own kernel paying a dispatch and HBM round trips, the fit that ignored
the setting would return the plain fit's values exactly)."""
import json
import subprocess
import sys

R = sys.argv[1]
SET = "stack.lowering.fuse_elementwise=false"


def validate(*extra):
    p = subprocess.run([R, "validate", "--accel", "tpuv3", *extra], capture_output=True, text=True)
    assert p.returncode == 0, (extra, p.returncode, p.stderr)
    return p.stdout


plain = json.loads(validate("--json"))
unfused = json.loads(validate("--lofo", "--json", "--set", SET))
assert "set" not in plain, plain.keys()
assert unfused["set"] == [SET], unfused.get("set")

before = {r["paper_model"]: r["simulated_ms"] for r in plain["rows"]}
after = {r["paper_model"]: r["simulated_ms"] for r in unfused["rows"]}
assert before.keys() == after.keys() and before, (before.keys(), after.keys())
assert all(after[m] >= before[m] for m in before), {m: (before[m], after[m]) for m in before}
assert any(after[m] > before[m] for m in before), before

lofo = unfused["leave_family_out"]["tpuv3"]["rows"]
assert [r["row"] for r in lofo] == ["ResNet-50", "ResNet-50 v1.5 MLPerf Offline 256/core"], lofo
assert round(100 * lofo[0]["error"], 1) != -52.9, lofo

text = validate("--set", SET).splitlines()
assert text[0] == f"with --set {SET} on every accelerator (not the shipped configs)", text[0]
def calibrate(*extra):
    p = subprocess.run([R, "calibrate", "--accel", "tpuv3", "--json", *extra], capture_output=True, text=True)
    assert p.returncode == 0, (extra, p.returncode, p.stderr)
    return json.loads(p.stdout)


fit_plain, fit_unfused = calibrate(), calibrate("--set", SET)
assert fit_plain["set"] == [] and fit_unfused["set"] == [SET], (fit_plain["set"], fit_unfused["set"])
assert fit_plain["values"].keys() == fit_unfused["values"].keys(), (fit_plain["values"], fit_unfused["values"])
assert fit_plain["values"] != fit_unfused["values"], fit_plain["values"]

print(f"--set recorded; rows slower ({sum(after.values()):.1f} vs {sum(before.values()):.1f} ms in all); "
      f"lofo ResNet-50 error -52.9% shipped, {100 * lofo[0]['error']:+.1f}% with --set")
