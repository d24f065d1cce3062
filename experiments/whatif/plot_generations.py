"""plot_generations.py RUN.h5 OUT.png: latency of each model on each accelerator, and each model's speedup from
the first accelerator to the others (the paper's Fig. 4 comparison of EfficientNet and EfficientNet-X)."""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from points import load, usage

usage("plot_generations.py RUN.h5 OUT.png", sys.argv, 3)
p = load(sys.argv[1])
accs = list(dict.fromkeys(p["accelerator"]))
models = list(dict.fromkeys(p["model"]))
lat = {(a, m): l for a, m, l in zip(p["accelerator"], p["model"], p["latency_ms"])}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5))
x = np.arange(len(models))
for i, a in enumerate(accs):
    ax1.bar(x + i * 0.8 / len(accs), [lat[(a, m)] for m in models], 0.8 / len(accs), label=a)
ax1.set_yscale("log")
ax1.set_xticks(x + 0.4, models, rotation=70, fontsize=7)
ax1.set_ylabel("latency (ms)")
ax1.legend()
for a in accs[1:]:
    ax2.plot(range(len(models)), [lat[(accs[0], m)] / lat[(a, m)] for m in models], "o-", label=f"{accs[0]} -> {a}")
ax2.set_xticks(range(len(models)), models, rotation=70, fontsize=7)
ax2.set_ylabel("speedup")
ax2.legend()
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
