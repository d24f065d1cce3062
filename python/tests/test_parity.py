"""Python parity with the CLI (issue 26): every function against the executable it was built with, for the same
arguments. simulate's files (trace, CSV, Chrome trace), precision=, compare, validate and accelerators against
`ridgepoint ... --json`; run() of a dict against run() of a file and the CLI's output; dir() of a Result; TypeErrors
and bounds. Run by CTest (`python: ...`) with build/python on PYTHONPATH; the CLI is ridgepoint.cli_path()."""
import json
import os
import shutil
import sys

import h5py
import numpy as np
import pytest

import ridgepoint as rp
from cli_helpers import cli, cli_error, cli_json

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")


def h5_contents(path):
    """{name: value} of every dataset (as numpy arrays) and every attribute ('name@attr') of an HDF5 file."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            for k, v in obj.attrs.items():
                out[f"{name}@{k}"] = v
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        for k, v in f.attrs.items():
            out[f"@{k}"] = v
        f.visititems(visit)
    return out


def assert_same_h5(a, b, skip=()):
    """The two files hold the same datasets (value by value, by bits for floats) and attributes, except `skip`."""
    ca, cb = h5_contents(a), h5_contents(b)
    assert sorted(ca) == sorted(cb)
    for name in ca:
        if name in skip:
            continue
        x, y = ca[name], cb[name]
        if isinstance(x, np.ndarray) and x.dtype.names:
            assert x.dtype == y.dtype, name
            for c in x.dtype.names:
                assert np.array_equal(x[c], y[c], equal_nan=x[c].dtype.kind == "f"), f"{name}.{c}"
        else:
            assert np.array_equal(np.asarray(x), np.asarray(y)), name


# ---- simulate: the files of --trace / --csv / --chrome-trace, and precision=

def test_simulate_files_equal_the_clis(tmp_path):
    py, c = tmp_path / "py", tmp_path / "cli"
    py.mkdir()
    c.mkdir()
    r = rp.simulate("efficientnet-b0", accel="tpuv3", batch=8, trace=py / "t.h5", csv=str(py / "t.csv"),
                    chrome_trace=py / "t.json")
    args = ["efficientnet-b0", "--accel", "tpuv3", "--batch", "8", "--trace", "t.h5", "--csv", "t.csv",
            "--chrome-trace", "t.json"]
    rc, out, err = cli("simulate", *args, "--json", cwd=c)
    assert rc == 0, err
    assert r.json == json.loads(out)
    assert (py / "t.csv").read_bytes() == (c / "t.csv").read_bytes()  # byte for byte
    # The traces record the call that wrote them: the CLI its command line, Python its call (docs/traces.md).
    py_command = (f"ridgepoint.simulate('efficientnet-b0', accel='tpuv3', batch=8, trace='{py / 't.h5'}', "
                  f"csv='{py / 't.csv'}', chrome_trace='{py / 't.json'}')")
    cli_command = "ridgepoint simulate " + " ".join(args + ["--json"])
    with h5py.File(py / "t.h5") as f:
        assert f["meta"].attrs["command"] == py_command
    # The Chrome trace byte for byte, once the command is the same (json.dumps: nlohmann writes these ASCII
    # strings with the same escapes).
    chrome = (py / "t.json").read_bytes()
    assert chrome.count(json.dumps(py_command).encode()) == 1
    assert chrome.replace(json.dumps(py_command).encode(), json.dumps(cli_command).encode()) == \
        (c / "t.json").read_bytes()
    assert_same_h5(py / "t.h5", c / "t.h5", skip={"meta@command"})
    assert sorted(os.listdir(py)) == ["t.csv", "t.h5", "t.json"]  # no temporaries left


def test_simulate_file_errors_are_the_clis(tmp_path):
    missing = tmp_path / "no-such-dir" / "t.h5"
    rc, line = cli_error("simulate", "efficientnet-b0", "--trace", str(missing))
    assert rc == 2
    with pytest.raises(rp.UsageError) as e:
        rp.simulate("efficientnet-b0", trace=missing)
    assert str(e.value) == line
    # A simulation that fails writes nothing: no file, no temporary (vector memory too small, exit 1 in the CLI).
    with pytest.raises(rp.SimulationError):
        rp.simulate("efficientnet-b0", set={"vector_memory.capacity_mib": 0.01}, csv=tmp_path / "l.csv",
                    trace=tmp_path / "l.h5")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("accel, precision", [("a100", "int8"), ("a100", "fp16"), ("tpuv3", "bf16")])
def test_precision_equals_set_precision(accel, precision):
    # The CLI takes the precision as the accelerator key `precision` (--set precision=P).
    r = rp.simulate("resnet-50", accel=accel, batch=16, precision=precision)
    assert r.json == cli_json("simulate", "resnet-50", "--accel", accel, "--batch", "16", "--set",
                              f"precision={precision}")
    assert r.precision == precision


def test_precision_errors():
    rc, line = cli_error("simulate", "resnet-50", "--accel", "tpuv3", "--set", "precision=int8")
    with pytest.raises(rp.UsageError) as e:
        rp.simulate("resnet-50", accel="tpuv3", precision="int8")
    assert rc == 2 and str(e.value) == line
    with pytest.raises(rp.UsageError, match="give precision='int8' or set"):
        rp.simulate("resnet-50", accel="a100", precision="int8", set={"precision": "fp16"})


def test_int8_halves_the_bytes_on_a100():
    # docs/gpu-model.md: --set precision=int8 on A100 halves the bytes (1 byte per value instead of fp16's 2).
    fp16, int8 = rp.simulate("resnet-50", accel="a100", batch=8), rp.simulate("resnet-50", accel="a100", batch=8,
                                                                              precision="int8")
    assert int8.hbm_bytes < fp16.hbm_bytes and int8.latency_ms < fp16.latency_ms


# ---- compare, validate, accelerators

@pytest.mark.parametrize("py_args, cli_args", [
    (dict(models=["efficientnet-b0", "efficientnet-x-b0"], accel="tpuv3"),
     ["efficientnet-b0", "efficientnet-x-b0", "--accel", "tpuv3"]),
    (dict(models=["mnasnet-a1", os.path.join(DATA, "b0-blocks.yaml")], accel="v100", batch=8,
          set={"lowering.fused_swish": True}),
     ["mnasnet-a1", os.path.join(DATA, "b0-blocks.yaml"), "--accel", "v100", "--batch", "8", "--set",
      "lowering.fused_swish=true"]),
    (dict(models=("resnet-50",), accel="a100", precision="int8"),
     ["resnet-50", "--accel", "a100", "--set", "precision=int8"]),
])
def test_compare_equals_cli_json(py_args, cli_args):
    results = rp.compare(**py_args)
    assert all(isinstance(r, rp.Result) for r in results)
    assert [r.json for r in results] == cli_json("compare", *cli_args)
    assert [r.model for r in results][0] == cli_args[0]


def test_compare_takes_networks():
    net = rp.Network(os.path.join(DATA, "b0-blocks.yaml"))
    a, b = rp.compare([net, "efficientnet-b0"], accel="tpuv3", batch=4)
    assert a.model == "b0-from-file" and a.latency_ms == b.latency_ms  # the file is B0's block strings


def test_compare_errors_are_the_clis():
    rc, line = cli_error("compare", "efficientnet-b0", "efficientnet-q0")
    with pytest.raises(rp.UsageError) as e:
        rp.compare(["efficientnet-b0", "efficientnet-q0"])
    assert rc == 2 and str(e.value) == line
    with pytest.raises(rp.UsageError, match="compare: models: expected at least one model"):
        rp.compare([])


@pytest.mark.parametrize("accel, cli_args", [
    (None, []),
    ("tpuv3", ["--accel", "tpuv3"]),
    (["v100", "a100-modern"], ["--accel", "v100", "--accel", "a100-modern"]),
])
def test_validate_equals_cli_json(accel, cli_args):
    v = rp.validate(accel)
    assert v == cli_json("validate", *cli_args)
    assert v["rows"] and v["batch_per_device"] == 128  # the working assumption (experiments/validation/validate.h)


def test_validate_unknown_accelerator_is_the_clis_error():
    rc, line = cli_error("validate", "--accel", "tpuv9")
    with pytest.raises(rp.UsageError) as e:
        rp.validate("tpuv9")
    assert str(e.value) == line


def test_accelerators_equal_cli_json_in_set_key_units():
    accs = rp.accelerators()
    assert accs == cli_json("accelerators")
    by_name = {a["name"]: a for a in accs}
    # accel_models/configs/tpuv3.yaml: "clock_mhz: 940 [hc20]", "hbm: bandwidth_gbps: 900 [doc]" (per chip);
    # v100.yaml: "clock_mhz: 1530", "bandwidth_gbps: 900". GB/s and MHz, as the keys are named, not B/s or Hz.
    assert (by_name["tpuv3"]["clock_mhz"], by_name["tpuv3"]["hbm.bandwidth_gbps"]) == (940, 900)
    assert (by_name["v100"]["clock_mhz"], by_name["v100"]["hbm.bandwidth_gbps"]) == (1530, 900)
    assert "hbm_bandwidth" not in by_name["tpuv3"]


@pytest.mark.parametrize("name", ["tpuv3", "a100"])
def test_accelerators_fields_are_set_keys(name):
    # Every figure but name, family, yaml and the derived peak_flops is an accelerator key in the unit --set takes:
    # setting each key to the value accelerators() gives changes nothing (a wrong unit would, an unknown key raises).
    a = next(x for x in rp.accelerators() if x["name"] == name)
    base = rp.simulate("efficientnet-b0", accel=name, batch=2)
    keys = set(a) - {"name", "family", "yaml", "peak_flops"}
    assert keys == {"precision", "default_batch", "clock_mhz", "hbm.bandwidth_gbps"}
    for key in keys:
        assert rp.simulate("efficientnet-b0", accel=name, batch=2, set={key: a[key]}) == base, key
    assert rp.simulate("efficientnet-b0", accel=name).batch == a["default_batch"]
    assert a["peak_flops"] == base.peak_flops  # named and valued as simulate --json's peak_flops (FLOP/s)


# ---- Result: fields in dir()

def test_result_fields_in_dir():
    r = rp.simulate("efficientnet-b0", batch=1)
    names = dir(r)
    for field in ("latency_ms", "throughput", "units", "layers", "roofline", "flops", "efficiency", "to_pandas",
                  "json", "model", "accelerator"):
        assert field in names, field
    assert set(r.json) <= set(names)  # every JSON field, so tab completion offers each
    assert names == sorted(names)


# ---- run(): a dict or a file, a RunResults back

SWEEP = {"kind": "sweep", "models": ["efficientnet-b0", "mnasnet-a1"], "accelerators": ["tpuv3"], "batch": 16,
         "grid": {"hbm.bandwidth_gbps": [600, 1200]}}
SWEEP_YAML = ("kind: sweep\nmodels: [efficientnet-b0, mnasnet-a1]\naccelerators: [tpuv3]\nbatch: 16\n"
              "output: {out}\ngrid:\n  hbm.bandwidth_gbps: [600, 1200]\n")


def test_run_dict_equals_run_file_and_the_cli(tmp_path, monkeypatch):
    (tmp_path / "f.yaml").write_text(SWEEP_YAML.format(out=tmp_path / "f.h5"))
    (tmp_path / "c.yaml").write_text(SWEEP_YAML.format(out=tmp_path / "c.h5"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    d = rp.run(dict(SWEEP, output="d.h5"))  # relative: against the current directory
    f = rp.run(tmp_path / "f.yaml")
    rc, _, err = cli("run", str(tmp_path / "c.yaml"))
    assert rc == 0, err
    assert isinstance(d, rp.RunResults) and d.path == str(tmp_path / "d.h5") and f.path == str(tmp_path / "f.h5")
    assert (d.kind, d.complete, d.total, d.computed, d.done_before) == ("sweep", True, 4, 4, 0)  # 2 models x 2
    assert d.tables == f.tables == ["points"]
    # The experiment's file, its text and the resolved settings (which hold the output) name each run's own.
    own = {"@experiment", "@experiment_file", "@experiment_yaml"}
    assert_same_h5(d.path, f.path, skip=own)
    assert_same_h5(f.path, tmp_path / "c.h5", skip=own)
    assert d.attributes["kind"] == "sweep" and d.attributes["tool_version"] == rp.__version__
    assert os.listdir(tmp_path / "tmp") == []  # the dict's temporary YAML and its directory are removed


def test_run_output_paths_follow_the_cli(tmp_path, monkeypatch):
    # docs/experiments.md "Where outputs go": a file's relative output is relative to the file's directory, output=
    # (as --output) to the current directory; a dict's relative paths to the current directory.
    (tmp_path / "exp").mkdir()
    (tmp_path / "here").mkdir()
    (tmp_path / "exp" / "results").mkdir()  # an output directory is not created (the CLI refuses a missing one)
    (tmp_path / "exp" / "e.yaml").write_text(SWEEP_YAML.format(out="results/e.h5"))
    monkeypatch.chdir(tmp_path / "here")
    r = rp.run("../exp/e.yaml")
    assert r.path == str(tmp_path / "exp" / "results" / "e.h5") and os.path.isfile(r.path)
    r = rp.run("../exp/e.yaml", output="mine.h5")
    assert r.path == str(tmp_path / "here" / "mine.h5") and os.path.isfile(r.path)
    rc, _, err = cli("run", "../exp/e.yaml", "--output", "cli.h5")
    assert rc == 0, err
    assert_same_h5(r.path, tmp_path / "here" / "cli.h5", skip={"@experiment", "@experiment_yaml", "@experiment_canonical"})  # name: the output stem
    # A dict naming an accelerator YAML by a path relative to the current directory (the temporary file is not here).
    tpuv3 = rp.accelerators()[[a["name"] for a in rp.accelerators()].index("tpuv3")]["yaml"]
    shutil.copy(tpuv3, tmp_path / "here" / "chip.yaml")
    d = rp.run(dict(SWEEP, accelerators=["./chip.yaml"], output="d.h5"))
    assert d.complete and d.path == str(tmp_path / "here" / "d.h5")
    assert list(d["points"]["latency_ms"]) == list(rp.run(dict(SWEEP, output="t.h5"))["points"]["latency_ms"])


def test_run_results_tables(tmp_path):
    r = rp.run(dict(SWEEP, output=str(tmp_path / "s.h5")))
    t = r["points"]
    assert t.keys() == r.table("points").keys()
    assert t["point"].dtype == np.int64 and list(t["point"]) == [0, 1, 2, 3]  # the point index, an int64 column
    assert list(t["model"]) == ["efficientnet-b0", "mnasnet-a1"] * 2  # str, not b'...'
    assert all(type(v) is np.str_ and isinstance(v, str) for v in t["accelerator"])
    assert list(t["hbm.bandwidth_gbps"]) == [600, 600, 1200, 1200]
    with h5py.File(r.path) as f:  # the same values as the file
        raw = f["points"][()]
    assert np.array_equal(t["latency_ms"], raw["latency_ms"])
    df = r.to_pandas("points")
    assert list(df.columns) == list(t) and list(df["model"]) == list(t["model"])
    with pytest.raises(KeyError, match="no table 'samples'.*tables: points"):
        r["samples"]  # noqa: B018


def test_run_results_before_the_run_is_complete(tmp_path):
    r = rp.run(dict(SWEEP, output=str(tmp_path / "s.h5")), max_points=1)
    assert (r.complete, r.total, r.computed) == (False, 4, 1)
    with pytest.raises(RuntimeError, match=r"no output yet: the run stopped before it finished \(1 of 4 done\)"):
        r.tables  # noqa: B018
    r = rp.run(dict(SWEEP, output=str(tmp_path / "s.h5")))  # the same dict again resumes from the journal
    assert (r.complete, r.done_before, r.computed) == (True, 1, 3)


def test_run_dict_errors_name_the_key(tmp_path):
    (tmp_path / "bad.yaml").write_text(SWEEP_YAML.format(out=tmp_path / "bad.h5").replace("batch: 16", "batch: 0"))
    rc, line = cli_error("run", str(tmp_path / "bad.yaml"))
    # The CLI names the file and line ("bad.yaml:4: key 'batch': ..."); a dict has neither: it is named as such.
    assert rc == 2 and line.startswith(f"{tmp_path / 'bad.yaml'}:4: key 'batch'")
    with pytest.raises(rp.UsageError) as e:
        rp.run(dict(SWEEP, batch=0, output=str(tmp_path / "d.h5")))
    assert str(e.value) == line.replace(f"{tmp_path / 'bad.yaml'}:4", "run(experiment dict)")
    with pytest.raises(TypeError,
                       match=r"^run: experiment\['grid.hbm.bandwidth_gbps'\]: expected YAML data .*, "
                             r"got set \{1, 2\}$"):
        rp.run(dict(SWEEP, grid={"hbm.bandwidth_gbps": {1, 2}}))


def test_run_dict_of_a_torch_kind_goes_through_the_cli(tmp_path):
    # kind: nas needs LibTorch: a dict is written to a file and run by the CLI, which refuses samples 0 at once.
    exp = {"kind": "nas", "space": "efficientnet-x", "accelerator": "tpuv3", "batch": 128, "target_latency_ms": 9.0,
           "reward": {"w": -0.07}, "search": {"method": "rl", "samples": 0, "seed": 1},
           "accuracy": {"method": "proxy", "train_images": 1000, "epochs": 1, "seed": 1},
           "output": str(tmp_path / "nas.h5")}
    with pytest.raises(rp.UsageError, match=r"^run\(experiment dict\): key 'search.samples': must be an integer"):
        rp.run(exp)


# ---- TypeErrors: one line naming the call and the argument, never pybind11's signature dump

BLOCK = ["r1_k3_s11_e1_i32_o16_se0.25"]


@pytest.mark.parametrize("call, message", [
    (lambda: rp.simulate("efficientnet-b0", batch=2.5), "simulate: batch: expected an int, got float 2.5"),
    (lambda: rp.simulate("efficientnet-b0", batch="8"), "simulate: batch: expected an int, got str '8'"),
    (lambda: rp.simulate("efficientnet-b0", batch=True), "simulate: batch: expected an int, got bool True"),
    (lambda: rp.simulate("efficientnet-b0", resolution=224.0),
     "simulate: resolution: expected an int, got float 224.0"),
    (lambda: rp.simulate(3), "simulate: model: expected a zoo name, a YAML network file or a ridgepoint.Network, "
                             "got int 3"),
    (lambda: rp.simulate("efficientnet-b0", accel=None), "simulate: accel: expected a str or path, got NoneType None"),
    (lambda: rp.simulate("efficientnet-b0", set=["a=1"]),
     "simulate: set: expected a dict {key: value} or None, got list ['a=1']"),
    (lambda: rp.simulate("efficientnet-b0", set={1: 2}), "simulate: set key: expected a str, got int 1"),
    (lambda: rp.simulate("efficientnet-b0", set={"clock_mhz": None}),
     "simulate: set['clock_mhz']: expected a str, number or bool, got NoneType None"),
    (lambda: rp.simulate("efficientnet-b0", precision=8), "simulate: precision: expected a str, got int 8"),
    (lambda: rp.simulate("efficientnet-b0", trace=1), "simulate: trace: expected a str or path or None, got int 1"),
    (lambda: rp.simulate("efficientnet-b0", csv=b"x"), "simulate: csv: expected a str or path or None, got bytes b'x'"),
    (lambda: rp.simulate("efficientnet-b0", chrome_trace=[]),
     "simulate: chrome_trace: expected a str or path or None, got list []"),
    (lambda: rp.compare("efficientnet-b0"), "compare: models: expected a list of models, got str 'efficientnet-b0'"),
    (lambda: rp.compare(["efficientnet-b0", 7]),
     "compare: models[1]: expected a zoo name, a YAML network file or a ridgepoint.Network, got int 7"),
    (lambda: rp.compare(["efficientnet-b0"], accel=3), "compare: accel: expected a str or path, got int 3"),
    (lambda: rp.compare(["efficientnet-b0"], batch=1.0), "compare: batch: expected an int, got float 1.0"),
    (lambda: rp.compare(["efficientnet-b0"], set=1), "compare: set: expected a dict {key: value} or None, got int 1"),
    (lambda: rp.compare(["efficientnet-b0"], precision=["int8"]),
     "compare: precision: expected a str, got list ['int8']"),
    (lambda: rp.validate(3), "validate: accel: expected a str, a list of str or None, got int 3"),
    (lambda: rp.validate(["tpuv3", None]), "validate: accel[1]: expected a str, got NoneType None"),
    (lambda: rp.info("efficientnet-b0", seq_len="64"), "info: seq_len: expected an int, got str '64'"),
    (lambda: rp.info("efficientnet-b0", resolution="224"), "info: resolution: expected an int, got str '224'"),
    (lambda: rp.info("efficientnet-b0", dtype=16), "info: dtype: expected a str, got int 16"),
    (lambda: rp.info(None), "info: model: expected a zoo name, a YAML network file or a ridgepoint.Network, "
                            "got NoneType None"),
    (lambda: rp.run(3), "run: experiment: expected a str or path, got int 3"),
    (lambda: rp.run({"kind": "sweep", 1: 2}), "run: experiment key: expected a str, got int 1"),
    (lambda: rp.run({"kind": "sweep", "grid": {"a": {2: 3}}}),
     "run: experiment key in grid.a: expected a str, got int 2"),
    (lambda: rp.Network(1.5), "Network: model: expected a str or path, got float 1.5"),
    (lambda: rp.Network.from_blocks("r1_k3_s11_e1_i32_o16_se0.25", name="x"),
     "Network.from_blocks: blocks: expected a list of block strings, got str 'r1_k3_s11_e1_i32_o16_se0.25'"),
    (lambda: rp.Network.from_blocks([1], name="x"), "Network.from_blocks: blocks[0]: expected a str, got int 1"),
    (lambda: rp.Network.from_blocks(BLOCK, name=None), "Network.from_blocks: name: expected a str, got NoneType None"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", resolution=224.0),
     "Network.from_blocks: resolution: expected an int, got float 224.0"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", activation=1),
     "Network.from_blocks: activation: expected a str, got int 1"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", width="1"),
     "Network.from_blocks: width: expected a number, got str '1'"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", depth=None),
     "Network.from_blocks: depth: expected a number, got NoneType None"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", se_coefficient=True),
     "Network.from_blocks: se_coefficient: expected a number, got bool True"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", stem_filters=32.0),
     "Network.from_blocks: stem_filters: expected an int, got float 32.0"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", stem_kernel="3"),
     "Network.from_blocks: stem_kernel: expected an int, got str '3'"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", stem_stride=2.0),
     "Network.from_blocks: stem_stride: expected an int, got float 2.0"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", head_filters=None),
     "Network.from_blocks: head_filters: expected an int, got NoneType None"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", classes=1e3),
     "Network.from_blocks: classes: expected an int, got float 1000.0"),
])
def test_type_errors_are_one_line(call, message):
    with pytest.raises(TypeError) as e:
        call()
    assert str(e.value) == message
    assert "incompatible function arguments" not in str(e.value)


def test_numpy_integers_are_ints():
    assert rp.simulate("efficientnet-b0", batch=np.int64(4)) == rp.simulate("efficientnet-b0", batch=4)


# ---- bounds: the CLI's

@pytest.mark.parametrize("call, cli_args", [
    (lambda: rp.info("efficientnet-b0", batch=0), ["info", "efficientnet-b0", "--batch", "0"]),
    (lambda: rp.info("efficientnet-b0", batch=-3), ["info", "efficientnet-b0", "--batch", "-3"]),
    (lambda: rp.simulate("efficientnet-b0", batch=1000001), ["simulate", "efficientnet-b0", "--batch", "1000001"]),
    (lambda: rp.compare(["efficientnet-b0"], batch=1000001), ["compare", "efficientnet-b0", "--batch", "1000001"]),
    (lambda: rp.simulate("efficientnet-b0", resolution=5), ["simulate", "efficientnet-b0", "--resolution", "5"]),
    (lambda: rp.info("efficientnet-b0", resolution=5000), ["info", "efficientnet-b0", "--resolution", "5000"]),
    (lambda: rp.simulate("bert-base", seq_len=0), ["simulate", "bert-base", "--seq-len", "0"]),
    (lambda: rp.info("bert-base", seq_len=2000000), ["info", "bert-base", "--seq-len", "2000000"]),
])
def test_bounds_are_the_clis(call, cli_args):
    # The CLI's message with the Python argument's name in place of the flag.
    rc, line = cli_error(*cli_args)
    with pytest.raises(rp.UsageError) as e:
        call()
    flags = {"--batch": "batch", "--resolution": "resolution", "--seq-len": "seq_len"}
    for flag, arg in flags.items():
        line = line.replace(flag, arg)
    assert rc == 2 and str(e.value) == line


def test_seq_len_equals_the_clis():
    # seq_len= is --seq-len (issue 22): the same network (info), the same result (simulate, compare), and the
    # result names its sequence length; bert-base's own length is 128 (traces/zoo/transformer.cpp).
    args = ["bert-base", "--batch", "2", "--seq-len", "64"]
    assert rp.info("bert-base", batch=2, seq_len=64) == cli_json("info", *args)
    r = rp.simulate("bert-base", accel="v100", batch=2, seq_len=64)
    assert r.json == cli_json("simulate", *args, "--accel", "v100")
    assert r.seq_len == 64 and rp.simulate("bert-base", accel="v100", batch=2).seq_len == 128
    assert [x.json for x in rp.compare(["bert-base"], accel="v100", batch=2, seq_len=64)] == \
        cli_json("compare", "bert-base", "--accel", "v100", "--batch", "2", "--seq-len", "64")


@pytest.mark.parametrize("call, message", [
    # batch 0 is not a batch: refused (the CLI's message for info --batch 0), not the accelerator's default_batch.
    (lambda: rp.simulate("efficientnet-b0", batch=0), "simulate: batch must be >= 1, got 0"),
    (lambda: rp.compare(["efficientnet-b0"], batch=0), "compare: batch must be >= 1, got 0"),
    # Beyond C++'s int64 / int: the same message, not pybind11's signature (2^70 = 1180591620717411303424).
    (lambda: rp.simulate("efficientnet-b0", batch=2**70),
     "simulate: batch must be <= 1000000, got 1180591620717411303424"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", stem_filters=2**40),
     "x: stem_filters must be in [1, 65536], got 1099511627776"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", classes=0), "x: classes must be in [1, 1000000], got 0"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", resolution=4097), "x: resolution must be in [8, 4096], got 4097"),
    (lambda: rp.Network.from_blocks(BLOCK, name="x", width=0.0), "x: width must be in (0, 64.000000], got 0.000000"),
])
def test_bounds(call, message):
    with pytest.raises(rp.UsageError) as e:
        call()
    assert str(e.value) == message


def test_missing_pandas_is_a_clear_error(monkeypatch):
    r = rp.simulate("efficientnet-b0", batch=1)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ImportError, match=r"^Result.to_pandas needs pandas, which is not installed"):
        r.to_pandas()


def test_run_of_a_torch_kind_stopped_early_is_not_complete(tmp_path):
    # max_points 0: the CLI validates the NAS experiment, trains nothing and says "nas: stopped with 0 of 4 samples
    # done"; the RunResults says so too (no output to read yet).
    exp = {"kind": "nas", "space": "efficientnet-x", "accelerator": "tpuv3", "batch": 128, "target_latency_ms": 9.0,
           "reward": {"w": -0.07}, "search": {"method": "rl", "samples": 4, "seed": 1},
           "accuracy": {"method": "proxy", "train_images": 1000, "epochs": 1, "seed": 1},
           "output": str(tmp_path / "nas.h5")}
    r = rp.run(exp, max_points=0)
    assert (r.kind, r.complete, r.path, r.total) == ("nas", False, str(tmp_path / "nas.h5"), None)
    assert "stopped with 0 of 4 samples done" in r.log
    with pytest.raises(RuntimeError, match="no output yet"):
        r["samples"]  # noqa: B018
