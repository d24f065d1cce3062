"""Shared loader for the what-if plot scripts: the /points table of a `ridgepoint run` output as a dict of numpy
columns with strings decoded. Run the scripts with /usr/bin/python3 (Debian's h5py, numpy, matplotlib)."""
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
