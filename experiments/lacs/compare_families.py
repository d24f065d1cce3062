#!/usr/bin/python3
"""Prints a markdown summary of LACS runs: coefficients, and each family's latency at matched accuracy.

usage: /usr/bin/python3 experiments/lacs/compare_families.py RUN.h5 [RUN2.h5 ...]
For every member phi >= 1 of the "lacs" family, the latency of the "accuracy-only" family at the same accuracy
(interpolated linearly in log latency between its members) and the speedup; B0 (phi 0) is the same network in both.
The members' network files are in RUN.files/ (lacs-phi<k>.yaml, accuracy-only-phi<k>.yaml). A top-1 marked * is
the surrogate's extrapolation (the member's `extrapolated` column: outside the multipliers its fit rows cover).
"""
import sys

import h5py
import numpy as np


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def star(member):
    names = member.dtype.names
    return "*" if "extrapolated" in names and member["extrapolated"] else ""


def main():
    for path in sys.argv[1:]:
        f = h5py.File(path)
        fam = f["family"][:]
        grid = f["grid"][:]
        lacs = fam[np.array([text(x) == "lacs" for x in fam["family"]])]
        acc = fam[np.array([text(x) == "accuracy-only" for x in fam["family"]])]
        print("### %s: %s on %s, %s" % (path, text(f.attrs["base"]), text(f.attrs["accelerator"]),
                                        text(f.attrs["accuracy_method"])))
        print()
        print("%d grid points; base latency %.3f ms, target %.3f ms" % (
            len(grid), f.attrs["base_latency_ms"], f.attrs["target_latency_ms"]))
        for name, m in (("lacs", lacs), ("accuracy-only", acc)):
            if len(m):
                print("- %s coefficients (alpha, beta, gamma) = (%.3g, %.3g, %.3g)" % (
                    name, m["alpha"][0], m["beta"][0], m["gamma"][0]))
        print()
        if not len(lacs) or not len(acc):
            continue
        print("| phi | LACS blocks, res | LACS ms | top-1 | acc-only blocks, res | acc-only ms | top-1 | "
              "acc-only ms at LACS top-1 | speedup |")
        print("|---|---|---|---|---|---|---|---|---|")
        order = np.argsort(acc["accuracy"])
        xs, ys = acc["accuracy"][order], np.log(acc["latency_ms"][order])
        for a, b in zip(lacs, acc):
            matched = np.exp(np.interp(a["accuracy"], xs, ys)) if xs[0] <= a["accuracy"] <= xs[-1] else float("nan")
            print("| %d | %d, %d | %.2f | %.2f%s | %d, %d | %.2f | %.2f%s | %.2f | %.2fx |" % (
                a["phi"], a["layers"], a["resolution"], a["latency_ms"], a["accuracy"], star(a), b["layers"],
                b["resolution"], b["latency_ms"], b["accuracy"], star(b), matched, matched / a["latency_ms"]))
        print()
        print("\\* extrapolated: outside the multipliers the surrogate's fit rows cover")
        print()


if __name__ == "__main__":
    main()
