"""check_h5py.py TRACE.h5: h5py reads every dataset and attribute of a Ridgepoint trace and decodes every string
(and pandas builds DataFrames from the tables, when /usr/bin/python3 has pandas). Run with /usr/bin/python3."""
import sys

import h5py
import numpy as np


def text(column):
    """A string column (variable-length UTF-8: h5py gives bytes objects) as an array of str."""
    return np.array([v.decode("utf-8") for v in column], dtype=str)


path = sys.argv[1]
with h5py.File(path, "r") as f:
    assert set(f.keys()) == {"meta", "layers", "tasks", "units", "unit_summary"}, list(f.keys())
    meta = f["meta"].attrs
    for key in ("format", "tool", "tool_version", "model", "accelerator", "family", "precision", "command",
                "accelerator_yaml", "network"):
        assert isinstance(meta[key], str), (key, type(meta[key]))  # variable-length UTF-8: h5py gives str
    assert meta["format"] == "ridgepoint-trace" and meta["format_version"] == 1
    assert "family:" in meta["accelerator_yaml"] and "layers:" in meta["network"]
    try:
        import yaml
        net = yaml.safe_load(meta["network"])
        assert net["name"] == meta["model"] and net["batch"] == meta["batch"], net["name"]
        assert yaml.safe_load(meta["accelerator_yaml"])["name"] == meta["accelerator"]
    except ImportError:
        pass
    tables = {}
    for name in ("layers", "tasks", "units"):
        data = f[name][()]  # reads the whole dataset
        assert data.dtype.names, name
        assert len(data) == meta["num_" + name], (name, len(data))
        for field in data.dtype.names:
            info = h5py.check_string_dtype(f[name].dtype[field])
            if info is not None:
                # Variable-length UTF-8, like every other Ridgepoint table (no fixed length to cut values short).
                assert info.encoding == "utf-8" and info.length is None, (name, field, info)
                assert all(isinstance(v, bytes) for v in data[field]), (name, field)
                text(data[field])  # every value decodes as UTF-8
            else:
                assert np.all(np.isfinite(data[field])), (name, field)
        tables[name] = data
    layers, tasks, units = tables["layers"], tables["tasks"], tables["units"]
    kinds = set(text(tasks["kind"]).tolist())
    assert {"compute", "load", "store"} <= kinds and not any(k.startswith("kind") for k in kinds), kinds  # all named
    assert tasks["unit"].max() < len(units) and tasks["layer"].max() < len(layers)
    assert np.all(layers["start_ms"] <= layers["end_ms"]) and layers["end_ms"].max() == meta["latency_ms"]
    assert tasks["end_ms"].max() == meta["latency_ms"]
    # Busy time per unit, recomputed from /tasks, matches /units.
    busy = np.bincount(tasks["unit"], weights=tasks["end_ms"] - tasks["start_ms"], minlength=len(units))
    hbm = text(units["kind"]) == "hbm"
    assert np.allclose(busy[~hbm], units["busy_ms"][~hbm], rtol=1e-9, atol=1e-12)
    # /unit_summary: per kind, the sum of its instances in /units; a datapath never busier than its unit.
    summary = f["unit_summary"][()]
    names, parents = text(summary["name"]).tolist(), text(summary["parent"]).tolist()
    unit_kinds = text(units["kind"])
    for i, (name, parent) in enumerate(zip(names, parents)):
        if parent:
            assert summary["busy_ms"][i] <= summary["busy_ms"][names.index(parent)] * (1 + 1e-9), name
        else:
            assert np.isclose(summary["busy_ms"][i], units["busy_ms"][unit_kinds == name].sum(), rtol=1e-9), name
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None:
        df = pd.DataFrame(tasks)
        df["kind"] = df["kind"].str.decode("utf-8")
        assert len(df) == len(tasks) and set(df["kind"]) == kinds
print(f"ok: {path}")
