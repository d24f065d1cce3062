"""h5_content.py A.h5 B.h5 [...]: exits non-zero unless every file holds the same content as the first: the same
groups, datasets and attributes, each dataset with the same dtype, shape and values byte for byte (numbers by
their bits, strings by their bytes). Files are compared by content, not as files: HDF5 also stores object
modification times. Prints the first difference. None of the tool's outputs holds a wall time or timestamp; a
future one must keep them out of the tables (an attribute listed here as volatile)."""
import sys

import h5py
import numpy as np

VOLATILE = set()  # attribute names excluded from the comparison (none today)


def value(x):
    """A comparable, hashable form of an attribute or dataset value."""
    if isinstance(x, np.ndarray):
        if x.dtype.names:
            return ("compound", str(x.shape), tuple((n, value(x[n])) for n in x.dtype.names))
        if x.dtype.kind == "O":
            return ("objects", str(x.shape), tuple(v.encode() if isinstance(v, str) else bytes(v) for v in x.ravel()))
        return (x.dtype.str, str(x.shape), x.tobytes())
    if isinstance(x, np.generic):
        return (x.dtype.str, x.tobytes())
    if isinstance(x, str):
        return ("str", x.encode())
    return (type(x).__name__, bytes(x) if isinstance(x, bytes) else repr(x))


def content(path):
    out = {}

    def visit(name, obj):
        for k in sorted(obj.attrs):
            if k not in VOLATILE:
                out[f"{name}@{k}"] = value(obj.attrs[k])
        if isinstance(obj, h5py.Dataset):
            out[name] = (str(obj.dtype), value(obj[()]))

    with h5py.File(path, "r") as f:
        visit("/", f)
        f.visititems(visit)
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: h5_content.py A.h5 B.h5 [...]")
    first = content(sys.argv[1])
    for other in sys.argv[2:]:
        c = content(other)
        if c.keys() != first.keys():
            sys.exit(f"{other}: objects differ from {sys.argv[1]}: {sorted(c.keys() ^ first.keys())}")
        for k in sorted(first):
            if c[k] != first[k]:
                sys.exit(f"{other}: {k} differs from {sys.argv[1]}")
    print(f"{len(sys.argv) - 1} files identical ({len(first)} datasets and attributes)")


main()
