#!/usr/bin/python3
"""compare.py OUT.{png,svg,pdf} TRACE.h5 [TRACE.h5 ...]: latency and per-unit-kind busy fractions of several simulations
side by side (busy fraction of a kind = its summed busy time / (instances x channels x latency)), one colour per
unit kind. The figure is `ridgepoint plot A.h5 B.h5 -o OUT` (python/ridgepoint/figures.py); this script is kept for
its arguments."""
from trace_io import Parser, Trace, draw, output_figure, run


def main():
    p = Parser(prog="compare.py", description=__doc__.splitlines()[0])
    p.add_argument("out", help="figure to write: .png, .svg or .pdf")
    p.add_argument("traces", nargs="+", help="HDF5 traces from 'ridgepoint simulate --trace'")
    a = p.parse_args()
    out, _ = output_figure(a.out)
    for path in a.traces:
        Trace(path)  # the script's own checks and messages
    draw(list(a.traces), out)


if __name__ == "__main__":
    run("compare.py", main)
