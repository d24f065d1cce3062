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
    # Another condition (here --iters 3) into the same folder is refused in one line naming it: its rows would mix.
    r = run("measure", out, "--device", "cpu", "--models", "efficientnet-b0", "--batches", "1", "--iters", "3",
            "--warmup", "1", "--modes", "eager")
    lines = r.stderr.strip().splitlines()
    check(r.returncode == 2 and len(lines) == 1 and "iters 2 now 3" in lines[0], f"other conditions: {r.stderr!r}")
    # Written whole (a temporary, then rename) yet with the permissions open() gives the journal (mkstemp's are 0600).
    mode = {n: os.stat(os.path.join(out, n)).st_mode & 0o777 for n in ("conditions.json", "gpu-measurements.csv")}
    check(mode["conditions.json"] == mode["gpu-measurements.csv"], f"permissions {mode}")
    # An OUTDIR that is a file is one line, exit 2.
    afile = os.path.join(tmp, "afile")
    open(afile, "w").close()
    r = run("measure", afile, "--device", "cpu", "--models", "efficientnet-b0", "--batches", "1", "--modes", "eager")
    check(r.returncode == 2 and "not a directory" in r.stderr and len(r.stderr.strip().splitlines()) == 1,
          f"OUTDIR a file: {r.stderr!r}")


def bad_inputs(tmp):
    import torch
    cases = [(["--batches", "0"], "--batches"), (["--models", "lenet"], "--models: unknown 'lenet'"),
             (["--modes", "jit"], "--modes: unknown 'jit'"), (["--iters", "x"], "--iters"),
             (["--models", ","], "--models: expected some of"), (["--iters", "3,4"], "--iters: expected one"),
             (["--time-limit", "-1"], "--time-limit: expected seconds >= 0")]
    if not torch.cuda.is_available():
        cases.append((["--device", "cuda"], "--device cuda: no CUDA device"))
    for extra, text in cases:
        r = run("measure", os.path.join(tmp, "bad"), *(["--device", "cpu"] if "--device" not in extra else []),
                *extra)
        lines = r.stderr.strip().splitlines()
        check(r.returncode == 2 and len(lines) == 1 and text in lines[0], f"{extra}: rc {r.returncode} {r.stderr!r}")


def compare(tmp, ridgepoint):
    # Measured figures made from the simulated ones: 1.1x, 1x and 0.9x the simulation at batch 1, 16 and 64, so by
    # hand the errors sim / meas - 1 are 1/1.1 - 1 = -0.0909, 0 and 1/0.9 - 1 = +0.1111, the MAPE their mean
    # absolute value (0.1/1.1 + 0.1/0.9) / 3 = 0.06734, and Spearman 1 because the measured order is the
    # simulated one: 1.1 s1 < s16 and s16 < 0.9 s64 (checked, not assumed, before it is asserted).
    sims = {}
    for b in (1, 16, 64):
        out = subprocess.run([ridgepoint, "simulate", "efficientnet-b0", "--accel", "h100", "--batch", str(b),
                              "--resolution", "224", "--no-layers", "--json"], capture_output=True, text=True)
        check(out.returncode == 0, out.stderr)
        sims[b] = json.loads(out.stdout)["latency_ms"]
    factors = {1: 1.1, 16: 1.0, 64: 0.9}
    check(factors[1] * sims[1] < sims[16] < factors[64] * sims[64], f"simulated order assumed by the test: {sims}")
    path = os.path.join(tmp, "hand.csv")
    header = "model,builder,resolution_or_seq,batch,mode,device,precision,median_ms,min_ms,max_ms,iters,warmup,status\n"
    with open(path, "w") as f:
        f.write(header)
        for b, factor in factors.items():
            f.write(f"efficientnet-b0,efficientnet_b0,224,{b},eager,cuda,fp16 autocast,{factor * sims[b]!r},,,20,10,"
                    "ok\n")
        f.write("efficientnet-b1,efficientnet_b1,240,1,compile,cuda,fp16 autocast,,,,20,10,failed: x\n")
    r = run("compare", path, "--ridgepoint", ridgepoint, "--json")
    check(r.returncode == 0, r.stderr)
    res = json.loads(r.stdout)
    errors = [row["error"] for row in res["rows"]]
    expected = [1 / 1.1 - 1, 0.0, 1 / 0.9 - 1]
    check(len(errors) == 3 and all(abs(e - x) < 1e-9 for e, x in zip(errors, expected)), f"errors {errors}")
    mode = res["modes"]
    check(list(mode) == ["eager"] and abs(mode["eager"]["mape"] - (0.1 / 1.1 + 0.1 / 0.9) / 3) < 1e-9, f"{mode}")
    check(abs(mode["eager"]["spearman"] - 1) < 1e-9, f"spearman {mode}")
    # A torch.compile row is simulated as a compiled graph (--set lowering.compiled_graph=true), which launches
    # EfficientNet-B0's swish, SE and pooling kernels for the driver's 9.65 us instead of the modern profile's
    # 54 us: measured = that simulation gives error 0, and the eager simulation differs (else the case proves nothing).
    compiled = []
    for extra in ([], ["--set", "lowering.compiled_graph=true"]):
        out = subprocess.run([ridgepoint, "simulate", "efficientnet-b0", "--accel", "h100-modern", "--batch", "1",
                              "--resolution", "224", "--no-layers", "--json", *extra], capture_output=True, text=True)
        check(out.returncode == 0, out.stderr)
        compiled.append(json.loads(out.stdout)["latency_ms"])
    check(compiled[1] < compiled[0], f"compiled graph not faster: {compiled}")
    path = os.path.join(tmp, "compiled.csv")
    with open(path, "w") as f:
        f.write(header + f"efficientnet-b0,efficientnet_b0,224,1,compile,cuda,fp16 autocast,{compiled[1]!r},,,20,10,"
                "ok\n")
    r = run("compare", path, "--ridgepoint", ridgepoint, "--accel", "h100-modern", "--json")
    check(r.returncode == 0, r.stderr)
    rows = json.loads(r.stdout)["rows"]
    check(len(rows) == 1 and abs(rows[0]["error"]) < 1e-9, f"compile row {rows}")
    r = run("compare", os.path.join(tmp, "missing.csv"), "--ridgepoint", ridgepoint)
    check(r.returncode == 2 and "missing.csv" in r.stderr, f"missing file: {r.returncode} {r.stderr!r}")
    # A malformed ok row is one line naming the file, its line and the field, exit 2 (not a traceback).
    for row, text in (("abc", "median_ms 'abc'"), ("0", "median_ms '0'")):
        bad = os.path.join(tmp, "bad.csv")
        with open(bad, "w") as f:
            f.write(header + f"efficientnet-b0,efficientnet_b0,224,1,eager,cuda,fp16,{row},,,20,10,ok\n")
        r = run("compare", bad, "--ridgepoint", ridgepoint)
        lines = r.stderr.strip().splitlines()
        check(r.returncode == 2 and len(lines) == 1 and "bad.csv:2: " + text in lines[0], f"{row}: {r.stderr!r}")
    with open(bad, "w") as f:
        f.write(header + "efficientnet-b0,efficientnet_b0,224,x,eager,cuda,fp16,1.0,,,20,10,ok\n")
    r = run("compare", bad, "--ridgepoint", ridgepoint)
    check(r.returncode == 2 and "bad.csv:2: batch 'x'" in r.stderr, f"batch x: {r.stderr!r}")


def main():
    ridgepoint = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        bad_inputs(tmp)
        compare(tmp, ridgepoint)
        dry_run(tmp)
    print("ok")


if __name__ == "__main__":
    main()
