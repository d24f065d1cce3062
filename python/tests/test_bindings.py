"""The Python module against the CLI it was built with: the same figures (exactly: both come from the same library
and JSON builders), the same error messages, the GIL released while simulating. Run by CTest
(`python: pytest`) with build/python on PYTHONPATH; the CLI is ridgepoint.cli_path()."""
import os
import sys
import threading
import time

import pytest

import ridgepoint as rp
from cli_helpers import cli, cli_error, cli_json

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
# EfficientNet-B0's block strings (tests/data/b0-blocks.yaml; tensorflow/tpu efficientnet_builder.py).
B0_BLOCKS = ["r1_k3_s11_e1_i32_o16_se0.25", "r2_k3_s22_e6_i16_o24_se0.25", "r2_k5_s22_e6_i24_o40_se0.25",
             "r3_k3_s22_e6_i40_o80_se0.25", "r3_k5_s11_e6_i80_o112_se0.25", "r4_k5_s22_e6_i112_o192_se0.25",
             "r1_k3_s11_e6_i192_o320_se0.25"]


@pytest.mark.parametrize("py_args, cli_args", [
    (dict(model="efficientnet-b0", accel="tpuv3", batch=128, set={"hbm.bandwidth_gbps": 1200}),
     ["efficientnet-b0", "--accel", "tpuv3", "--batch", "128", "--set", "hbm.bandwidth_gbps=1200"]),
    (dict(model="mnasnet-a1", accel="v100", batch=8, set={"lowering.fused_swish": True}),
     ["mnasnet-a1", "--accel", "v100", "--batch", "8", "--set", "lowering.fused_swish=true"]),
    (dict(model="resnet-50", accel="a100-modern", resolution=160),
     ["resnet-50", "--accel", "a100-modern", "--resolution", "160"]),
    (dict(model=os.path.join(DATA, "b0-blocks.yaml"), accel="tpuv2", batch=16),
     [os.path.join(DATA, "b0-blocks.yaml"), "--accel", "tpuv2", "--batch", "16"]),
])
def test_simulate_equals_cli_json(py_args, cli_args):
    r = rp.simulate(**py_args)
    assert r.json == cli_json("simulate", *cli_args)
    assert r.latency_ms == r.json["latency_ms"] > 0


def test_result_views():
    r = rp.simulate("efficientnet-b0", accel="tpuv3", batch=128)
    assert r.batch == 128 and r.accelerator == "tpuv3" and r.precision == "bf16"
    roof = r.roofline
    assert roof["W"] == r.flops and roof["Q"] == r.hbm_bytes and roof["E"] == r.efficiency
    assert roof["I"] == pytest.approx(r.flops / r.hbm_bytes, rel=1e-12)  # I = W / Q (docs/tpu-model.md)
    assert set(r.units) >= {"matrix", "vector", "hbm"}
    with pytest.raises(AttributeError, match="no field 'latency'"):
        r.latency  # noqa: B018


def test_to_pandas_per_layer_table():
    pd = pytest.importorskip("pandas")
    r = rp.simulate("efficientnet-b0", accel="tpuv3", batch=8)
    df = r.to_pandas()
    assert isinstance(df, pd.DataFrame) and len(df) == len(r.layers)
    assert list(df["name"]) == [row["name"] for row in r.layers]
    assert df["end_ms"].max() == pytest.approx(r.latency_ms, rel=1e-9)  # the last group ends the run
    assert list(r.units_to_pandas().index) == list(r.units)


def test_info_models_accelerators_equal_cli():
    assert rp.info("efficientnet-b0", batch=2) == cli_json("info", "efficientnet-b0", "--batch", "2")
    assert rp.info("efficientnet-b0", resolution=260, dtype="bf16") == cli_json(
        "info", "efficientnet-b0", "--resolution", "260", "--dtype", "bf16")
    assert rp.models() == cli_json("models")
    assert rp.accelerators() == cli_json("accelerators")  # the same copies directory in the build tree
    for a in rp.accelerators():
        assert a["yaml"] and os.path.isfile(a["yaml"]), a


