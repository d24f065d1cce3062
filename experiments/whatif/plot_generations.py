"""plot_generations.py RUN.h5 OUT.png: latency of each model on each accelerator, and each model's speedup from
the first accelerator to the others (the paper's Fig. 4 comparison of EfficientNet and EfficientNet-X); now
`ridgepoint plot RUN.h5 -o OUT` (a `kind: simulate` output; python/ridgepoint/figures.py), which this script runs.
Kept for its arguments."""
import sys

from points import plot_module, usage

usage("plot_generations.py RUN.h5 OUT.png", sys.argv, 3)
p = plot_module()
try:
    p.plot(sys.argv[1], sys.argv[2])
except p.PlotError as e:
    sys.stderr.write(f"plot_generations.py: error: {e}\n")
    sys.exit(2)
