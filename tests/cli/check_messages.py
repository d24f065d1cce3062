#!/usr/bin/python3
"""check_messages.py BINARY CHECK: output checks of issue 26 that a single regex cannot express (something must be
absent, or two outputs must agree). Exits 1 with what is wrong.

  kind-lists   every message that lists the kinds lists exactly the names of the kind table, in its order, as
               `ridgepoint kinds` prints them (kinds/kind.h: no list is hand-written)
  validate     `validate`: no "ratio check" header without rows under it; Spearman only over 5 rows or more
               ("n/a (2 rows)" below), in the text and in --json (null)
  contention   `simulate`: the unit table shows contention per unit beside the sum, and explains it
  fused-swish  README's `--set lowering.fused_swish=true` example changes the result of its model (B0 has swish)
               and would not for efficientnet-x-b0-relu (the example it replaced: no swish to fuse)
"""
import json
import os
import re
import subprocess
import sys

BIN, CHECK = sys.argv[1], sys.argv[2]


def run(*args, code=None):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)
    if code is not None and p.returncode != code:
        sys.exit(f"{' '.join(args)}: exit {p.returncode}, expected {code}\n{p.stderr}")
    return p


def kind_lists():
    table = [line.split()[0] for line in run("kinds", code=0).stdout.splitlines()
             if line and not line.startswith(" ") and not line.startswith("'")]
    # The five kinds of issue 21's table; a kind added later is added here and to the table together.
    assert table == ["simulate", "sweep", "nas", "lacs", "hurricane", "codesign"], table
    expected = ", ".join(table)
    found = {
        "kinds UNKNOWN": run("kinds", "sweeep", code=2).stderr,
        "--help (run's summary)": run("--help", code=0).stdout,
        "run --help": run("run", "--help", code=0).stdout,
    }
    for where, text in found.items():
        lists = re.findall(r"(?:\(kinds: |expected one of: )([a-z, ]+)\)", text)
        if not lists:
            sys.exit(f"{where}: no list of kinds in:\n{text}")
        for got in lists:
            if got.strip() != expected:
                sys.exit(f"{where}: lists kinds '{got.strip()}', the table has '{expected}'")


def validate():
    text = run("validate", code=0).stdout
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("ratio check"):
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if not following.strip() or following.startswith("accelerator "):
                sys.exit(f"validate: an empty 'ratio check' section at line {i + 1}:\n{text}")
    stats = re.findall(r"Spearman (\S+) +\((\d+) rows\)", text)
    assert stats, text
    for value, rows in stats:
        if int(rows) < 5 and value != "n/a":
            sys.exit(f"validate: Spearman {value} over {rows} rows (expected n/a below 5 rows)")
        if int(rows) >= 5 and value == "n/a":
            sys.exit(f"validate: Spearman n/a over {rows} rows")
    # tpuv3's vanilla family is two rows (Li et al.'s and MLPerf's ResNet-50, experiments/validation/corpus.csv): no
    # rank statistic.
    assert re.search(r"family vanilla +MAPE +[\d.]+%   Spearman n/a +\(2 rows\)", text), text
    data = json.loads(run("validate", "--json", code=0).stdout)
    for acc, s in data["accelerators"].items():
        if (s["spearman"] is None) != (s["rows"] < 5):
            sys.exit(f"validate --json: {acc}: spearman {s['spearman']} over {s['rows']} rows")
    assert data["accelerators"]["tpuv3"]["families"]["vanilla"]["spearman"] is None


def contention():
    text = run("simulate", "efficientnet-b0", "--accel", "tpuv3", "--no-layers", code=0).stdout
    header = next((l for l in text.splitlines() if l.startswith("unit ")), "")
    assert "contention ms / unit" in header and "summed ms" in header, header
    hbm = next(l for l in text.splitlines() if l.startswith("hbm "))
    count, _, per, summed = hbm.split()[1:5]
    # The per-unit figure is the summed one over the 32 channels (to the 3 decimals printed).
    assert abs(float(per) * int(count) - float(summed)) <= 0.0005 * int(count) + 0.0005, hbm
    assert "HBM: per channel" in text, text


def fused_swish():
    def latency(model, fused):
        out = run("simulate", model, "--accel", "v100", "--set", f"lowering.fused_swish={fused}", "--json", code=0)
        return json.loads(out.stdout)["latency_ms"]
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md")).read()
    assert "$R simulate efficientnet-b0 --accel v100 --set lowering.fused_swish=true" in readme
    assert latency("efficientnet-b0", "true") < 0.9 * latency("efficientnet-b0", "false")  # 25.1 vs 38.1 ms
    assert latency("efficientnet-x-b0-relu", "true") == latency("efficientnet-x-b0-relu", "false")


{"kind-lists": kind_lists, "validate": validate, "contention": contention, "fused-swish": fused_swish}[CHECK]()
print(f"{CHECK}: ok")