def test_network_from_blocks_is_the_zoo_b0():
    # tests/data/b0-blocks.yaml states that these blocks with stem 32, head 1280, swish are the zoo's B0.
    net = rp.Network.from_blocks(B0_BLOCKS, name="b0-from-blocks")
    assert net.name == "b0-from-blocks" and net.source == "blocks"
    mine, zoo = rp.info(net), rp.info("efficientnet-b0")
    assert (mine["params"], mine["macs"]) == (zoo["params"], zoo["macs"])
    assert mine["params"] == 5288548  # Keras EfficientNetB0 model summary: "Trainable params: 5,288,548"
    assert mine["macs"] == pytest.approx(0.39e9, rel=0.02)  # the EfficientNet paper, Table 1: 0.39B FLOPs (MACs)
    a, b = rp.simulate(net, accel="v100", batch=4), rp.simulate("efficientnet-b0", accel="v100", batch=4)
    assert a.latency_ms == b.latency_ms


def test_network_from_yaml_file():
    net = rp.Network(os.path.join(DATA, "b0-blocks.yaml"))
    assert net.name == "b0-from-file" and net.source == "file"


@pytest.mark.parametrize("call, cli_args, error", [
    (lambda: rp.simulate("efficientnet-b8"), ["simulate", "efficientnet-b8"], rp.UsageError),
    (lambda: rp.simulate("efficientnet-b0", accel="tpuv9"), ["simulate", "efficientnet-b0", "--accel", "tpuv9"],
     rp.UsageError),
    (lambda: rp.simulate("efficientnet-b0", set={"matrix_unit.rowz": 64}),
     ["simulate", "efficientnet-b0", "--set", "matrix_unit.rowz=64"], rp.UsageError),
    (lambda: rp.simulate(os.path.join(DATA, "bad-block.yaml")),
     ["simulate", os.path.join(DATA, "bad-block.yaml")], rp.UsageError),
    (lambda: rp.simulate("efficientnet-b0", set={"vector_memory.capacity_mib": 0.01}),
     ["simulate", "efficientnet-b0", "--set", "vector_memory.capacity_mib=0.01"], rp.SimulationError),
    (lambda: rp.info("efficientnet-b0", dtype="fp64"), ["info", "efficientnet-b0", "--dtype", "fp64"], rp.UsageError),
])
def test_errors_carry_the_cli_message(call, cli_args, error):
    rc, line = cli_error(*cli_args)
    assert rc == (2 if error is rp.UsageError else 1)
    with pytest.raises(error) as e:
        call()
    assert str(e.value) == line
    assert issubclass(rp.UsageError, ValueError) and issubclass(rp.SimulationError, RuntimeError)


def test_bad_block_string_names_the_block():
    with pytest.raises(rp.UsageError, match=r"mine: blocks\[1\]: .*'zz9'"):
        rp.Network.from_blocks(["r1_k3_s11_e1_i32_o16_se0.25", "r1_zz9_s11_e1_i16_o16"], name="mine")


def test_gil_released_while_simulating():
    # With a 10 s switch interval a thread that holds the GIL keeps it until it blocks. The worker runs
    # simulations back to back; if they held the GIL, this thread could not wake from its sleep before the
    # worker finished. It wakes while the worker is still inside its simulations.
    old = sys.getswitchinterval()
    sys.setswitchinterval(10.0)
    try:
        done = threading.Event()

        def work():
            # A new batch each time: the accelerator's group memo has not seen every group (new core shares), so
            # most calls run the engine; repeats of one network would come from the memo in a few ms.
            for i in range(40):
                rp.simulate("efficientnet-b7", accel="tpuv3", batch=128 + i)
            done.set()

        t = threading.Thread(target=work)
        start = time.perf_counter()
        t.start()
        time.sleep(0.05)
        woke_while_busy = not done.is_set()
        t.join()
        elapsed = time.perf_counter() - start
    finally:
        sys.setswitchinterval(old)
    assert elapsed > 0.1, "the worker must outlast the sleep for the check to mean anything"
    assert woke_while_busy


