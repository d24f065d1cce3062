#!/usr/bin/python3
"""experiments/validation/measure_gpu.py (issue 25 item 5), without a GPU: the measure step's CPU dry run writes
the rows, the conditions and a calibrate-format file, a rerun measures nothing again, bad arguments are one line and
exit 2 (also --device cuda where PyTorch sees no GPU), and compare's arithmetic on hand-made rows.

usage: check_measure_gpu.py RIDGEPOINT"""
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "experiments", "validation", "measure_gpu.py")
PY = "/usr/bin/python3"


def run(*args):
    return subprocess.run([PY, SCRIPT, *args], capture_output=True, text=True)


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")


def rows_of(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def dry_run(tmp):
    out = os.path.join(tmp, "m")
    r = run("measure", out, "--device", "cpu", "--models", "efficientnet-b0", "--batches", "1", "--iters", "2",
            "--warmup", "1", "--modes", "eager")
    check(r.returncode == 0, f"dry run failed: {r.stderr}")
    rows = rows_of(os.path.join(out, "gpu-measurements.csv"))
    check(len(rows) == 1 and rows[0]["status"] == "ok", f"one ok row expected, got {rows}")
    row = rows[0]
    check(float(row["min_ms"]) <= float(row["median_ms"]) <= float(row["max_ms"]), "median outside [min, max]")
    check((row["resolution_or_seq"], row["precision"], row["device"]) == ("224", "fp32", "cpu"),
          f"conditions of the row: {row}")
    cond = json.load(open(os.path.join(out, "conditions.json")))
    check(cond["device"] == "cpu" and cond["iters"] == 2 and cond["torch"], f"conditions.json: {cond}")
    calib = rows_of(os.path.join(out, "measurements-eager.csv"))
    check([list(c) for c in calib] == [["model", "batch", "latency_ms", "name"]] and calib[0]["model"] ==
          "efficientnet-b0" and calib[0]["batch"] == "1", f"calibrate-format rows: {calib}")
    # A rerun finds the ok row and measures nothing: the journal keeps one row.
    r = run("measure", out, "--device", "cpu", "--models", "efficientnet-b0", "--batches", "1", "--iters", "2",
            "--warmup", "1", "--modes", "eager")
    check(r.returncode == 0 and r.stdout == "", f"rerun measured again: {r.stdout!r} {r.stderr!r}")
    check(len(rows_of(os.path.join(out, "gpu-measurements.csv"))) == 1, "rerun appended a row")


def bad_inputs(tmp):
    import torch
    cases = [(["--batches", "0"], "--batches"), (["--models", "lenet"], "--models: unknown 'lenet'"),
             (["--modes", "jit"], "--modes: unknown 'jit'"), (["--iters", "x"], "--iters")]
    if not torch.cuda.is_available():
        cases.append((["--device", "cuda"], "--device cuda: no CUDA device"))
    for extra, text in cases:
        r = run("measure", os.path.join(tmp, "bad"), *(["--device", "cpu"] if "--device" not in extra else []),
                *extra)
        lines = r.stderr.strip().splitlines()
        check(r.returncode == 2 and len(lines) == 1 and text in lines[0], f"{extra}: rc {r.returncode} {r.stderr!r}")


def compare(tmp, ridgepoint):
    # Measured figures made from the simulated ones: 2x, 1x and 0.5x the simulation, so the errors are by hand
    # sim / (2 sim) - 1 = -0.5, 0 and sim / (sim / 2) - 1 = +1; MAPE (0.5 + 0 + 1) / 3 = 0.5; the measured order
    # (batch 1 < 4 < 16 in simulated time, and 2 s1 < s4 < s16 / 2 here) gives Spearman 1 only if 2 s1 < s4 and
    # s4 < s16 / 2, checked below before it is asserted.
    sims = {}
    for b in (1, 4, 16):
        out = subprocess.run([ridgepoint, "simulate", "efficientnet-b0", "--accel", "h100", "--batch", str(b),
                              "--resolution", "224", "--no-layers", "--json"], capture_output=True, text=True)
        check(out.returncode == 0, out.stderr)
        sims[b] = json.loads(out.stdout)["latency_ms"]
    path = os.path.join(tmp, "hand.csv")
    with open(path, "w") as f:
        f.write("model,builder,resolution_or_seq,batch,mode,device,precision,median_ms,min_ms,max_ms,iters,warmup,"
                "status\n")
        for b, factor in ((1, 2.0), (4, 1.0), (16, 0.5)):
            f.write(f"efficientnet-b0,efficientnet_b0,224,{b},eager,cuda,fp16 autocast,{factor * sims[b]!r},,,20,10,"
                    "ok\n")
        f.write("efficientnet-b1,efficientnet_b1,240,1,compile,cuda,fp16 autocast,,,,20,10,failed: x\n")
    r = run("compare", path, "--ridgepoint", ridgepoint, "--json")
    check(r.returncode == 0, r.stderr)
    res = json.loads(r.stdout)
    errors = [row["error"] for row in res["rows"]]
    check(len(errors) == 3 and abs(errors[0] + 0.5) < 1e-9 and abs(errors[1]) < 1e-9 and abs(errors[2] - 1) < 1e-9,
          f"errors {errors}")
    check(list(res["modes"]) == ["eager"] and abs(res["modes"]["eager"]["mape"] - 0.5) < 1e-9, f"{res['modes']}")
    if 2 * sims[1] < sims[4] < sims[16] / 2:
        check(abs(res["modes"]["eager"]["spearman"] - 1) < 1e-9, f"spearman {res['modes']}")
    r = run("compare", os.path.join(tmp, "missing.csv"), "--ridgepoint", ridgepoint)
    check(r.returncode == 2 and "missing.csv" in r.stderr, f"missing file: {r.returncode} {r.stderr!r}")


def main():
    ridgepoint = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        bad_inputs(tmp)
        compare(tmp, ridgepoint)
        dry_run(tmp)
    print("ok")


if __name__ == "__main__":
    main()
