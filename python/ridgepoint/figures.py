"""ridgepoint.figures: the figure of a Ridgepoint output, chosen by what the file is.

    import ridgepoint as rp
    fig = rp.plot("matrix-unit-size.h5")               # a matplotlib Figure
    rp.plot("b0-trace.h5", "timeline.svg", view="timeline")

    /usr/bin/python3 -m ridgepoint.figures OUTPUT.h5 [MORE.h5 ...] [-o FILE.png|svg|pdf] [--view V] [--x KEY]

A run output names its kind in the root attribute `kind` (sweep, simulate, nas, lacs, hurricane, codesign); a trace
(`ridgepoint simulate --trace`) has /meta with format 'ridgepoint-trace' and is drawn as a timeline (--view
timeline, the default) or a roofline (--view roofline); several traces are drawn side by side (compare). One table,
DRAW, maps each kind to its drawing function: a new kind is one entry there (docs/gallery.md).

Sweep axes are labelled with the parameter's name and unit from the accelerator schema, read from
`ridgepoint accelerators --keys --json` (the executable this module was built with, the one named by
`ridgepoint=`, or `ridgepoint` on PATH; without any, the raw key and a note on stderr). Keys swept together
(`zip:`) are one axis.

Pure Python (numpy, h5py, matplotlib's Agg canvas; no pyplot, no global settings; rendering settings are local to
each call, so the same file gives the same image bytes). Bad input raises PlotError (a ValueError) naming the
file and what was expected; the command line prints it as one line and exits with code 2.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings

# `python3 -m ridgepoint.figures`: the package's __init__ imports this module (for rp.plot) before runpy runs it as
# __main__, and runpy warns about exactly that. Harmless here (this module keeps no state), so that one warning is
# silenced, and only while Python is starting a `-m` run (sys.argv[0] is "-m" until the module runs).
if __name__ == "ridgepoint.figures" and sys.argv[:1] == ["-m"]:
    warnings.filterwarnings("ignore", message="'ridgepoint.figures' found in sys.modules", category=RuntimeWarning)

FORMATS = ("png", "svg", "pdf")
PROG = "ridgepoint plot"
TRACE_VIEWS = ("timeline", "roofline")

# Rendering that does not depend on the machine or the moment: one font, no dates or versions in the files.
RC = {"font.family": "DejaVu Sans", "svg.hashsalt": "ridgepoint", "svg.fonttype": "path", "pdf.fonttype": 42,
      "path.simplify": True, "axes.titlesize": 10, "axes.labelsize": 9, "xtick.labelsize": 8, "ytick.labelsize": 8,
      "legend.fontsize": 7, "figure.dpi": 100}
METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
            "pdf": {"Creator": None, "Producer": None, "CreationDate": None}}
DPI = 120

# One colour per unit kind, every kind its own (both families' kinds can meet in one compare figure).
UNIT_COLORS = {"matrix": "#1f77b4", "vector": "#ff7f0e", "sequencer": "#7f7f7f", "dma_read": "#2ca02c",
               "dma_write": "#98df8a", "hbm": "#d62728", "sm": "#9467bd", "launch": "#c7c7c7", "l2": "#8c564b",
               "mem_read": "#17becf", "mem_write": "#e377c2", "tensor": "#bcbd22", "cuda": "#dbdb8d"}
SPARE_COLORS = ("#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#5254a3", "#8ca252", "#bd9e39",
                "#ad494a", "#a55194")
TASK_COLORS = {"compute": "tab:blue", "load": "tab:green", "store": "tab:orange", "dispatch": "tab:gray",
               "l2_load": "tab:purple"}
OTHER_TASK = "tab:brown"
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "h")
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 1)))


class PlotError(ValueError):
    """Bad input: a missing or unreadable file, an unknown kind, an unsupported figure format."""


# ---------------------------------------------------------------- reading


def _text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def columns(data):
    """A compound (table) array as a dict {column: numpy array}, string columns decoded to `str` (h5py gives bytes
    for string fields of table cells); rp.RunResults.table() returns tables this way too."""
    import numpy as np
    cols = {}
    for n in data.dtype.names:
        col = data[n]
        if col.dtype.kind in "OS":
            col = np.array([_text(v) for v in col], dtype=str)
        cols[n] = col
    return cols


def _table(f, name, path):
    """The dataset `name` as a dict of numpy columns, strings decoded; PlotError when it is missing."""
    if name not in f:
        raise PlotError(f"'{path}': no /{name} table (expected a complete {_kind_of(f, path)} output)")
    return columns(f[name][()])


def _attrs(obj):
    return {k: (_text(v) if isinstance(v, bytes) else v) for k, v in obj.attrs.items()}


def _kind_of(f, path):
    """The root attribute `kind`, or "trace" for a trace (/meta format 'ridgepoint-trace')."""
    if "kind" in f.attrs:
        return _text(f.attrs["kind"])
    if "meta" in f and _text(f["meta"].attrs.get("format", "")) == "ridgepoint-trace":
        return "trace"
    raise PlotError(f"'{path}': no root attribute 'kind' and no /meta of a trace (expected an output of "
                    "'ridgepoint run' or a trace of 'ridgepoint simulate --trace')")


def _open(path):
    """The file as an open h5py.File; PlotError for a missing file or one that is not HDF5."""
    import h5py
    path = os.fspath(path)
    if not os.path.exists(path):
        raise PlotError(f"'{path}': no such file (expected an HDF5 output of 'ridgepoint run' or a trace)")
    if not os.path.isfile(path) or not h5py.is_hdf5(path):
        raise PlotError(f"'{path}': not an HDF5 file (expected an output of 'ridgepoint run' or a trace)")
    try:
        return h5py.File(path, "r")
    except OSError as e:
        raise PlotError(f"'{path}': cannot be read as HDF5 ({e})") from None


# ---------------------------------------------------------------- parameter names and units


def find_ridgepoint(explicit=None):
    """The ridgepoint executable for the key list: `explicit` (PlotError if it is not an executable), the one this
    module was built or installed with (_paths.py beside it), or `ridgepoint` on PATH; None when there is none."""
    if explicit is not None:
        explicit = os.fspath(explicit)
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise PlotError(f"'{explicit}': not an executable (expected the ridgepoint executable)")
        return explicit
    paths = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_paths.py")
    try:
        with open(paths) as f:
            m = re.search(r'^CLI = "(.*)"$', f.read(), re.M)
        if m and os.path.isfile(m.group(1)) and os.access(m.group(1), os.X_OK):
            return m.group(1)
    except OSError:
        pass
    return shutil.which("ridgepoint")


def accelerator_keys(ridgepoint):
    """{key: {type, unit, bounds, description, ...}} from `ridgepoint accelerators --keys --json`."""
    p = subprocess.run([ridgepoint, "accelerators", "--keys", "--json"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, check=False)
    if p.returncode != 0:
        line = (p.stderr.strip().splitlines() or [f"exit code {p.returncode}"])[-1]
        raise PlotError(f"'{ridgepoint}': 'accelerators --keys --json' failed ({line}; expected a ridgepoint "
                        "executable that lists its config keys)")
    return {row["key"]: row for row in json.loads(p.stdout)}


def schema_entry(key, keys):
    """The schema row of a swept key: the key itself, or the one full key it is a shorthand of (lowering.X is
    stack.profiles.<active>.lowering.X on GPUs); None when unknown."""
    if key in keys:
        return keys[key]
    ends = sorted(k for k in keys if k.endswith("." + key))
    return keys[ends[0]] if ends else None


WORDS = {"hbm": "HBM", "l2": "L2", "sm": "SM", "sms": "SMs", "dma": "DMA", "vpu": "VPU", "mxu": "MXU", "gpu": "GPU",
         "tpu": "TPU", "simd": "SIMD", "fma": "FMA", "macs": "MACs", "fp32": "FP32", "fp16": "FP16", "bf16": "BF16",
         "tf32": "TF32", "int8": "INT8", "fp8": "FP8"}
UNIT_SUFFIX = {"gbps": "GB/s", "tbps": "TB/s", "mhz": "MHz", "ghz": "GHz", "ns": "ns", "us": "us", "ms": "ms",
               "mib": "MiB", "kib": "KiB", "gib": "GiB", "cycles": "cycles"}


def key_words(key, unit):
    """The words of a dotted key with the unit suffix its last part spells dropped: hbm.bandwidth_gbps with unit
    GB/s -> ["HBM", "bandwidth"]."""
    words = [WORDS.get(w, w) for w in key.replace(".", "_").split("_") if w]
    if len(words) > 1 and UNIT_SUFFIX.get(words[-1].lower()) == unit:
        words = words[:-1]
    return words


def axis_label(keys, schema):
    """The axis label of one or several keys swept together: name words from the key, unit from the schema;
    words the keys share are written once ("matrix unit rows / cols / weight load (cycles)"). schema None: the
    raw keys."""
    if schema is None:
        return " / ".join(keys)
    parts = []
    for k in keys:
        row = schema_entry(k, schema)
        unit = row["unit"] if row else ""
        parts.append((key_words(k, unit), unit))
    shared = 0
    while len(parts) > 1 and all(len(w) > shared + 1 and w[shared] == parts[0][0][shared] for w, _ in parts):
        shared += 1
    head = " ".join(parts[0][0][:shared])
    pieces = [" ".join(w[shared:]) + (f" ({u})" if u else "") for w, u in parts]
    return (head + " " if head else "") + " / ".join(pieces)


# ---------------------------------------------------------------- figure helpers


def _figure(width, height, nrows=1, ncols=1, **kw):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, [a for row in axes for a in row]


def _legend_outside(ax, handles=None, labels=None, title=None, anchor=(1.02, 1.0), ncol=1, loc="upper left"):
    """A legend beside the axes (its `loc` corner at `anchor`, in axes coordinates: right of it by default), never
    over the data."""
    kw = {"loc": loc, "bbox_to_anchor": anchor, "borderaxespad": 0.0, "ncol": ncol, "title": title,
          "title_fontsize": 7, "frameon": False}
    if handles is not None:
        return ax.legend(handles, labels, **kw)
    return ax.legend(**kw)


def unit_colors(kinds):
    """{unit kind: colour}, every kind its own colour (known kinds fixed; others from a spare list)."""
    out, spare = {}, [c for c in SPARE_COLORS]
    for k in kinds:
        if k in UNIT_COLORS:
            out[k] = UNIT_COLORS[k]
    taken = set(out.values())
    spare = [c for c in spare if c not in taken]
    for k in kinds:
        if k not in out:
            out[k] = spare.pop(0) if spare else f"C{len(out) % 10}"
    return out


def _series_colors(n):
    """n distinct colours: tab10, then tab20's light shades."""
    base = ["C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9"]
    extra = ["#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d",
             "#9edae5"]
    colors = base + extra
    return [colors[i % len(colors)] for i in range(n)]


