#!/usr/bin/python3
"""Latency vs proxy accuracy of every sample of a `kind: nas` search, its Pareto front, and the zoo's reference
models (vertical lines at their simulated latency on the same accelerator, batch and resolution).

usage: plot_nas.py SEARCH.h5 [MORE.h5 ...] OUT.png
Several files are drawn in one plot (one colour each), e.g. the efficientnet and efficientnet-x searches.
"""
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "analysis"))
from trace_io import plot_module  # noqa: E402  (the one loader of ridgepoint.figures)

pareto = plot_module().pareto  # the front `ridgepoint plot` draws for a NAS output


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: plot_nas.py SEARCH.h5 [MORE.h5 ...] OUT.png")
    inputs, out = argv[1:-1], argv[-1]
    fig, ax = plt.subplots(figsize=(9, 6))
    target = None
    for k, path in enumerate(inputs):
        try:
            f = h5py.File(path, "r")
            s = f["samples"][:]
        except (OSError, KeyError) as e:
            sys.exit(f"plot_nas.py: {path}: not a nas search output ({e})")
        ok = s[s["feasible"] == 1]
        lat, acc = ok["latency_ms"], ok["accuracy"]
        name = os.path.basename(path)[:-3] if path.endswith(".h5") else os.path.basename(path)
        label = f"{name}: {f.attrs['space']} on {f.attrs['accelerator']} ({len(s)} samples)"
        color = f"C{k}"
        ax.scatter(lat, acc, s=14, alpha=0.6, label=label, color=color)
        front = pareto(lat, acc)
        ax.step(lat[front], acc[front], where="post", color=color, alpha=0.9, linewidth=1.2)
        best = np.argmax(ok["reward"])
        ax.scatter([lat[best]], [acc[best]], marker="*", s=160, color=color, edgecolor="black", zorder=5)
        target = f.attrs["target_latency_ms"]
        # Zoo models at their latency on this search's accelerator and overrides, in the search's colour.
        refs = [(r["name"].decode(), r["latency_ms"]) for r in f["references"][:] if np.isfinite(r["latency_ms"])]
        for i, (ref, x) in enumerate(sorted(refs, key=lambda t: t[1])):
            ax.axvline(x, color=color, linestyle=":", linewidth=0.8)
            ax.text(x, 0.99 - 0.035 * (i + k * len(refs)), " " + ref, fontsize=7, color=color,
                    transform=ax.get_xaxis_transform(), va="top")
    if target is not None:
        ax.axvline(target, color="red", linestyle="--", linewidth=0.8, label=f"target T = {target:g} ms")
    ax.set_xlabel("simulated latency (ms)")
    ax.set_ylabel("proxy accuracy (Fashion-MNIST validation)")
    ax.set_title("NAS samples, Pareto fronts (lines), best reward (stars), zoo models (dotted, per search)")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=120)


if __name__ == "__main__":
    main(sys.argv)
