#!/usr/bin/env python3
"""One line per HURRICANE run (docs/hurricane.md): space size, supernet training images per stage, candidates the
search scored, and the winner's latency, supernet accuracy and accuracy when retrained from scratch; then the
winner's ops and its network file (RUN.files/winner.yaml, beside RUN.h5).
Usage: summarize.py RUN.h5 [RUN.h5 ...]"""
import sys

import h5py
import numpy as np


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)  # h5py gives bytes for strings inside a table's rows


def main(paths):
    print(f"{'run':28} {'accel':6} {'limit':>6} {'space':>9} {'train img':>14} {'scored':>7} "
          f"{'a_win0 ms':>9} {'winner ms':>9} {'supernet':>8} {'retrain val':>11} {'test':>6}   (top-1, %)")
    for p in paths:
        f = h5py.File(p, "r")
        a = f.attrs
        stages = sorted(k for k in f.keys() if k.startswith("stage"))
        imgs = "+".join(str(int(a[s + "_train_images"])) for s in stages)
        scored = sum(int((f[s][:]["feasible"] == 1).sum()) for s in stages)
        r = f["result"][:]
        w = r[-1]
        name = p.rsplit("/", 1)[-1].removesuffix(".h5")
        print(f"{name:28} {a['accelerator']:6} {a['latency_constraint_ms']:6.1f} {a['space_size']:9.3g} {imgs:>14} "
              f"{scored:7d} {r[0]['latency_ms']:9.2f} {w['latency_ms']:9.2f} {100 * w['supernet_accuracy']:7.2f}% "
              f"{100 * w['retrain_val_accuracy']:10.2f}% {100 * w['retrain_test_accuracy']:5.2f}%")
        print(f"  winner {text(w['label'])}: {text(w['arch'])} ({p.removesuffix('.h5')}.files/winner.yaml)")
        if "stage2" in f:
            stage2(r, f["stage2"][:], a)


def stage2(result, rows, attrs):
    """What stage 2 did: a_win1's supernet accuracy with stage 1's weights, with the fine-tuned ones (the guard's
    attribute; before the guard, the first row of /stage2, which starts from a_win1), what the guard did, and the
    layers a_win2 changed."""
    w1, w2 = result[1], result[2]
    ops1, ops2 = text(w1["arch"]).split(","), text(w2["arch"]).split(",")
    changed = [i for i, (x, y) in enumerate(zip(ops1, ops2)) if x != y]
    start = [x for x in rows if text(x["arch"]) == text(w1["arch"])]
    if "stage2_win1_fine_tuned" in attrs:
        tuned = f"{100 * attrs['stage2_win1_fine_tuned']:.2f}%"
        guard = ("; guard: its first t layers' ops put back" if attrs["stage2_win1_restored"]
                 else "; guard: fine-tuned weights kept")
        guard += f", a_win1 then {100 * start[0]['supernet_accuracy']:.2f}%" if start else ""
    else:
        tuned = f"{100 * start[0]['supernet_accuracy']:.2f}%" if start else "not drawn"
        guard = ""
    print(f"  stage 2: a_win1 {100 * w1['supernet_accuracy']:.2f}% with stage-1 weights, {tuned} fine-tuned{guard}; "
          f"a_win2 {100 * w2['supernet_accuracy']:.2f}%, changed layers: {','.join(map(str, changed)) or 'none'}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