def _plain_log_ticks(axis):
    """Tick labels of a log axis as plain numbers (20, 30), not powers (2 x 10^1)."""
    from matplotlib.ticker import FuncFormatter
    fmt = FuncFormatter(lambda v, _: f"{v:g}")
    axis.set_major_formatter(fmt)
    axis.set_minor_formatter(fmt)


def _value_text(v):
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return f"{v:g}" if isinstance(v, float) else str(v)


# ---------------------------------------------------------------- sweep (and simulate)

FIXED_COLUMNS = {"point", "accelerator", "model", "status", "latency_ms", "throughput", "flops", "hbm_bytes",
                 "operational_intensity", "efficiency"}
# Busy fractions drawn: the compute units, their datapaths and HBM (not DMA / memory paths, launch, sequencer).
BUSY_SKIP = ("busy_dma_", "busy_mem_", "busy_launch", "busy_sequencer", "busy_l2")


def swept_axes(attrs, cols):
    """The swept dimensions in the experiment's order, each a list of keys that move together (a `zip:` block is
    one dimension; each `grid:` key its own); only dimensions that take more than one value."""
    dims = []
    try:
        canon = json.loads(_text(attrs.get("experiment_canonical", "{}")))
        dims = [[name] for name, _ in canon.get("grid", [])]
        zipped = [name for name, _ in canon.get("zip", [])]
        if zipped:
            dims.append(zipped)
    except (ValueError, TypeError, AttributeError):
        dims = []
    if not dims:  # no canonical settings: every parameter column is its own dimension
        dims = [[c] for c in cols if c not in FIXED_COLUMNS and not c.startswith("busy_")]
    dims = [[k for k in d if k in cols] for d in dims]
    return [d for d in dims if d and len(set(cols[d[0]].tolist())) > 1]


