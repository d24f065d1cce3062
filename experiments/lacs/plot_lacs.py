#!/usr/bin/python3
"""Latency vs accuracy of LACS runs' generated families and of the zoo families on the same accelerator.

usage: /usr/bin/python3 experiments/lacs/plot_lacs.py RUN.h5 [RUN2.h5 ...] OUT.png
Writes OUT.png and OUT.svg. Each run contributes its /family curves ("lacs" and "accuracy-only", phi = 0..P,
accuracy from the run's accuracy signal; each member's network file is RUN.files/<family>-phi<k>.yaml, named in
/family's yaml column); the first run's /zoo table adds EfficientNet, EfficientNet-X, X-tpu and X-gpu B0..B7
(published top-1 where there is one, filled markers; else the surrogate's estimate, open).
"""
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs, out = sys.argv[1:-1], sys.argv[-1]
    fig, ax = plt.subplots(figsize=(8, 5.5))
    first = h5py.File(runs[0])
    zoo = first["zoo"][:]
    styles = {"efficientnet": ("tab:gray", "s"), "efficientnet-x": ("tab:olive", "D"),
              "efficientnet-x-tpu": ("tab:purple", "^"), "efficientnet-x-gpu": ("tab:brown", "v")}
    for fam, (color, marker) in styles.items():
        z = zoo[np.array([text(f) == fam for f in zoo["family"]])]
        pub = z["published_top1"]
        acc = np.where(np.isnan(pub), z["surrogate_top1"], pub)
        ax.plot(z["latency_ms"], acc, color=color, lw=0.8, alpha=0.7)
        has = ~np.isnan(pub)
        if has.any():
            ax.scatter(z["latency_ms"][has], acc[has], color=color, marker=marker, s=22,
                       label=f"zoo {fam} (published top-1)")
        if (~has).any():
            ax.scatter(z["latency_ms"][~has], acc[~has], facecolors="none", edgecolors=color, marker=marker, s=22,
                       label=f"zoo {fam} (surrogate)")
    colors = iter(["tab:red", "tab:blue", "tab:green", "tab:orange", "tab:cyan", "tab:pink"])
    for path in runs:
        f = h5py.File(path)
        fam = f["family"][:]
        tag = os.path.basename(path).removesuffix(".h5")
        for name in ("lacs", "accuracy-only"):
            m = fam[np.array([text(x) == name for x in fam["family"]])]
            if len(m) == 0:
                continue
            c = next(colors)
            label = "%s %s (%.3g, %.3g, %.3g)" % (tag, name, m["alpha"][0], m["beta"][0], m["gamma"][0])
            ax.plot(m["latency_ms"], m["accuracy"], "-o", color=c, ms=4, label=label)
    ax.set_xscale("log")
    ax.set_xlabel("simulated latency (ms) on %s, batch %s" % (
        text(first.attrs["accelerator"]), text(first.attrs["experiment"]).split("batch: ")[1].split("\n")[0]))
    method = text(first.attrs["accuracy_method"])
    ax.set_ylabel("ImageNet top-1 (%%): %s" % ("surrogate estimate" if method.startswith("surrogate") else method))
    ax.set_title("LACS families vs zoo families (%s)" % text(first.attrs["base"]))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    fig.savefig(os.path.splitext(out)[0] + ".svg")
    print("wrote", out, "and", os.path.splitext(out)[0] + ".svg")


if __name__ == "__main__":
    main()
