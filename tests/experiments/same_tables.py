"""same_tables.py A.h5 B.h5: exits non-zero unless both files hold the same tables: the same datasets, each with
the same columns in the same order, the same rows, and the same values (numbers by their bits, NaN equal to NaN;
strings by their text, whether stored fixed-length or variable-length). Attributes are not compared: this is the
check that a refactor kept every result table as it was (the run attributes it adds or renames are not results).
Prints one line per dataset (identical, or the columns that differ)."""
import sys

import h5py
import numpy as np


def text(v):
    return v.decode("utf-8") if isinstance(v, (bytes, np.bytes_)) else str(v)


def column(a):
    if a.dtype.kind in "SOU":
        return [text(v) for v in a]
    return a.view(np.uint8).reshape(len(a), -1) if a.dtype.kind == "f" and len(a) else a


def same(a, b):
    if a.dtype.kind in "SOU" or b.dtype.kind in "SOU":
        return a.dtype.kind in "SOU" and b.dtype.kind in "SOU" and column(a) == column(b)
    if a.dtype != b.dtype:
        return False
    if a.dtype.kind == "f":
        return bool(np.all((a == b) | (np.isnan(a) & np.isnan(b)))) and bool(np.all(np.signbit(a) == np.signbit(b)))
    return bool(np.all(a == b))


def datasets(f):
    out = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: same_tables.py A.h5 B.h5")
    with h5py.File(sys.argv[1], "r") as fa, h5py.File(sys.argv[2], "r") as fb:
        a, b = datasets(fa), datasets(fb)
    if a.keys() != b.keys():
        sys.exit(f"datasets differ: {sorted(a.keys() ^ b.keys())}")
    differ = 0
    for name in sorted(a):
        x, y = a[name], b[name]
        if x.dtype.names != y.dtype.names or x.shape != y.shape:
            print(f"{name}: columns or shape differ: {x.dtype.names} {x.shape} vs {y.dtype.names} {y.shape}")
            differ += 1
            continue
        cols = [c for c in x.dtype.names or [None] if not same(*(np.atleast_1d(z[c] if c else z) for z in (x, y)))]
        if cols:
            print(f"{name}: column(s) {', '.join(map(str, cols))} differ")
            differ += 1
        else:
            print(f"{name}: identical ({x.shape[0] if x.shape else 1} rows, {len(x.dtype.names or [])} columns)")
    sys.exit(1 if differ else 0)


main()
