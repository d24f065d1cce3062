"""ridgepoint.figures (python/ridgepoint/figures.py): the figure each output kind gets, read back from the returned
matplotlib Figure (lines, labels, legend and data extents, colours), and the command line's bad-input contract
(exit code 2, one line naming the file). Synthetic outputs are written here with h5py; traces come from the
ridgepoint executable built with the module (ridgepoint.cli_path())."""
import importlib
import json
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

import ridgepoint as rp

P = importlib.import_module("ridgepoint.figures")  # the module (rp.plot is its plot function)
MODELS = ["model-a", "model-b"]


def write_sweep(path, keys, values, zipped=True, models=MODELS):
    """A `kind: sweep` output with one row per (model, point): every key in `keys` takes values[i] at point i;
    latency = 10 x (model index + 1) / (point + 1), busy_matrix = 0.2 + 0.1 x point."""
    names = ["point", "accelerator", "model", *keys, "status", "latency_ms", "busy_matrix"]
    dtype = [("point", "f8"), ("accelerator", h5py.string_dtype()), ("model", h5py.string_dtype())]
    dtype += [(k, "f8") for k in keys] + [("status", h5py.string_dtype()), ("latency_ms", "f8"),
                                          ("busy_matrix", "f8")]
    rows = []
    for m, model in enumerate(models):
        for i, v in enumerate(values):
            rows.append((len(rows), "tpuv3", model, *([v] * len(keys)), "ok", 10.0 * (m + 1) / (i + 1),
                         0.2 + 0.1 * i))
    table = np.array(rows, dtype=dtype)
    spec = [[k, [str(v) for v in values]] for k in keys]
    canonical = {"kind": "sweep", "models": models, "accelerators": ["tpuv3"], "batch": 128, "set": [],
                 "grid": [] if zipped else spec, "zip": spec if zipped else []}
    with h5py.File(path, "w") as f:
        f.attrs["kind"] = "sweep"
        f.attrs["experiment_canonical"] = json.dumps(canonical)
        f.create_dataset("points", data=table)
    assert names == list(table.dtype.names)
    return path


@pytest.fixture(scope="module")
def traces(tmp_path_factory):
    """Traces of EfficientNet-B0 on tpuv3 and v100 (batch 8: quick), from the CLI."""
    d = tmp_path_factory.mktemp("traces")
    out = {}
    for accel in ("tpuv3", "v100"):
        out[accel] = str(d / f"{accel}.h5")
        subprocess.run([rp.cli_path(), "simulate", "efficientnet-b0", "--accel", accel, "--batch", "8", "--trace",
                        out[accel]], check=True, stdout=subprocess.DEVNULL)
    return out


def data_bbox(ax, renderer):
    """The display-space box around every line, collection and bar drawn in the axes (clipped to the axes)."""
    from matplotlib.transforms import Bbox
    boxes = [a.get_window_extent(renderer) for a in ax.lines + ax.collections + ax.patches if a.get_visible()]
    boxes = [b for b in boxes if np.isfinite(b.bounds).all() and (b.width > 0 or b.height > 0)]
    return Bbox.intersection(Bbox.union(boxes), ax.get_window_extent(renderer)) if boxes else None


