"""compare_h5.py A.h5 B.h5 [...]: exits non-zero unless every /points table equals the first (same columns, rows,
values; NaN equal to NaN)."""
import sys

import h5py
import numpy as np

first = h5py.File(sys.argv[1], "r")["points"][:]
for other in sys.argv[2:]:
    t = h5py.File(other, "r")["points"][:]
    if t.dtype != first.dtype or len(t) != len(first):
        sys.exit(f"{other}: columns or row count differ from {sys.argv[1]}")
    for name in first.dtype.names:
        a, b = first[name], t[name]
        same = (a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind == "f" else (a == b)
        if not np.all(same):
            sys.exit(f"{other}: column {name} differs from {sys.argv[1]}")
print(f"{len(sys.argv) - 1} tables identical, {len(first)} rows")
