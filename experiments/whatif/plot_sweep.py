"""plot_sweep.py RUN.h5 PARAM OUT.{png,svg,pdf}: latency and unit busy fractions of each model against one swept
parameter; now `ridgepoint plot RUN.h5 --x PARAM -o OUT` (python/ridgepoint/figures.py, docs/gallery.md), which this
script runs: keys swept together are one axis, labels carry the parameter's name and unit, legends sit beside the
axes. Kept for its arguments."""
import sys

from points import plot_module, usage

usage("plot_sweep.py RUN.h5 PARAM OUT.{png,svg,pdf}", sys.argv, 4)
p = plot_module()
try:
    p.plot(sys.argv[1], sys.argv[3], x=sys.argv[2])
except p.PlotError as e:
    sys.stderr.write(f"plot_sweep.py: error: {e}\n")
    sys.exit(2)
