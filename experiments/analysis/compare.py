#!/usr/bin/python3
"""compare.py OUT.{png,svg,pdf} TRACE.h5 [TRACE.h5 ...]: latency and per-unit-kind busy fractions of several simulations
side by side (busy fraction of a kind = its summed busy time / (instances x channels x latency))."""
import numpy as np

from trace_io import Parser, Trace, output_figure, pyplot, run


def busy_by_kind(t):
    latency = float(t.meta["latency_ms"])
    out = {}
    for kind in dict.fromkeys(t.units["kind"]):  # first-seen order
        u = t.units[t.units["kind"] == kind]
        capacity = u["channels"].sum() * latency
        out[kind] = u["busy_ms"].sum() / capacity if capacity > 0 else 0.0
    return out


def main():
    p = Parser(prog="compare.py", description=__doc__.splitlines()[0])
    p.add_argument("out", help="figure to write: .png, .svg or .pdf")
    p.add_argument("traces", nargs="+", help="HDF5 traces from 'ridgepoint simulate --trace'")
    a = p.parse_args()
    out, fmt = output_figure(a.out)
    traces = [Trace(path) for path in a.traces]
    plt = pyplot()
    labels = [t.label() for t in traces]
    busy = [busy_by_kind(t) for t in traces]
    kinds = list(dict.fromkeys(k for b in busy for k in b))

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(5 + 2.2 * len(traces), 5), gridspec_kw={"width_ratios": [1, 2]})
    x = np.arange(len(traces))
    lat = [float(t.meta["latency_ms"]) for t in traces]
    bars = ax1.bar(x, lat, color="tab:blue")
    ax1.bar_label(bars, fmt="%.3f", fontsize=8)
    ax1.set_xticks(x)
    ax1.set_xticklabels(labels, fontsize=8)
    ax1.set_ylabel("latency (ms)")
    ax1.set_title("latency")
    width = 0.8 / max(1, len(kinds))
    for i, k in enumerate(kinds):
        ax2.bar(x + (i - (len(kinds) - 1) / 2) * width, [b.get(k, 0.0) for b in busy], width, label=k)
    ax2.set_xticks(x)
    ax2.set_xticklabels(labels, fontsize=8)
    ax2.set_ylim(0, 1)
    ax2.set_ylabel("busy fraction")
    ax2.set_title("unit busy fraction")
    ax2.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(out, format=fmt, dpi=120)


if __name__ == "__main__":
    run("compare.py", main)