def _points(path):
    import h5py
    with h5py.File(path) as f:
        return f["points"][()]


def test_run_sweep_equals_cli(tmp_path):
    import numpy as np
    text = ("kind: sweep\nmodels: [efficientnet-b0, mnasnet-a1]\naccelerators: [tpuv3]\nbatch: 16\n"
            "output: {out}\ngrid:\n  hbm.bandwidth_gbps: [600, 1200]\n")
    (tmp_path / "py.yaml").write_text(text.format(out=tmp_path / "py.h5"))
    (tmp_path / "cli.yaml").write_text(text.format(out=tmp_path / "cli.h5"))
    s = rp.run(tmp_path / "py.yaml")
    assert s.complete and s.total == 4 and s.computed == 4 and s.path == str(tmp_path / "py.h5")
    rc, _, err = cli("run", str(tmp_path / "cli.yaml"))
    assert rc == 0, err
    a, b = _points(tmp_path / "py.h5"), _points(tmp_path / "cli.h5")
    assert a.dtype.names == b.dtype.names and len(a) == 4
    for c in a.dtype.names:
        assert np.array_equal(a[c], b[c], equal_nan=a[c].dtype.kind == "f"), c


def test_run_torch_kind_goes_through_the_cli():
    # kind: nas needs LibTorch: the module runs the CLI, which rejects this file before any training.
    f = os.path.join(DATA, "nas", "zero-samples.yaml")
    rc, line = cli_error("run", f)
    assert rc == 2 and "search.samples" in line
    with pytest.raises(rp.UsageError) as e:
        rp.run(f)
    assert str(e.value) == line


def _one_point_sweep(tmp_path):
    """A sweep of one point (so even jobs=1100 would run it in this process, without forking) and its output."""
    out = tmp_path / "one.h5"
    (tmp_path / "one.yaml").write_text("kind: sweep\nmodels: [efficientnet-b0]\naccelerators: [tpuv3]\nbatch: 1\n"
                                       f"output: {out}\ngrid:\n  hbm.bandwidth_gbps: [900]\n")
    return tmp_path / "one.yaml", out


# The bounds of `ridgepoint run` (experiments/cli/cmd_run.cpp): --jobs in [1, 1024], --max-points >= 0 when given.
# (rp.run arguments, the CLI's arguments, rp.run's message, the CLI's message).
RUN_BOUNDS = [
    (dict(jobs=1100), ["--jobs", "1100"], "run: jobs must be in [1, 1024], got 1100",
     "run: --jobs must be in [1, 1024], got 1100"),
    (dict(jobs=1025), ["--jobs", "1025"], "run: jobs must be in [1, 1024], got 1025",
     "run: --jobs must be in [1, 1024], got 1025"),
    (dict(jobs=0), ["--jobs", "0"], "run: jobs must be in [1, 1024], got 0", "run: --jobs must be in [1, 1024], got 0"),
    (dict(max_points=-5), ["--max-points", "-5"], "run: max_points must be >= 0, got -5",
     "run: --max-points must be >= 0, got -5"),
]


@pytest.mark.parametrize("kwargs, cli_args, message, cli_message", RUN_BOUNDS)
def test_run_bounds_are_the_clis(tmp_path, kwargs, cli_args, message, cli_message):
    sweep, out = _one_point_sweep(tmp_path)
    nas = os.path.join(DATA, "nas", "zero-samples.yaml")  # a torch kind: rp.run would start the CLI
    for f in (sweep, nas):
        assert cli_error("run", str(f), *cli_args) == (2, cli_message)
        with pytest.raises(rp.UsageError) as e:
            rp.run(f, **kwargs)
        assert str(e.value) == message
    assert not out.exists()  # refused before anything ran


