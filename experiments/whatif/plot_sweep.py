"""plot_sweep.py RUN.h5 PARAM OUT.png: latency and busy fractions of each model against one swept parameter."""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from points import load, usage

usage("plot_sweep.py RUN.h5 PARAM OUT.png", sys.argv, 4)
p = load(sys.argv[1])
param = sys.argv[2]
if param not in p:
    sys.stderr.write(f"{sys.argv[1]}: no swept parameter '{param}' (columns: {', '.join(p)})\n")
    sys.exit(2)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
for m in dict.fromkeys(p["model"]):
    sel = p["model"] == m
    order = np.argsort(p[param][sel])
    xs = p[param][sel][order]
    ax1.plot(xs, p["latency_ms"][sel][order], "o-", label=m)
    if "busy_matrix" in p:
        ax2.plot(xs, p["busy_matrix"][sel][order], "o-", label=f"{m} matrix")
    if "busy_hbm" in p:
        ax2.plot(xs, p["busy_hbm"][sel][order], "x--", label=f"{m} HBM")
ax1.set_xlabel(param)
ax1.set_ylabel("latency (ms)")
ax1.legend(fontsize=8)
ax2.set_xlabel(param)
ax2.set_ylabel("busy fraction")
ax2.legend(fontsize=6)
fig.tight_layout()
fig.savefig(sys.argv[3], dpi=110)
