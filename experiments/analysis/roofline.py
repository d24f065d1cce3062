#!/usr/bin/python3
"""roofline.py TRACE.h5 OUT.{png,svg,pdf}: every layer (fusion group) of a simulation as a point (operational
intensity I, achieved FLOP/s) under the accelerator's roofline min(peak, I x bandwidth), with the whole network as
a star. Peak and bandwidth come from the trace's /meta (peak_flops, hbm_bandwidth). The figure is
`ridgepoint plot TRACE.h5 --view roofline` (python/ridgepoint/figures.py); this script is kept for its arguments."""
from trace_io import Parser, Trace, draw, output_figure, run


def main():
    p = Parser(prog="roofline.py", description=__doc__.splitlines()[0])
    p.add_argument("trace", help="HDF5 trace from 'ridgepoint simulate --trace'")
    p.add_argument("out", help="figure to write: .png, .svg or .pdf")
    a = p.parse_args()
    out, _ = output_figure(a.out)
    Trace(a.trace)  # the script's own checks and messages
    draw(a.trace, out, view="roofline")


if __name__ == "__main__":
    run("roofline.py", main)
