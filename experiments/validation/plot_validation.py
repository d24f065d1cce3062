"""plot_validation.py VALIDATE.json OUT.png: simulated vs measured latency scatter (log-log), one colour per
accelerator, with the y = x line and a +/-15% band. VALIDATE.json is `ridgepoint validate --json` output.
Run with /usr/bin/python3 (Debian's matplotlib)."""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

if len(sys.argv) != 3:
    sys.stderr.write("usage: plot_validation.py VALIDATE.json OUT.png\n")
    sys.exit(2)
try:
    data = json.load(open(sys.argv[1]))
    rows = data["rows"]
except (OSError, ValueError, KeyError) as e:
    sys.stderr.write(f"{sys.argv[1]}: not `ridgepoint validate --json` output ({e})\n")
    sys.exit(2)

fig, ax = plt.subplots(figsize=(6.5, 6))
lo = min(min(r["measured_ms"], r["simulated_ms"]) for r in rows) / 1.5
hi = max(max(r["measured_ms"], r["simulated_ms"]) for r in rows) * 1.5
ax.plot([lo, hi], [lo, hi], "k-", lw=0.8, label="simulated = measured")
ax.fill_between([lo, hi], [lo * 0.85, hi * 0.85], [lo * 1.15, hi * 1.15], color="0.9", label="+/-15%")
for acc, marker in (("tpuv3", "o"), ("v100", "s")):
    sel = [r for r in rows if r["accel"] == acc]
    if not sel:
        continue
    s = data["accelerators"][acc]
    ax.scatter([r["measured_ms"] for r in sel], [r["simulated_ms"] for r in sel], marker=marker,
               label=f"{acc}: MAPE {100 * s['mape']:.1f}%, Spearman {s['spearman']:.3f}")
    for r in sel:
        name = r["model"].replace("efficientnet-", "").replace("-relu", "")
        if r["batch"] != data["batch_per_device"]:  # a row of another source, at its own batch (MLPerf's)
            name += f" @{r['batch']}"
        ax.annotate(name, (r["measured_ms"], r["simulated_ms"]), fontsize=6, xytext=(3, -3), textcoords="offset points")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlim(lo, hi)
ax.set_ylim(lo, hi)
sources = sorted({r["source"] for r in rows if r["accel"] in ("tpuv3", "v100")})
other = [s for s in sources if s not in ("table3", "table4")]
ax.set_xlabel("measured latency (ms), Li et al. CVPR 2021" + (" and " + ", ".join(other) if other else ""))
ax.set_ylabel("simulated latency (ms)")
ax.set_title(f"Ridgepoint vs published latencies, batch {data['batch_per_device']}" +
             (" (other rows: @batch)" if other else ""))
ax.legend(fontsize=7, loc="upper left")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=120)
