"""Shared loader for the what-if plot scripts: the /points table of a `ridgepoint run` output as a dict of numpy
columns with strings decoded, and the figures' module. Run the scripts with /usr/bin/python3 (Debian's h5py, numpy,
matplotlib)."""
import os
import sys

import h5py
import numpy as np

# plot_module(): the one loader of ridgepoint.figures, in experiments/analysis/trace_io.py (the same relative
# place in the source tree and in PREFIX/share/ridgepoint/experiments).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "analysis"))
from trace_io import plot_module  # noqa: E402,F401


def load(path):
    try:
        with h5py.File(path, "r") as f:
            table = f["points"][:]
    except (OSError, KeyError) as e:
        sys.stderr.write(f"{path}: not a ridgepoint run output ({e})\n")
        sys.exit(2)
    cols = {}
    for name in table.dtype.names:
        col = table[name]
        if col.dtype.kind == "O":
            col = np.array([v.decode() if isinstance(v, bytes) else str(v) for v in col])
        cols[name] = col
    return cols


def usage(text, argv, count):
    if len(argv) != count:
        sys.stderr.write(f"usage: {text}\n")
        sys.exit(2)