def _busy_columns(cols):
    import numpy as np
    return [c for c in cols if c.startswith("busy_") and not c.startswith(BUSY_SKIP)
            and np.nanmax(np.nan_to_num(cols[c], nan=0.0)) >= 0.05]


def draw_sweep(f, path, options):
    """Latency and busy fractions against the first swept dimension (or options['x']): one line per model,
    accelerator and value of the other dimensions, one colour each; keys swept together are one axis."""
    import numpy as np
    cols = _table(f, "points", path)
    dims = swept_axes(_attrs(f), cols)
    if options.get("x"):
        match = [d for d in dims if options["x"] in d]
        if not match:
            names = ", ".join(k for d in dims for k in d) or "none"
            raise PlotError(f"'{path}': no swept parameter '{options['x']}' (swept: {names})")
        dims = match + [d for d in dims if d is not match[0]]
    if not dims:
        return draw_simulate(f, path, options)
    xdim, others = dims[0], dims[1:]
    schema = options["schema"]()
    xs_all = cols[xdim[0]].astype(float)
    values = sorted(set(xs_all.tolist()))
    switch = set(values) <= {0.0, 1.0} and len(values) == 2 and all(
        (schema_entry(k, schema or {}) or {}).get("type", "switch") == "switch" for k in xdim)
    many_accels = len(set(cols["accelerator"].tolist())) > 1
    keys = list(dict.fromkeys(zip(cols["accelerator"], cols["model"], *(cols[d[0]] for d in others))))
    busy = _busy_columns(cols)
    fig, (ax1, ax2) = _figure(11, 4.6, 1, 2)
    colors = _series_colors(len(keys))
    handles, labels = [], []
    for key, color in zip(keys, colors):
        sel = (cols["accelerator"] == key[0]) & (cols["model"] == key[1])
        for d, v in zip(others, key[2:]):
            sel &= cols[d[0]] == v
        order = np.argsort(xs_all[sel], kind="stable")
        xs = xs_all[sel][order]
        label = " ".join(([key[0]] if many_accels else []) + [key[1]] +
                         [f"{axis_label(d, None) if schema is None else axis_label(d, schema)}="
                          f"{_value_text(v)}" for d, v in zip(others, key[2:])])
        line = ax1.plot(xs, cols["latency_ms"][sel][order], marker="o", ms=4, color=color, label=label)[0]
        handles.append(line)
        labels.append(label)
        for i, b in enumerate(busy):
            ax2.plot(xs, cols[b][sel][order], marker=MARKERS[i % len(MARKERS)], ms=4,
                     ls=LINESTYLES[i % len(LINESTYLES)], color=color)
    from matplotlib.lines import Line2D
    unit_handles = [Line2D([], [], color="black", marker=MARKERS[i % len(MARKERS)], ms=4,
                           ls=LINESTYLES[i % len(LINESTYLES)]) for i in range(len(busy))]
    xlabel = axis_label(xdim, schema)
    for ax, ylabel in ((ax1, "latency (ms)"), (ax2, "busy fraction")):
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(True, alpha=0.3)
        _sweep_ticks(ax, xdim, cols, values, switch)
    ax2.set_ylim(0, 1.05)
    ax1.set_title("latency")
    ax2.set_title("unit busy fraction (line style: unit)")
    # Each legend is its axes' own (an axes' second legend would be left out of the layout): the series' colours
    # beside the latency panel, the units' line styles beside the busy panel.
    _legend_outside(ax1, handles, labels, title="series (colour)")
    if busy:
        _legend_outside(ax2, unit_handles, [b[5:] for b in busy], title="unit (line style)")
    fig.suptitle(_sweep_title(f, cols), fontsize=10)
    return fig


