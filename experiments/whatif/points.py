"""Shared loader for the what-if plot scripts: the /points table of a `ridgepoint run` output as a dict of numpy
columns with strings decoded, and the figures' module. Run the scripts with /usr/bin/python3 (Debian's h5py, numpy,
matplotlib)."""
import os
import sys

import h5py
import numpy as np


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


def plot_module():
    """ridgepoint.figures (python/ridgepoint/figures.py): from the source tree by its path when this script runs
    there (no built extension, no PYTHONPATH needed), else the installed package (an installed copy of this script,
    PREFIX/share/ridgepoint/experiments, with the Python module on the path)."""
    import importlib
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "ridgepoint", "figures.py")
    if not os.path.isfile(path):
        return importlib.import_module("ridgepoint.figures")
    spec = importlib.util.spec_from_file_location("ridgepoint_figures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
