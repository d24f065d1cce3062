#!/usr/bin/python3
"""roofline.py TRACE.h5 OUT.{png,svg,pdf}: every layer (fusion group) of a simulation as a point (operational
intensity I, achieved FLOP/s) under the accelerator's roofline min(peak, I x bandwidth), with the whole network as
a star. Peak and bandwidth come from the trace's /meta (peak_flops, hbm_bandwidth)."""
import numpy as np

from trace_io import Parser, Trace, output_figure, pyplot, run


def main():
    p = Parser(prog="roofline.py", description=__doc__.splitlines()[0])
    p.add_argument("trace", help="HDF5 trace from 'ridgepoint simulate --trace'")
    p.add_argument("out", help="figure to write: .png, .svg or .pdf")
    a = p.parse_args()
    out, fmt = output_figure(a.out)
    t = Trace(a.trace)
    plt = pyplot()
    peak, bw = float(t.meta["peak_flops"]), float(t.meta["hbm_bandwidth"])
    L = t.layers
    ok = (L["operational_intensity"] > 0) & (L["achieved_flops"] > 0)
    ridge = peak / bw
    xs = np.concatenate([L["operational_intensity"][ok], [ridge, float(t.meta["operational_intensity"]) or ridge]])
    grid = np.logspace(np.log10(xs.min() / 3), np.log10(xs.max() * 3), 200)

    fig, ax = plt.subplots(figsize=(8, 5.5))
    ax.loglog(grid, np.minimum(peak, grid * bw), "k-", lw=2, label=f"roofline: peak {peak / 1e12:.0f} TFLOP/s, "
              f"HBM {bw / 1e9:.0f} GB/s")
    for unit in sorted(set(L["unit"][ok])):
        sel = ok & (L["unit"] == unit)
        share = L["flops"][sel] / max(L["flops"].sum(), 1)
        ax.scatter(L["operational_intensity"][sel], L["achieved_flops"][sel], s=15 + 800 * share, alpha=0.6,
                   label=f"{unit} ({sel.sum()} layers)")
    ax.scatter([t.meta["operational_intensity"]], [t.meta["achieved_flops"]], marker="*", s=250, c="red",
               edgecolors="k", zorder=5, label=f"network: E = {t.meta['efficiency']:.2f}")
    ax.axvline(ridge, color="gray", ls=":", lw=1)
    ax.set_xlabel("operational intensity I = W / Q (FLOP/B)")
    ax.set_ylabel("achieved FLOP/s")
    ax.set_title(f"{t.meta['model']} on {t.meta['accelerator']}, batch {t.meta['batch']}: "
                 f"{t.meta['latency_ms']:.3f} ms")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(out, format=fmt, dpi=120)


if __name__ == "__main__":
    run("roofline.py", main)