def _sweep_ticks(ax, xdim, cols, values, switch):
    """Ticks at the swept values; several zipped keys whose values differ show every key's value."""
    if switch:
        ax.set_xticks([0, 1])
        ax.set_xticklabels(["false", "true"])
        ax.set_xlim(-0.3, 1.3)
        return
    if min(values) > 0 and max(values) / min(values) >= 4:
        ax.set_xscale("log", base=2)
        ax.minorticks_off()
    if len(values) > 12:
        return
    texts = []
    for v in values:
        row = list(cols[xdim[0]]).index(v)
        parts = [_value_text(float(cols[k][row])) for k in xdim]
        texts.append(parts[0] if len(set(parts)) == 1 else "\n".join(parts))
    ax.set_xticks(values)
    ax.set_xticklabels(texts)


def _sweep_title(f, cols):
    accels = ", ".join(dict.fromkeys(cols["accelerator"].tolist()))
    batch = ""
    try:
        batch = f", batch {json.loads(_text(f.attrs['experiment_canonical']))['batch']}"
    except (KeyError, ValueError, TypeError):
        pass
    return f"{os.path.basename(f.filename)}: {_kind_of(f, f.filename)} on {accels}{batch}"


def draw_simulate(f, path, options):
    """Latency of every model on every accelerator (bars, log scale) and each model's speedup from the first
    accelerator to the others."""
    import numpy as np
    cols = _table(f, "points", path)
    accels = list(dict.fromkeys(cols["accelerator"].tolist()))
    models = list(dict.fromkeys(cols["model"].tolist()))
    lat = {(a, m): v for a, m, v in zip(cols["accelerator"], cols["model"], cols["latency_ms"])}
    fig, (ax1, ax2) = _figure(11, 4.8, 1, 2)
    x = np.arange(len(models))
    width = 0.8 / len(accels)
    colors = _series_colors(len(accels))
    for i, (a, c) in enumerate(zip(accels, colors)):
        ax1.bar(x + (i - (len(accels) - 1) / 2) * width, [lat.get((a, m), np.nan) for m in models], width,
                label=a, color=c)
    ax1.set_yscale("log")
    _plain_log_ticks(ax1.yaxis)
    ax1.set_ylabel("latency (ms)")
    ax1.set_title("latency")
    for a, c in zip(accels[1:], colors[1:]):
        ax2.plot(x, [lat.get((accels[0], m), np.nan) / lat.get((a, m), np.nan) for m in models], marker="o",
                 color=c, label=f"{accels[0]} -> {a}")
    ax2.set_ylabel("speedup")
    ax2.set_title(f"speedup over {accels[0]}")
    for ax in (ax1, ax2):
        ax.set_xticks(x)
        ax.set_xticklabels(models, rotation=60, ha="right")
        ax.grid(True, axis="y", alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            _legend_outside(ax)
    fig.suptitle(_sweep_title(f, cols), fontsize=10)
    return fig


# ---------------------------------------------------------------- nas


def pareto(lat, acc):
    """Indices of the samples no other beats on both latency (lower) and accuracy (higher), by latency."""
    import numpy as np
    order = np.lexsort((-acc, lat))
    front, best = [], -np.inf
    for i in order:
        if acc[i] > best:
            front.append(i)
            best = acc[i]
    return np.array(front, dtype=int)


def _reference_ticks(xs, names, xlim):
    """(x, label) for the top axis: models closer than 3% of the axis range share one label."""
    ticks = []
    for x, n in sorted(zip(xs.tolist(), names.tolist())):
        if ticks and x - ticks[-1][0] < 0.03 * (xlim[1] - xlim[0]):
            ticks[-1] = (ticks[-1][0], ticks[-1][1] + ", " + n)
        else:
            ticks.append((x, n))
    return ticks


def draw_nas(f, path, options):
    """Every feasible sample (latency, proxy accuracy), the Pareto front, the best reward, the target latency and
    the zoo's reference models (ticks on the top axis at their simulated latency)."""
    import numpy as np
    s = _table(f, "samples", path)
    a = _attrs(f)
    fig, (ax,) = _figure(9, 5.2)
    ok = s["feasible"] == 1
    lat, acc = s["latency_ms"][ok], s["accuracy"][ok]
    ax.scatter(lat, acc, s=14, alpha=0.6, color="C0", label=f"feasible samples ({ok.sum()} of {len(ok)})")
    if (~ok).any() and np.isfinite(s["latency_ms"][~ok]).any():
        bad = ~ok & np.isfinite(s["latency_ms"]) & np.isfinite(s["accuracy"])
        ax.scatter(s["latency_ms"][bad], s["accuracy"][bad], s=14, marker="x", color="0.6", label="infeasible")
    if len(lat):
        front = pareto(lat, acc)
        ax.step(lat[front], acc[front], where="post", color="C0", lw=1.2, label="Pareto front")
        best = np.argmax(s["reward"][ok])
        ax.scatter([lat[best]], [acc[best]], marker="*", s=180, color="C1", edgecolor="black", zorder=5,
                   label=f"best reward: {lat[best]:.2f} ms, {acc[best]:.4f}")
    if "target_latency_ms" in a:
        ax.axvline(float(a["target_latency_ms"]), color="red", ls="--", lw=0.9,
                   label=f"target T = {float(a['target_latency_ms']):g} ms")
    if "references" in f:
        r = _table(f, "references", path)
        fin = np.isfinite(r["latency_ms"])
        for x in r["latency_ms"][fin]:
            ax.axvline(x, color="0.5", ls=":", lw=0.8)
        ticks = _reference_ticks(r["latency_ms"][fin], r["name"][fin], ax.get_xlim())
        top = ax.secondary_xaxis("top")
        top.set_xticks([t for t, _ in ticks])
        top.set_xticklabels([chr(ord("a") + i) for i in range(len(ticks))], fontsize=7)
        for i, (x, names) in enumerate(ticks):
            ax.plot([], [], color="0.5", ls=":", lw=0.8, label=f"{chr(ord('a') + i)}: {names} ({x:.2f} ms)")
    ax.set_xlabel(f"simulated latency (ms) on {a.get('accelerator', '?')}")
    ax.set_ylabel("proxy accuracy (validation)")
    ax.grid(True, alpha=0.3)
    _legend_outside(ax)
    ax.set_title(f"NAS: {a.get('space', '?')} space, {len(s['step'])} samples ({os.path.basename(path)}); "
                 "dotted, top axis: zoo models", fontsize=9)
    return fig


# ---------------------------------------------------------------- lacs

ZOO_STYLES = {"efficientnet": ("0.45", "s"), "efficientnet-x": ("tab:olive", "D"),
              "efficientnet-x-tpu": ("tab:purple", "^"), "efficientnet-x-gpu": ("tab:brown", "v")}


def draw_lacs(f, path, options):
    """The run's generated families (latency, accuracy per scaling level phi) against the zoo's families on the
    same accelerator (published top-1 filled, surrogate estimates open)."""
    import numpy as np
    fam = _table(f, "family", path)
    zoo = _table(f, "zoo", path)
    a = _attrs(f)
    fig, (ax,) = _figure(9, 5.2)
    for name in dict.fromkeys(zoo["family"].tolist()):
        color, marker = ZOO_STYLES.get(name, ("0.3", "o"))
        z = zoo["family"] == name
        pub = zoo["published_top1"][z]
        acc = np.where(np.isnan(pub), zoo["surrogate_top1"][z], pub)
        x = zoo["latency_ms"][z]
        ax.plot(x, acc, color=color, lw=0.8, alpha=0.7)
        has = ~np.isnan(pub)
        if has.any():
            ax.scatter(x[has], acc[has], color=color, marker=marker, s=22, label=f"zoo {name} (published top-1)")
        if (~has).any():
            ax.scatter(x[~has], acc[~has], facecolors="none", edgecolors=color, marker=marker, s=22,
                       label=f"zoo {name} (surrogate)")
    for name, color in zip(dict.fromkeys(fam["family"].tolist()), ("tab:red", "tab:blue", "tab:green")):
        m = fam["family"] == name
        label = f"{name}: alpha {fam['alpha'][m][0]:.3g}, beta {fam['beta'][m][0]:.3g}, gamma {fam['gamma'][m][0]:.3g}"
        ax.plot(fam["latency_ms"][m], fam["accuracy"][m], "-o", color=color, ms=4, label=label)
    ax.set_xscale("log")
    ax.set_xlabel(f"simulated latency (ms) on {a.get('accelerator', '?')}")
    method = _text(a.get("accuracy_method", ""))
    ax.set_ylabel("ImageNet top-1 (%)" + (": surrogate estimate" if method.startswith("surrogate") else ""))
    ax.set_title(f"LACS: {a.get('base', '?')} scaled ({a.get('objective', '?')}), {os.path.basename(path)}")
    ax.grid(True, which="both", alpha=0.3)
    _legend_outside(ax)
    return fig


# ---------------------------------------------------------------- hurricane


def draw_hurricane(f, path, options):
    """Every candidate the search scored (latency, supernet accuracy; one colour per stage), the latency
    constraint and the result rows; beside it, the best feasible supernet accuracy found up to each generation."""
    import numpy as np
    a = _attrs(f)
    stages = sorted(k for k in f.keys() if re.fullmatch(r"stage\d+", k))
    fig, (ax1, ax2) = _figure(11, 4.8, 1, 2, gridspec_kw={"width_ratios": [3, 2]})
    colors = _series_colors(len(stages))
    for st, c in zip(stages, colors):
        t = _table(f, st, path)
        ok = t["feasible"] == 1
        ax1.scatter(t["latency_ms"][ok], t["supernet_accuracy"][ok], s=16, color=c, alpha=0.7,
                    label=f"{st}: {ok.sum()} feasible")
        if (~ok).any():
            ax1.scatter(t["latency_ms"][~ok], t["supernet_accuracy"][~ok], s=16, color=c, marker="x",
                        label=f"{st}: {(~ok).sum()} over the limit")
        gens = sorted(set(t["generation"].tolist()))
        best = [t["supernet_accuracy"][ok & (t["generation"] == g)].max() if (ok & (t["generation"] == g)).any()
                else np.nan for g in gens]
        ax2.plot(gens, np.fmax.accumulate(best), marker="o", color=c, label=st)
    if "latency_constraint_ms" in a:
        ax1.axvline(float(a["latency_constraint_ms"]), color="red", ls="--", lw=0.9,
                    label=f"constraint {float(a['latency_constraint_ms']):g} ms")
    if "result" in f:
        r = _table(f, "result", path)
        for i, (lab, lat, acc) in enumerate(zip(r["label"], r["latency_ms"], r["supernet_accuracy"])):
            ax1.scatter([lat], [acc], marker="*", s=150, color=f"C{(len(stages) + i) % 10}", edgecolor="black",
                        zorder=5, label=f"result {lab}: {lat:.2f} ms")
    ax1.set_xlabel(f"simulated latency (ms) on {a.get('accelerator', '?')}")
    ax1.set_ylabel("supernet accuracy (validation)")
    ax1.set_title(f"HURRICANE candidates ({os.path.basename(path)})")
    ax2.set_xlabel("generation")
    ax2.set_ylabel("best feasible supernet accuracy so far")
    ax2.set_title("search progress")
    for ax in (ax1, ax2):
        ax.grid(True, alpha=0.3)
    ax2.xaxis.get_major_locator().set_params(integer=True)
    _legend_outside(ax1)
    _legend_outside(ax2)
    return fig


# ---------------------------------------------------------------- traces


class Trace:
    """A trace's /meta (dict) and its tables (dicts of numpy columns)."""

    def __init__(self, f, path):
        self.path = path
        self.meta = _attrs(f["meta"])
        self.layers = _table(f, "layers", path)
        self.tasks = _table(f, "tasks", path)
        self.units = _table(f, "units", path)

    def title(self):
        m = self.meta
        return f"{m['model']} on {m['accelerator']}, batch {m['batch']}: {float(m['latency_ms']):.3f} ms"

    def label(self):
        m = self.meta
        return f"{m['model']}\n{m['accelerator']} b{m['batch']}"


def draw_timeline(t):
    """One row per unit instance that ran tasks (bars coloured by task kind) and the fusion groups on top."""
    import numpy as np
    from matplotlib.patches import Rectangle
    T = t.tasks
    used = sorted(set(int(u) for u in T["unit"]))
    names = [t.units["name"][u] for u in used]
    fig, (ax,) = _figure(12, 1.6 + 0.3 * (len(used) + 1))
    for row, u in enumerate(used):
        mine = T["unit"] == u
        for kind in sorted(set(T["kind"][mine].tolist())):
            k = mine & (T["kind"] == kind)
            bars = np.stack([T["start_ms"][k], T["end_ms"][k] - T["start_ms"][k]], axis=1)
            ax.broken_barh(bars, (row - 0.4, 0.8), color=TASK_COLORS.get(kind, OTHER_TASK), linewidth=0)
    top = len(used)
    for i, (s, e) in enumerate(zip(t.layers["start_ms"], t.layers["end_ms"])):
        ax.broken_barh([(s, e - s)], (top - 0.4, 0.8), color="0.55" if i % 2 else "0.8", linewidth=0)
    ax.set_yticks(range(top + 1))
    ax.set_yticklabels(names + ["fusion groups"], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, float(t.meta["latency_ms"]))
    ax.set_xlabel("time (ms)")
    ax.set_title(f"{t.title()}, {len(T['kind'])} tasks")
    present = set(T["kind"].tolist())
    kinds = [k for k in TASK_COLORS if k in present] + sorted(present - set(TASK_COLORS))
    handles = [Rectangle((0, 0), 1, 1, color=TASK_COLORS.get(k, OTHER_TASK)) for k in kinds]
    _legend_outside(ax, handles, kinds, title="task kind")
    return fig


def draw_roofline(t):
    """Every layer (fusion group) as (operational intensity, achieved FLOP/s) under min(peak, I x bandwidth),
    marker size by its share of the FLOPs, colour by unit; the whole network as a star."""
    import numpy as np
    m = t.meta
    peak, bw = float(m["peak_flops"]), float(m["hbm_bandwidth"])
    L = t.layers
    ok = (L["operational_intensity"] > 0) & (L["achieved_flops"] > 0)
    ridge = peak / bw
    xs = np.concatenate([L["operational_intensity"][ok], [ridge, float(m["operational_intensity"]) or ridge]])
    grid = np.logspace(np.log10(xs.min() / 3), np.log10(xs.max() * 3), 200)
    fig, (ax,) = _figure(8.5, 5)
    ax.loglog(grid, np.minimum(peak, grid * bw), "k-", lw=2,
              label=f"roofline: peak {peak / 1e12:.0f} TFLOP/s, HBM {bw / 1e9:.0f} GB/s")
    units = sorted(set(L["unit"][ok].tolist()))
    colors = unit_colors(units)
    for unit in units:
        sel = ok & (L["unit"] == unit)
        share = L["flops"][sel] / max(L["flops"].sum(), 1)
        ax.scatter(L["operational_intensity"][sel], L["achieved_flops"][sel], s=15 + 800 * share, alpha=0.6,
                   color=colors[unit], label=f"{unit} ({sel.sum()} layers)")
    ax.scatter([float(m["operational_intensity"])], [float(m["achieved_flops"])], marker="*", s=250, c="red",
               edgecolors="k", zorder=5, label=f"network: E = {float(m['efficiency']):.2f}")
    ax.axvline(ridge, color="gray", ls=":", lw=1)
    ax.set_xlabel("operational intensity I = W / Q (FLOP/B)")
    ax.set_ylabel("achieved FLOP/s")
    ax.set_title(t.title())
    ax.grid(True, which="both", alpha=0.3)
    _legend_outside(ax)
    return fig


def busy_by_kind(t):
    """{unit kind: summed busy time / (channels x latency)} in first-seen order."""
    latency = float(t.meta["latency_ms"])
    out = {}
    for kind in dict.fromkeys(t.units["kind"].tolist()):
        sel = t.units["kind"] == kind
        capacity = t.units["channels"][sel].sum() * latency
        out[kind] = float(t.units["busy_ms"][sel].sum() / capacity) if capacity > 0 else 0.0
    return out


def draw_compare(traces):
    """Latency of several traces and the busy fraction of each unit kind, side by side (one colour per kind)."""
    import numpy as np
    labels = [t.label() for t in traces]
    busy = [busy_by_kind(t) for t in traces]
    kinds = list(dict.fromkeys(k for b in busy for k in b))
    colors = unit_colors(kinds)
    fig, (ax1, ax2) = _figure(5 + 2.4 * len(traces), 4.6, 1, 2, gridspec_kw={"width_ratios": [1, 2]})
    x = np.arange(len(traces))
    bars = ax1.bar(x, [float(t.meta["latency_ms"]) for t in traces], color="0.45")
    ax1.bar_label(bars, fmt="%.3f", fontsize=7)
    ax1.set_ylabel("latency (ms)")
    ax1.set_title("latency")
    width = 0.8 / max(1, len(kinds))
    for i, k in enumerate(kinds):
        ax2.bar(x + (i - (len(kinds) - 1) / 2) * width, [b.get(k, 0.0) for b in busy], width, label=k,
                color=colors[k])
    ax2.set_ylim(0, 1)
    ax2.set_ylabel("busy fraction")
    ax2.set_title("unit busy fraction")
    for ax in (ax1, ax2):
        ax.set_xticks(x)
        ax.set_xticklabels(labels, fontsize=7)
    _legend_outside(ax2, title="unit kind")
    return fig


def draw_codesign(f, path, options):
    """Latency against energy per inference of every feasible hardware point, one colour per network, each
    network's Pareto front (/pareto) joined by a line; infeasible rows (over a budget or the HBM) are counted in the
    legend, not drawn (they have no latency)."""
    import numpy as np
    p = _table(f, "points", path)
    front = _table(f, "pareto", path)
    a = _attrs(f)
    fig, (ax,) = _figure(9, 5.2)
    nets = list(dict.fromkeys(p["network"].tolist()))
    for i, net in enumerate(nets):
        mine = p["network"] == net
        ok = mine & (p["feasible"] == 1)
        color = f"C{i % 10}"
        ax.scatter(p["latency_ms"][ok], p["energy_per_inference_mj"][ok], s=12, alpha=0.45, color=color,
                   label=f"{net}: {ok.sum()} feasible of {mine.sum()}")
        on = front["front"] == net
        order = np.argsort(front["latency_ms"][on])
        ax.plot(front["latency_ms"][on][order], front["energy_per_inference_mj"][on][order], color=color,
                marker="D", ms=6, mec="black", lw=1.2, label=f"{net}: Pareto front ({on.sum()})")
    ax.set_xlabel("simulated latency (ms)")
    ax.set_ylabel("energy per inference (mJ)")
    ax.grid(True, alpha=0.3)
    _legend_outside(ax)
    budgets = ", ".join(f"{k} {float(a[k]):g}" for k in ("budget_area_mm2", "budget_power_w")
                        if k in a and float(a[k]) > 0) or "no budget"
    ax.set_title(f"codesign: {a.get('hardware_keys', '?')} ({a.get('search_method', '?')}; {budgets}) "
                 f"({os.path.basename(path)})", fontsize=9)
    return fig


def draw_trace(f, path, options):
    view = options.get("view") or "timeline"
    views = {"timeline": draw_timeline, "roofline": draw_roofline}
    if view not in views:
        raise PlotError(f"'{path}': unknown view '{view}' for a trace (expected one of: {', '.join(views)})")
    return views[view](Trace(f, path))


# The one table of figures: root attribute `kind` (or "trace") -> drawing function(file, path, options) returning a
# matplotlib Figure. A new kind (e.g. codesign) is one entry here and one function.
DRAW = {
    "sweep": draw_sweep,
    "simulate": draw_simulate,
    "nas": draw_nas,
    "lacs": draw_lacs,
    "hurricane": draw_hurricane,
    "codesign": draw_codesign,
    "trace": draw_trace,
}


# ---------------------------------------------------------------- entry points


def figure_format(out):
    """The format of a figure path from its extension (png, svg, pdf); PlotError for another."""
    ext = os.path.splitext(os.fspath(out))[1].lower().lstrip(".")
    if ext not in FORMATS:
        raise PlotError(f"'{os.fspath(out)}': unsupported figure format '.{ext}' (expected .png, .svg or .pdf)")
    return ext


def save(fig, out):
    """Writes the figure to `out` whole or not at all: a temporary file in the same directory, renamed over."""
    out = os.fspath(out)
    fmt = figure_format(out)
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise PlotError(f"'{out}': no such directory '{parent}'")
    import matplotlib
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(out) + ".", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            with matplotlib.rc_context(RC):
                fig.savefig(fh, format=fmt, dpi=DPI, metadata=METADATA[fmt], bbox_inches="tight", pad_inches=0.08)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _schema_loader(ridgepoint):
    """A function returning the key schema (read once), or None with a note on stderr when no executable can be
    found, or the one found (not named) cannot list its keys (an older ridgepoint on PATH)."""
    cache = []

    def load():
        if not cache:
            exe = find_ridgepoint(ridgepoint)
            keys, why = None, "no ridgepoint executable found (pass ridgepoint=PATH)"
            if exe is not None:
                try:
                    keys = accelerator_keys(exe)
                except PlotError as e:
                    if ridgepoint is not None:
                        raise
                    why = str(e)
            if keys is None:
                print(f"{PROG}: note: {why}; axis labels show the raw keys", file=sys.stderr)
            cache.append(keys)
        return cache[0]
    return load


def plot(output_h5, out=None, view=None, x=None, ridgepoint=None):
    """The figure of a Ridgepoint output as a matplotlib Figure, written to `out` (.png, .svg or .pdf) if given.

    output_h5: a run output (kind sweep, simulate, nas, lacs, hurricane, codesign) or a trace; a list of traces draws them
    side by side (compare). view: for a trace, "timeline" (default) or "roofline". x: for a sweep, the swept key on
    the x axis (default: the first swept dimension). ridgepoint: the executable whose config keys label sweep axes
    (default: the one this module was built with, else `ridgepoint` on PATH). Raises PlotError (ValueError) for
    bad input."""
    import matplotlib
    if out is not None:
        figure_format(out)
    if x is not None and not isinstance(x, str):
        raise TypeError(f"plot: x must be a key (str), got {type(x).__name__}")
    if ridgepoint is not None:
        find_ridgepoint(ridgepoint)
    several = isinstance(output_h5, (list, tuple))
    paths = [os.fspath(p) for p in output_h5] if several else [os.fspath(output_h5)]
    if not paths:
        raise PlotError("plot: no output given (expected a run output or trace, HDF5)")
    options = {"view": view, "x": x, "schema": _schema_loader(ridgepoint)}
    with matplotlib.rc_context(RC):
        fig = _draw(paths, several, options)
    if out is not None:
        save(fig, out)
    return fig


def _draw(paths, several, options):
    files = []
    try:
        for p in paths:
            files.append(_open(p))
        kinds = [_kind_of(f, p) for f, p in zip(files, paths)]
        if several:
            for k, p in zip(kinds, paths):
                if k != "trace":
                    raise PlotError(f"'{p}': a {k} output (several files are drawn side by side only when all are "
                                    "traces)")
            return draw_compare([Trace(f, p) for f, p in zip(files, paths)])
        if kinds[0] not in DRAW:
            raise PlotError(f"'{paths[0]}': unknown kind '{kinds[0]}' (expected one of: {', '.join(sorted(DRAW))})")
        try:
            return DRAW[kinds[0]](files[0], paths[0], options)
        except (KeyError, IndexError) as e:
            raise PlotError(f"'{paths[0]}': not a complete {kinds[0]} output (missing {e})") from None
    finally:
        for f in files:
            f.close()


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise PlotError(message)


def default_output(path):
    """OUTPUT stem + .png beside the output; PlotError when that file exists (it is only replaced when named)."""
    out = os.path.splitext(os.fspath(path))[0] + ".png"
    if os.path.lexists(out):
        raise PlotError(f"'{out}' exists: name the figure with -o FILE (an existing file is replaced only when "
                        "named)")
    return out


def main(argv=None):
    """The command line (`python3 -m ridgepoint.figures`, `ridgepoint plot`): 0, or 2 with one line on stderr."""
    p = _Parser(prog=PROG, description="Draws the figure of a Ridgepoint run output or trace (docs/gallery.md).")
    p.add_argument("outputs", nargs="+", metavar="OUTPUT.h5",
                   help="a run output or a trace; several traces are drawn side by side")
    p.add_argument("-o", "--output", metavar="FILE", help="figure to write: .png, .svg or .pdf "
                   "(default: OUTPUT stem + .png beside it, never replacing an existing file)")
    p.add_argument("--view", choices=TRACE_VIEWS, help="for a trace: timeline (default) or roofline")
    p.add_argument("--x", metavar="KEY", help="for a sweep: the swept key on the x axis")
    p.add_argument("--ridgepoint", metavar="PATH", help="the ridgepoint executable whose config keys label axes")
    try:
        a = p.parse_args(argv)
        if len(a.outputs) > 1 and a.output is None:
            raise PlotError("several traces need -o FILE (where to write the comparison)")
        out = a.output if a.output is not None else default_output(a.outputs[0])
        plot(a.outputs if len(a.outputs) > 1 else a.outputs[0], out, view=a.view, x=a.x, ridgepoint=a.ridgepoint)
    except PlotError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
