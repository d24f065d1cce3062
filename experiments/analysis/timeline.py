#!/usr/bin/python3
"""timeline.py TRACE.h5 OUT.{png,svg,pdf}: per-unit timeline of a simulation from /tasks (one row per unit instance that
ran tasks, coloured by task kind) with the fusion groups from /layers on top. The figure is
`ridgepoint plot TRACE.h5 --view timeline` (python/ridgepoint/figures.py); this script is kept for its arguments."""
from trace_io import Parser, Trace, draw, output_figure, run


def main():
    p = Parser(prog="timeline.py", description=__doc__.splitlines()[0])
    p.add_argument("trace", help="HDF5 trace from 'ridgepoint simulate --trace'")
    p.add_argument("out", help="figure to write: .png, .svg or .pdf")
    a = p.parse_args()
    out, _ = output_figure(a.out)
    Trace(a.trace)  # the script's own checks and messages
    draw(a.trace, out, view="timeline")


if __name__ == "__main__":
    run("timeline.py", main)