def test_run_accepts_the_bounds(tmp_path):
    sweep, out = _one_point_sweep(tmp_path)
    s = rp.run(sweep, jobs=1024, max_points=0)
    assert (s.total, s.computed, s.complete) == (1, 0, False)  # max_points 0: no new point
    s = rp.run(sweep, jobs=1024)
    assert (s.computed, s.complete) == (1, True)
    with pytest.raises(rp.UsageError, match="search.samples"):  # past the bounds, to the file's own error
        rp.run(os.path.join(DATA, "nas", "zero-samples.yaml"), jobs=1024, max_points=0)


def test_run_max_points_fits_the_cli_type(tmp_path):
    # --max-points is a C++ long long: at most 2^63 - 1 = 9223372036854775807 (beyond it pybind11 would refuse the
    # call with its signature dump).
    sweep, out = _one_point_sweep(tmp_path)
    with pytest.raises(rp.UsageError) as e:
        rp.run(sweep, max_points=2**63)
    assert str(e.value) == "run: max_points must be <= 9223372036854775807, got 9223372036854775808"
    assert not out.exists()


@pytest.mark.parametrize("kwargs, message", [
    (dict(jobs=2.0), "run: jobs: expected an int, got float 2.0"),
    (dict(jobs="4"), "run: jobs: expected an int, got str '4'"),
    (dict(jobs=True), "run: jobs: expected an int, got bool True"),
    (dict(max_points=1.5), "run: max_points: expected an int, got float 1.5"),
    (dict(fresh="no"), "run: fresh: expected True or False, got str 'no'"),
])
def test_run_argument_types_are_named(tmp_path, kwargs, message):
    # Not pybind11's "incompatible function arguments" with its signature, nor str(jobs) passed on to the CLI.
    sweep, out = _one_point_sweep(tmp_path)
    for f in (sweep, os.path.join(DATA, "nas", "zero-samples.yaml")):
        with pytest.raises(TypeError) as e:
            rp.run(f, **kwargs)
        assert str(e.value) == message
    assert not out.exists()


def test_module_does_not_load_libtorch():
    maps = open("/proc/self/maps").read()
    assert "libtorch" not in maps and "libc10" not in maps


def test_accelerator_cache_reuses_a_built_accelerator_and_sees_an_edited_file(tmp_path):
    """The module keeps built accelerators (python/src/module.cpp AcceleratorCache): a repeated call is a hit and
    gives the same figures as a call with the cache off; an edited file is a new key (its text is part of it)."""
    from ridgepoint import _core
    src = open(os.path.join(ROOT, "accel_models", "configs", "tpuv3.yaml")).read()
    chip = tmp_path / "chip.yaml"
    chip.write_text(src)
    first = rp.simulate("efficientnet-b0", accel=str(chip), batch=8)
    before = _core._accelerator_cache_stats()
    again = rp.simulate("efficientnet-b0", accel=str(chip), batch=8)
    after = _core._accelerator_cache_stats()
    assert after["hits"] == before["hits"] + 1 and after["misses"] == before["misses"]
    assert again.json == first.json
    # Halving the HBM bandwidth in place (same path, size within a byte): a miss, and a slower memory-bound run.
    edited = src.replace("bandwidth_gbps: 900", "bandwidth_gbps: 450")
    assert edited != src
    chip.write_text(edited)
    slower = rp.simulate("efficientnet-b0", accel=str(chip), batch=8)
    assert _core._accelerator_cache_stats()["misses"] == after["misses"] + 1
    assert slower.latency_ms > first.latency_ms
    _core._set_accelerator_cache(0)  # off: every call builds, and the figures do not change
    try:
        assert rp.simulate("efficientnet-b0", accel=str(chip), batch=8).json == slower.json
        assert _core._accelerator_cache_stats()["size"] == 0
    finally:
        _core._set_accelerator_cache(32)
