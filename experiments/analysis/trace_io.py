"""Shared by the analysis scripts: loading Ridgepoint HDF5 traces (schema: docs/traces.md) and the error
convention of the CLI (one line on stderr; exit 2 for bad arguments or unreadable inputs, 1 for other failures).

Run the scripts with Debian's interpreter (/usr/bin/python3), which has h5py, numpy and matplotlib."""
import argparse
import os
import sys


class UsageError(Exception):
    """A bad argument: reported as one line, exit code 2."""


def fail(prog, message, code):
    print(f"{prog}: error: {message}", file=sys.stderr)
    sys.exit(code)


class Parser(argparse.ArgumentParser):
    """argparse with the one-line error convention (argparse itself prints the usage too)."""

    def error(self, message):
        fail(self.prog, message, 2)


def run(prog, main):
    """Runs main(), turning exceptions into one error line: UsageError -> exit 2, anything else -> exit 1."""
    try:
        main()
    except UsageError as e:
        fail(prog, str(e), 2)
    except Exception as e:  # noqa: BLE001 - the CLI contract is one line, never a traceback
        fail(prog, f"failed: {type(e).__name__}: {e}", 1)


def _decode(array):
    """A structured array with its string fields decoded to str: variable-length UTF-8 (h5py gives an object field of
    bytes; traces since the strings became variable-length) or fixed-length bytes (older traces)."""
    import numpy as np
    columns = {}
    for name in array.dtype.names:
        col = array[name]
        if col.dtype.kind == "O":
            col = np.array([v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in col], dtype=str)
        elif col.dtype.kind == "S":
            col = np.char.decode(col, "utf-8")
        columns[name] = col
    out = np.empty(array.shape, dtype=[(name, columns[name].dtype) for name in array.dtype.names])
    for name in array.dtype.names:
        out[name] = columns[name]
    return out


class Trace:
    """One trace: meta (dict of /meta attributes, strings as str) and layers / tasks / units (numpy structured
    arrays, strings decoded)."""

    def __init__(self, path):
        import h5py
        if not os.path.isfile(path):
            raise UsageError(f"no such trace file '{path}'")
        if not h5py.is_hdf5(path):
            raise UsageError(f"'{path}' is not an HDF5 file")
        with h5py.File(path, "r") as f:
            if "meta" not in f or f["meta"].attrs.get("format") != "ridgepoint-trace":
                raise UsageError(f"'{path}' is not a Ridgepoint trace (no /meta with format 'ridgepoint-trace')")
            self.path = path
            self.meta = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f["meta"].attrs.items()}
            self.layers = _decode(f["layers"][()])
            self.tasks = _decode(f["tasks"][()])
            self.units = _decode(f["units"][()])

    def label(self):
        m = self.meta
        return f"{m['model']}\n{m['accelerator']} b{m['batch']}"


FIGURE_FORMATS = ("png", "svg", "pdf")


def output_figure(path):
    """Checks that the figure can be written where asked; returns (path, format), the format (png, svg or pdf)
    taken from the file's extension."""
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise UsageError(f"cannot write '{path}': no such directory '{parent}'")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"cannot write '{path}': directory not writable")
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in FIGURE_FORMATS:
        raise UsageError(f"output '{path}' must end in .png, .svg or .pdf")
    return path, ext


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


def draw(inputs, out, view=None):
    """Draws `inputs` (a trace, or a list of traces side by side) to `out` with ridgepoint.figures; its bad-input
    errors become UsageError."""
    p = plot_module()
    try:
        p.plot(inputs, out, view=view)
    except p.PlotError as e:
        raise UsageError(str(e)) from None


def pyplot():
    """matplotlib.pyplot with the non-interactive Agg backend."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt
