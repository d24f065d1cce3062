"""check_validation.py RIDGEPOINT [--update | --loo ACCEL]: runs `ridgepoint validate --json` and checks
 1. fidelity thresholds of issue 5, per accelerator: MAPE <= 15%, Spearman >= 0.95, and the EfficientNet-X-B0
    speedup over EfficientNet-B0 within 15% of the measured ratio (1.54 on TPUv3, 1.69 on V100); v100-modern's
    MAPE <= 15% on the rows it was fitted on (corpus.csv use = fit);
 2. regression: every row's simulated latency within 1% of tests/validation/reference.json, and each
    accelerator's MAPE (and each accelerator's whole-corpus MAPE) within 0.5 percentage points of it. A model change
    that moves a validation figure further fails here; if the move is intended, rerun with --update and say why in the commit.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "reference.json")
ROW_TOLERANCE = 0.01
MAPE_TOLERANCE = 0.005

binary = sys.argv[1]


def row_key(r):
    """accel/model@batch, with /seqN for a row at a stated sequence length (transformers), /DTYPE for a row
    simulated in another precision than its accelerator's (corpus.csv's dtype: pycls's fp32 rows) and /KEY=VALUE for
    each stack switch the row sets (corpus.csv's stack_set: the GPU rows measured under XLA
    or TensorFlow's executor)."""
    return (f"{r['accel']}/{r['model']}@{r['batch']}" + (f"/seq{r['seq_len']}" if r.get("seq_len") else "")
            + (f"/{r['dtype']}" if r.get("dtype") else "") + "".join(f"/{kv}" for kv in r.get("stack_set", [])))


if "--loo" in sys.argv:
    # 3. Leave-one-out (issue 5: at most 20%): refit without each row and predict it. One coordinate-descent sweep
    # per fit, half the shipped fits' two, keeps the test at half the time: measured on the development machine,
    # tpuv3 9.9% in 20 s (2 sweeps: 10.0% in 46 s), v100 5.9% in 28 s (5.5% in 55 s), both far under 20%.
    acc = sys.argv[sys.argv.index("--loo") + 1]
    out = subprocess.run([binary, "calibrate", "--accel", acc, "--loo", "--sweeps", "1"], capture_output=True,
                         text=True)
    if out.returncode != 0:
        sys.exit(f"calibrate failed: {out.stderr}")
    line = [l for l in out.stdout.splitlines() if l.startswith("leave-one-out MAPE")]
    if not line:
        sys.exit(f"no leave-one-out figure in: {out.stdout}")
    loo = float(line[0].split()[2].rstrip("%"))
    print(f"{acc}: {line[0]}")
    sys.exit(0 if loo <= 20.0 else f"{acc}: leave-one-out MAPE {loo}% > 20%")
    # The issue-5 threshold also holds for the modern profile (tests/validation/CMakeLists.txt runs it for
    # v100-modern too).

out = subprocess.run([binary, "validate", "--json"], capture_output=True, text=True)
if out.returncode != 0:
    sys.exit(f"validate failed: {out.stderr}")
data = json.loads(out.stdout)

if "--update" in sys.argv:
    ref = {"rows": {row_key(r): r["simulated_ms"] for r in data["rows"]},
           "mape": {a: s["mape"] for a, s in data["accelerators"].items()},
           "corpus_mape": {a: s["mape"] for a, s in data["corpus"].items()}}
    json.dump(ref, open(REFERENCE, "w"), indent=1, sort_keys=True)
    print(f"wrote {REFERENCE}")
    sys.exit(0)

failures = []
for acc, s in data["accelerators"].items():
    # Rank statistics only over 5 rows or more (validate.h kMinRankRows): null below, a number from 5 on.
    if (s["spearman"] is None) != (s["rows"] < 5):
        failures.append(f"{acc}: Spearman {s['spearman']} over {s['rows']} rows (expected null below 5 rows only)")
    # The modern profile, on the rows it was fitted on (issue 11); its held-out rows (corpus.csv use = held-out:
    # ResNeXt, SE-ResNeXt, ...) are reported, not thresholded: they measure generalization (docs/validation.md).
    if acc == "v100-modern" and s["mape_fit"] > 0.15:
        failures.append(f"{acc}: MAPE on the fitted rows {100 * s['mape_fit']:.1f}% > 15%")
    if s["rows_fit"] and s["rows_held_out_or_predicted"] and s["mape_held_out_or_predicted"] is None:
        failures.append(f"{acc}: no MAPE for its held-out rows")
    if acc not in ("tpuv3", "v100"):
        continue  # modern-stack rows and A100 predictions: no paper ratios; predictions are reported, not thresholded
    if s["mape"] > 0.15:
        failures.append(f"{acc}: MAPE {100 * s['mape']:.1f}% > 15%")
    if s["spearman"] < 0.95:
        failures.append(f"{acc}: Spearman {s['spearman']:.3f} < 0.95")
    speedup = [c for c in s["ratios"] if c["name"].startswith("EfficientNet-X-B0 speedup")]
    if not speedup:
        failures.append(f"{acc}: no X-B0 / B0 ratio")
    elif abs(speedup[0]["error"]) > 0.15:
        failures.append(f"{acc}: X-B0 speedup {speedup[0]['simulated']:.2f} vs measured {speedup[0]['measured']:.2f}")

ref = json.load(open(REFERENCE))
for r in data["rows"]:
    key = row_key(r)
    if key not in ref["rows"]:
        failures.append(f"{key}: not in the reference")
        continue
    moved = abs(r["simulated_ms"] - ref["rows"][key]) / ref["rows"][key]
    if moved > ROW_TOLERANCE:
        failures.append(f"{key}: {r['simulated_ms']:.3f} ms, reference {ref['rows'][key]:.3f} ms ({100 * moved:.1f}%)")
for acc, s in data["accelerators"].items():
    if acc in ref["mape"] and abs(s["mape"] - ref["mape"][acc]) > MAPE_TOLERANCE:
        failures.append(f"{acc}: MAPE {100 * s['mape']:.2f}%, reference {100 * ref['mape'][acc]:.2f}%")
for acc, s in data["corpus"].items():  # the whole corpus per accelerator (every group)
    if acc in ref.get("corpus_mape", {}) and abs(s["mape"] - ref["corpus_mape"][acc]) > MAPE_TOLERANCE:
        failures.append(f"{acc} (whole corpus): MAPE {100 * s['mape']:.2f}%, reference {100 * ref['corpus_mape'][acc]:.2f}%")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("validation within thresholds and reference:",
      ", ".join(f"{a} MAPE {100 * s['mape']:.1f}% Spearman "
                + (f"{s['spearman']:.3f}" if s["spearman"] is not None else f"n/a ({s['rows']} rows)")
                for a, s in data["accelerators"].items()))
