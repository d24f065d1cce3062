#!/usr/bin/python3
"""timeline.py TRACE.h5 OUT.{png,svg,pdf}: per-unit timeline of a simulation from /tasks (one row per unit instance that
ran tasks, coloured by task kind) with the fusion groups from /layers on top."""
import numpy as np

from trace_io import Parser, Trace, output_figure, pyplot, run

COLORS = {"compute": "tab:blue", "load": "tab:green", "store": "tab:orange", "dispatch": "tab:gray",
          "l2_load": "tab:purple"}
OTHER = "tab:brown"


def main():
    p = Parser(prog="timeline.py", description=__doc__.splitlines()[0])
    p.add_argument("trace", help="HDF5 trace from 'ridgepoint simulate --trace'")
    p.add_argument("out", help="figure to write: .png, .svg or .pdf")
    a = p.parse_args()
    out, fmt = output_figure(a.out)
    t = Trace(a.trace)
    plt = pyplot()
    T = t.tasks
    used = sorted(set(int(u) for u in T["unit"]))
    names = [t.units["name"][u] for u in used]
    fig, ax = plt.subplots(figsize=(12, 1.2 + 0.35 * (len(used) + 1)))
    for row, u in enumerate(used):
        mine = T[T["unit"] == u]
        for kind in sorted(set(mine["kind"])):
            k = mine[mine["kind"] == kind]
            bars = np.stack([k["start_ms"], k["end_ms"] - k["start_ms"]], axis=1)
            ax.broken_barh(bars, (row - 0.4, 0.8), color=COLORS.get(kind, OTHER), linewidth=0)
    top = len(used)
    for i, l in enumerate(t.layers):
        ax.broken_barh([(l["start_ms"], l["end_ms"] - l["start_ms"])], (top - 0.4, 0.8),
                       color="0.55" if i % 2 else "0.8", linewidth=0)
    ax.set_yticks(range(top + 1))
    ax.set_yticklabels(names + ["fusions"], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, float(t.meta["latency_ms"]))
    ax.set_xlabel("time (ms)")
    ax.set_title(f"{t.meta['model']} on {t.meta['accelerator']}, batch {t.meta['batch']}: "
                 f"{t.meta['latency_ms']:.3f} ms, {len(T)} tasks")
    kinds = [k for k in COLORS if k in set(T["kind"])] + sorted(set(T["kind"]) - set(COLORS))
    handles = [plt.Rectangle((0, 0), 1, 1, color=COLORS.get(k, OTHER)) for k in kinds]
    ax.legend(handles, kinds, fontsize=8, loc="upper right", ncol=len(kinds))
    fig.tight_layout()
    fig.savefig(out, format=fmt, dpi=120)


if __name__ == "__main__":
    run("timeline.py", main)