def rendered(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    return renderer


def assert_legends_off_data(fig):
    """No legend box overlaps the box of any axes' data (the axes area itself counts as data)."""
    r = rendered(fig)
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    assert legends, "the figure has a legend"
    for legend in legends:
        lb = legend.get_window_extent(r)
        for ax in fig.axes:
            db = data_bbox(ax, r)
            if db is not None:
                assert not lb.overlaps(db), (legend.get_texts()[0].get_text(), lb, db)


def test_zipped_keys_are_one_series_per_model(tmp_path):
    # Two keys swept together over 3 points, 2 models: one latency line per model with 3 points each (not one
    # line per key value: 2 x 3 one-point lines before), and the legend has exactly the 2 models.
    path = write_sweep(str(tmp_path / "zip.h5"), ["matrix_unit.cols", "matrix_unit.weight_load_cycles"],
                       [64, 128, 256])
    fig = rp.plot(path, ridgepoint=rp.cli_path())
    latency = fig.axes[0]
    assert [len(line.get_xdata()) for line in latency.lines] == [3, 3]
    assert list(latency.lines[0].get_xdata()) == [64, 128, 256]
    assert [t.get_text() for t in latency.get_legend().get_texts()] == MODELS
    # Hand-written: both keys' words from the key, the unit of weight_load_cycles from its declaration ("cycles",
    # accel_models/matrix_unit/systolic_params.cpp), the shared words "matrix unit" written once.
    assert latency.get_xlabel() == "matrix unit cols / weight load (cycles)"
    colors = [line.get_color() for line in latency.lines]
    assert len(set(colors)) == len(colors)


def test_axis_label_has_name_and_unit(tmp_path):
    # hbm.bandwidth_gbps is declared in GB/s (accel_models/hbm/hbm_params.cpp): the label is its words without
    # the unit suffix "gbps", HBM spelled as the acronym, and the unit in parentheses.
    path = write_sweep(str(tmp_path / "hbm.h5"), ["hbm.bandwidth_gbps"], [450, 900, 1800], zipped=False)
    fig = rp.plot(path, ridgepoint=rp.cli_path())
    assert [ax.get_xlabel() for ax in fig.axes] == ["HBM bandwidth (GB/s)"] * 2
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["450", "900", "1800"]


def test_axis_label_of_three_zipped_keys():
    # docs/whatif.md's matrix-unit-size sweep: rows and cols are counts (no unit), weight_load_cycles in cycles.
    keys = P.accelerator_keys(rp.cli_path())
    label = P.axis_label(["matrix_unit.rows", "matrix_unit.cols", "matrix_unit.weight_load_cycles"], keys)
    assert label == "matrix unit rows / cols / weight load (cycles)"
    # a shorthand key (lowering.X is stack.profiles.<profile>.lowering.X on GPUs) finds its declaration: a switch
    assert P.schema_entry("lowering.fused_swish", keys)["type"] == "switch"
    assert P.axis_label(["hbm.bandwidth_gbps"], None) == "hbm.bandwidth_gbps"  # no executable: the raw key


def test_x_chooses_the_axis_and_unknown_x_is_refused(tmp_path):
    path = write_sweep(str(tmp_path / "hbm.h5"), ["hbm.bandwidth_gbps"], [450, 900], zipped=False)
    with pytest.raises(P.PlotError, match=r"hbm.h5'.*no swept parameter 'matrix_unit.rows' \(swept: hbm"):
        rp.plot(path, x="matrix_unit.rows", ridgepoint=rp.cli_path())


def test_sweep_legends_are_off_the_data(tmp_path):
    path = write_sweep(str(tmp_path / "zip.h5"), ["matrix_unit.cols", "matrix_unit.weight_load_cycles"],
                       [64, 128, 256], models=[f"model-{i}" for i in range(8)])
    assert_legends_off_data(rp.plot(path, ridgepoint=rp.cli_path()))


@pytest.mark.parametrize("view", ["timeline", "roofline"])
def test_trace_legends_are_off_the_data(traces, view):
    fig = rp.plot(traces["tpuv3"], view=view)
    assert_legends_off_data(fig)
    if view == "roofline":  # the network's star is the trace's own figures
        star = [c for c in fig.axes[0].collections if c.get_label().startswith("network")][0]
        with h5py.File(traces["tpuv3"]) as f:
            meta = f["meta"].attrs
            assert tuple(star.get_offsets()[0]) == (meta["operational_intensity"], meta["achieved_flops"])


def test_unit_colours_are_distinct(traces):
    # Every unit kind of both families (11) plus two unknown ones: 13 different colours. Before, compare.py took
    # the default 10-colour cycle, so the 11th kind (mem_write) was drawn in the 1st kind's (sequencer's) blue.
    kinds = ["sequencer", "matrix", "vector", "dma_read", "dma_write", "hbm", "launch", "sm", "l2", "mem_read",
             "mem_write", "new_a", "new_b"]
    colors = P.unit_colors(kinds)
    assert len(set(colors.values())) == len(kinds)
    fig = rp.plot([traces["tpuv3"], traces["v100"]])
    busy = fig.axes[1]
    drawn = {c.get_label(): c.patches[0].get_facecolor() for c in busy.containers}
    assert len(drawn) == 11 and len(set(drawn.values())) == 11
    assert drawn["sequencer"] != drawn["mem_write"]
    assert_legends_off_data(fig)


def test_every_kind_has_one_drawing_function():
    # The one table: a kind is drawn by exactly its entry (codesign was one entry).
    assert set(P.DRAW) == {"sweep", "simulate", "nas", "lacs", "hurricane", "codesign", "trace"}


def test_codesign_draws_each_networks_pareto_front(tmp_path):
    # A tiny codesign grid (docs/codesign.md): each network's front line holds exactly its /pareto rows.
    exp = tmp_path / "c.yaml"
    exp.write_text("kind: codesign\naccelerator: tpuv3\nbatch: 2\nhardware:\n  matrix_unit.rows: [64, 128, 256]\n"
                   "  hbm.bandwidth_gbps: [600, 1200]\nbudgets: {area_mm2: 180}\n"
                   "networks: [mnasnet-a1, efficientnet-x-b0]\noutput: c.h5\n")
    subprocess.run([rp.cli_path(), "run", str(exp)], check=True, capture_output=True)
    fig = P.plot(str(tmp_path / "c.h5"))
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    with h5py.File(tmp_path / "c.h5", "r") as f:
        pareto = f["pareto"][()]
    for net in ("mnasnet-a1", "efficientnet-x-b0"):
        line = next(v for k, v in lines.items() if k.startswith(net + ": Pareto front"))
        on = pareto[pareto["front"] == net.encode()]
        assert len(on) > 0
        assert sorted(line.get_xdata()) == sorted(on["latency_ms"].tolist())
    assert_legends_off_data(fig)


def run_module(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "ridgepoint.figures", *args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def bad_inputs(tmp):
    text = tmp / "notes.txt"
    text.write_text("not hdf5\n")
    odd = tmp / "odd.h5"
    with h5py.File(odd, "w") as f:
        f.attrs["kind"] = "weather"
    bare = tmp / "bare.h5"
    with h5py.File(bare, "w") as f:
        f.create_dataset("x", data=[1])
    sweep = write_sweep(str(tmp / "s.h5"), ["hbm.bandwidth_gbps"], [450, 900], zipped=False)
    return [
        ([str(tmp / "missing.h5")], "missing.h5': no such file"),
        ([str(text)], "notes.txt': not an HDF5 file"),
        ([str(odd)], "odd.h5': unknown kind 'weather' \\(expected one of: codesign, hurricane, lacs, nas, simulate, sweep"),
        ([str(bare)], "bare.h5': no root attribute 'kind'"),
        ([sweep, "-o", str(tmp / "fig.jpg")], "fig.jpg': unsupported figure format '.jpg' \\(expected .png, .svg"),
        ([sweep, "-o", str(tmp / "no-dir" / "fig.png")], "fig.png': no such directory"),
        ([sweep, sweep, "-o", str(tmp / "c.png")], "s.h5': a sweep output \\(several files are drawn side by side only when all are traces"),
        ([sweep, "--view", "sideways"], "argument --view: invalid choice: 'sideways'"),
    ]


def test_bad_inputs_exit_2_with_one_line(tmp_path):
    import re
    for args, expected in bad_inputs(tmp_path):
        rc, out, err = run_module(*args)
        lines = err.strip().splitlines()
        assert rc == 2 and len(lines) == 1, (args, rc, err)
        assert lines[0].startswith("ridgepoint plot: error: "), lines[0]
        assert re.search(expected, lines[0]), (expected, lines[0])
    assert sorted(os.listdir(tmp_path)) == ["bare.h5", "notes.txt", "odd.h5", "s.h5"]  # nothing written


def test_default_output_never_replaces_a_file(tmp_path):
    sweep = write_sweep(str(tmp_path / "s.h5"), ["hbm.bandwidth_gbps"], [450, 900], zipped=False)
    rc, out, err = run_module(sweep, "--ridgepoint", rp.cli_path())
    assert (rc, out.strip()) == (0, f"wrote {tmp_path / 's.png'}"), err
    with open(tmp_path / "s.png", "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    (tmp_path / "s.png").write_bytes(b"mine")
    rc, _, err = run_module(sweep)
    assert rc == 2 and "s.png' exists: name the figure with -o FILE" in err
    assert (tmp_path / "s.png").read_bytes() == b"mine"
    rc, _, err = run_module(sweep, "-o", str(tmp_path / "s.png"))  # named: replaced, no temporary left
    assert rc == 0, err
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(os.listdir(tmp_path)) == ["s.h5", "s.png"]


@pytest.mark.parametrize("ext, magic", [("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_svg_and_pdf_are_the_same_bytes_twice(tmp_path, ext, magic):
    # Deterministic rendering (no dates, fixed SVG ids): the gallery test compares regenerated figures with the
    # committed ones.
    sweep = write_sweep(str(tmp_path / "s.h5"), ["hbm.bandwidth_gbps"], [450, 900], zipped=False)
    a, b = tmp_path / f"a.{ext}", tmp_path / f"b.{ext}"
    rp.plot(sweep, a, ridgepoint=rp.cli_path())
    rp.plot(sweep, b, ridgepoint=rp.cli_path())
    assert a.read_bytes()[:len(magic)] == magic
    assert a.read_bytes() == b.read_bytes()


def test_explicit_ridgepoint_must_be_an_executable(tmp_path):
    sweep = write_sweep(str(tmp_path / "s.h5"), ["hbm.bandwidth_gbps"], [450, 900], zipped=False)
    with pytest.raises(P.PlotError, match="no-such-ridgepoint': not an executable"):
        rp.plot(sweep, ridgepoint=str(tmp_path / "no-such-ridgepoint"))


def test_cli_plot_runs_the_module(tmp_path, traces):
    # `ridgepoint plot` = the module run by the configure-time interpreter; same errors, same figure.
    p = subprocess.run([rp.cli_path(), "plot", traces["tpuv3"], "--view", "roofline", "-o", str(tmp_path / "r.svg")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.returncode == 0, p.stderr
    rp.plot(traces["tpuv3"], tmp_path / "m.svg", view="roofline")
    assert (tmp_path / "r.svg").read_bytes() == (tmp_path / "m.svg").read_bytes()
    p = subprocess.run([rp.cli_path(), "plot", str(tmp_path / "missing.h5")], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "missing.h5': no such file" in p.stderr
