#!/usr/bin/python3
"""Experiment (b) of docs/nas.md: which activation does the search pick per block type, and what does each choice
cost on the simulator.

usage: activation_report.py RIDGEPOINT SEARCH.h5 [SEARCH.h5 ...]
 1. The simulator alone: EfficientNet-X-B0's blocks with ReLU everywhere, swish in the fused blocks only (the
    paper's TPU choice), swish in the depthwise blocks only, and swish everywhere, on TPUv3, V100 and V100 with
    lowering.fused_swish=true (batch 128).
 2. Each search (efficientnet-x space): the share of swish among fused and among depthwise blocks, over all
    feasible samples, over the second half of the samples (what the controller learned), and in the best
    architecture. Prints markdown tables.
"""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

XB0 = [  # efficientnet_x_builder.py X-B0 without activation flags; fused blocks are 1 and 2
    "r1_k3_s11_e1_i32_o16_se0.25_d1", "r2_k3_s22_e6_i16_o24_se0.25_f1_d2", "r2_k5_s22_e6_i24_o40_se0.25_f1",
    "r3_k3_s22_e6_i40_o80_se0.25", "r3_k5_s11_e6_i80_o112_se0.25", "r4_k5_s22_e6_i112_o192_se0.25",
    "r1_k3_s11_e6_i192_o320_se0.25"]
VARIANTS = {"relu everywhere": lambda fused: 0, "swish in fused blocks": lambda fused: int(fused),
            "swish in depthwise blocks": lambda fused: int(not fused), "swish everywhere": lambda fused: 1}
ACCELS = [("tpuv3", []), ("v100", []), ("v100 fused swish", ["--set", "lowering.fused_swish=true"])]


def simulate(ridgepoint, path, accel, extra):
    cmd = [ridgepoint, "simulate", path, "--accel", accel.split()[0], "--batch", "128", "--json"] + extra
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["latency_ms"]


def costs(ridgepoint):
    print("| X-B0 blocks | " + " | ".join(a for a, _ in ACCELS) + " |")
    print("|---|" + "---|" * len(ACCELS))
    with tempfile.TemporaryDirectory() as d:
        for name, act in VARIANTS.items():
            path = os.path.join(d, "v.yaml")
            blocks = [b + "_a%d" % act("_f1" in b) for b in XB0]
            with open(path, "w") as f:
                f.write("resolution: 224\nactivation: relu\nse_coefficient: 4\n"
                        "stem: {filters: 32, activation: swish}\n"
                        "head: {filters: 1280, classes: 1000, activation: relu}\n"
                        "blocks:\n" + "".join("  - %s\n" % b for b in blocks))
            lat = [simulate(ridgepoint, path, a, e) for a, e in ACCELS]
            print("| %s | %s |" % (name, " | ".join("%.2f ms" % x for x in lat)))


def swish_share(archs):
    """(swish share among fused blocks, count), (among depthwise blocks, count) over canonical arch texts."""
    n = {"fused": [0, 0], "dw": [0, 0]}
    for a in archs:
        for block in a.split(",")[1:]:
            t = block.split("_")
            n[t[5]][0] += t[6] == "swish"
            n[t[5]][1] += 1
    return {k: (v[0] / v[1] if v[1] else float("nan"), v[1]) for k, v in n.items()}


def searches(files):
    print("| search | samples | swish share: fused / depthwise blocks, all samples | second half "
          "| best architecture (reward) |")
    print("|---|---|---|---|---|")
    for path in files:
        f = h5py.File(path, "r")
        s = f["samples"][:]
        ok = s[s["feasible"] == 1]
        archs = [a.decode() for a in ok["arch"]]
        half = [a.decode() for a in ok[ok["step"] >= len(s) // 2]["arch"]]
        best = ok[np.argmax(ok["reward"])]
        fmt = lambda d: "%.0f%% / %.0f%%" % (100 * d["fused"][0], 100 * d["dw"][0])
        bs = swish_share([best["arch"].decode()])
        print("| %s | %d | %s | %s | `%s` (%.4f; fused swish %d/%d, dw swish %d/%d) |" % (
            os.path.basename(path), len(s), fmt(swish_share(archs)), fmt(swish_share(half)), best["arch"].decode(),
            best["reward"], round(bs["fused"][0] * bs["fused"][1]) if bs["fused"][1] else 0, bs["fused"][1],
            round(bs["dw"][0] * bs["dw"][1]) if bs["dw"][1] else 0, bs["dw"][1]))


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: activation_report.py RIDGEPOINT [SEARCH.h5 ...]")
    costs(argv[1])
    print()
    if len(argv) > 2:
        searches(argv[2:])


if __name__ == "__main__":
    main(sys.argv)
