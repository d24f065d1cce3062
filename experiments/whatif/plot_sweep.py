"""plot_sweep.py RUN.h5 PARAM OUT.{png,svg,pdf}: latency and unit busy fractions of each model against one swept
parameter. With several swept parameters, each combination of the others is its own line (no zig-zags); a
true/false parameter is drawn as two categories; busy fractions are drawn for every unit kind and datapath that
is busy at least 5% somewhere among the compute units and HBM (TPU matrix and vector units, GPU SMs and their
tensor / CUDA cores, HBM)."""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from points import load, usage

FIXED = {"point", "accelerator", "model", "status", "latency_ms", "throughput", "flops", "hbm_bytes",
         "operational_intensity", "efficiency"}

usage("plot_sweep.py RUN.h5 PARAM OUT.{png,svg,pdf}", sys.argv, 4)
p = load(sys.argv[1])
param = sys.argv[2]
if param not in p:
    sys.stderr.write(f"{sys.argv[1]}: no swept parameter '{param}' (columns: {', '.join(p)})\n")
    sys.exit(2)
others = [c for c in p if c not in FIXED and not c.startswith("busy_") and c != param
          and len(set(p[c].tolist())) > 1]
# Compute units, their datapaths and HBM (not the DMA / memory paths, launch or sequencer units).
busy = [c for c in p if c.startswith("busy_") and not c.startswith(("busy_dma_", "busy_mem_", "busy_launch",
                                                                      "busy_sequencer", "busy_l2"))
        and np.nanmax(np.nan_to_num(p[c], nan=0.0)) >= 0.05]
values = sorted(set(p[param].tolist()))
boolean = len(values) == 2 and set(values) == {0.0, 1.0}

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.8))
keys = list(dict.fromkeys(zip(p["accelerator"], p["model"], *(p[c] for c in others))))
for key in keys:
    sel = (p["accelerator"] == key[0]) & (p["model"] == key[1])
    for c, v in zip(others, key[2:]):
        sel &= p[c] == v
    order = np.argsort(p[param][sel], kind="stable")
    xs = p[param][sel][order]
    label = " ".join([key[1]] + [f"{c}={v:g}" if isinstance(v, (float, np.floating)) else f"{c}={v}"
                                 for c, v in zip(others, key[2:])])
    if len(set(p["accelerator"].tolist())) > 1:
        label = f"{key[0]} {label}"
    line = ax1.plot(xs, p["latency_ms"][sel][order], "o-", label=label)[0]
    for i, b in enumerate(busy):
        ax2.plot(xs, p[b][sel][order], ["o-", "x--", "s:", "^-.", "v-", "d--"][i % 6], color=line.get_color(),
                 label=f"{label}: {b[5:]}")
for ax, ylabel in ((ax1, "latency (ms)"), (ax2, "busy fraction")):
    ax.set_xlabel(param)
    ax.set_ylabel(ylabel)
    if boolean:
        ax.set_xticks([0, 1])
        ax.set_xticklabels(["false", "true"])
ax1.legend(fontsize=7)
ax2.legend(fontsize=5, ncol=2)
fig.tight_layout()
fig.savefig(sys.argv[3], dpi=110)
