"""Imported models in Python (issue 22, item 6): Network.from_torchscript / from_file / from_onnx, rp.simulate("x.pt"),
the batch rule and a sweep over a .pt, each against the CLI for the same input or against counts derived by hand.
The TorchScript model is traced here with Debian's torch (no download); the module itself never loads LibTorch (the
import runs `ridgepoint import` as a subprocess)."""
import os
import subprocess
import sys

import pytest

import ridgepoint as rp
from cli_helpers import cli, cli_error, cli_json

# The model, traced in a child interpreter: this test process must not load LibTorch (test_bindings checks that the
# module never does, in the same process).
TINY = """
import sys, torch
class Tiny(torch.nn.Module):
    # conv 3->8 (3x3, padding 1, no bias), ReLU, global average pool, linear 8->10.
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.relu = torch.nn.ReLU()
        self.pool = torch.nn.AdaptiveAvgPool2d(1)
        self.fc = torch.nn.Linear(8, 10)
    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.relu(self.conv(x))), 1))
torch.jit.trace(Tiny().eval(), torch.zeros(1, 3, 8, 8)).save(sys.argv[1])
"""


# By hand, per image at 8x8: conv 8 x 8 positions x 8 filters x (3 x 3 x 3) = 13824 MACs, fc 8 x 10 = 80: 13904.
# Params: conv 8 x 27 = 216, fc 8 x 10 + 10 = 90: 306.
MACS_PER_IMAGE = 13904
PARAMS = 306


@pytest.fixture(scope="module")
def tiny_pt(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("imported") / "tiny.pt")
    if subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode != 0:
        pytest.skip("torch is not installed for this interpreter (Debian: python3-torch)")
    subprocess.run([sys.executable, "-c", TINY, path], check=True)
    return path


def test_from_torchscript_has_the_hand_counted_macs_and_params(tiny_pt):
    net = rp.Network.from_torchscript(tiny_pt, input_shape=(2, 3, 8, 8))
    assert (net.name, net.source, net.input_batch) == ("tiny", "imported", 2)
    info = rp.info(net, batch=2)
    assert info["macs"] == 2 * MACS_PER_IMAGE
    assert info["params"] == PARAMS
    # The same counts as the CLI's import of the same file.
    assert info["macs"] == cli_json("info", tiny_pt, "--input-shape", "2,3,8,8")["macs"]


def test_simulate_of_a_pt_path_is_the_clis_and_uses_the_accelerators_default_batch(tiny_pt):
    r = rp.simulate(tiny_pt, accel="tpuv3")
    c = cli_json("simulate", tiny_pt, "--accel", "tpuv3")
    assert r.json == c  # every figure, and the batch rule's words
    # tpuv3's default_batch is 128 (accel_models/configs/tpuv3.yaml), as for zoo models.
    assert (r.batch, r.batch_rule) == (128, "batch 128, tpuv3 default")
    assert c["batch_rule"] == "batch 128, tpuv3 default"
    assert rp.simulate("resnet-50", accel="tpuv3").batch == r.batch


def test_the_input_shapes_batch_is_the_default_and_batch_overrides_it(tiny_pt):
    net = rp.Network.from_torchscript(tiny_pt, input_shape=(4, 3, 8, 8))
    r = rp.simulate(net, accel="v100")
    c = cli_json("simulate", tiny_pt, "--input-shape", "4,3,8,8", "--accel", "v100")
    assert (r.batch, r.batch_rule, c["batch_rule"]) == (4, "batch 4 from --input-shape", "batch 4 from --input-shape")
    assert r.latency_ms == c["latency_ms"]
    # info() follows the same rule as the CLI's info: the input shape's N unless batch= is given.
    assert rp.info(net)["batch"] == cli_json("info", tiny_pt, "--input-shape", "4,3,8,8")["batch"] == 4
    assert rp.info(net, batch=2)["batch"] == 2
    r16 = rp.simulate(net, accel="v100", batch=16)
    assert (r16.batch, r16.batch_rule) == (16, "batch 16 from --batch")
    assert r16.latency_ms == cli_json("simulate", tiny_pt, "--input-shape", "4,3,8,8", "--batch", "16",
                                      "--accel", "v100")["latency_ms"]


def test_a_layer_list_written_by_import_reads_back_as_the_same_network(tiny_pt, tmp_path):
    out = str(tmp_path / "tiny.yaml")
    rc, _, err = cli("import", tiny_pt, "--input-shape", "1,3,8,8", "-o", out)
    assert rc == 0, err
    from_file = rp.Network.from_file(out)
    assert rp.info(from_file, batch=3)["macs"] == 3 * MACS_PER_IMAGE
    imported = rp.Network.from_torchscript(tiny_pt, input_shape=(1, 3, 8, 8))
    for batch in (1, 8):
        assert rp.simulate(from_file, batch=batch).latency_ms == rp.simulate(imported, batch=batch).latency_ms
    assert [l["output_shape"] for l in rp.info(from_file)["layers"]] == \
        [l["output_shape"] for l in rp.info(imported)["layers"]]


def test_compare_mixes_a_pt_and_a_zoo_name(tiny_pt):
    a, b = rp.compare([tiny_pt, "mnasnet-a1"], accel="tpuv3", batch=8)
    assert (a.model, b.model) == ("tiny", "mnasnet-a1")
    assert a.batch_rule == b.batch_rule == "batch 8 from --batch"
    c = cli_json("compare", tiny_pt, "mnasnet-a1", "--accel", "tpuv3", "--batch", "8")
    assert [a.latency_ms, b.latency_ms] == [x["latency_ms"] for x in c]


def test_a_sweep_over_a_pt_imports_once_and_matches_simulate(tiny_pt, tmp_path):
    res = rp.run({"kind": "sweep", "models": [tiny_pt, "mnasnet-a1"], "accelerators": ["tpuv3"],
                  "grid": {"batch": [1, 8]}, "output": str(tmp_path / "sweep.h5")})
    assert res.complete
    assert "imported 1 model file(s), once for the run" in res.log
    points = res["points"]
    rows = {(m.decode() if isinstance(m, bytes) else m, int(b)): t
            for m, b, t in zip(points["model"], points["batch"], points["latency_ms"])}
    for b in (1, 8):
        assert rows[(tiny_pt, b)] == rp.simulate(tiny_pt, batch=b).latency_ms


def test_bad_imports_raise_the_clis_message(tiny_pt, tmp_path):
    with pytest.raises(rp.UsageError, match="expected a .onnx file"):
        rp.Network.from_onnx(tiny_pt)
    with pytest.raises(TypeError, match="input_shape"):
        rp.Network.from_torchscript(tiny_pt, input_shape="1,3,8,8")
    missing = str(tmp_path / "missing.pt")
    _, line = cli_error("import", missing, "-o", str(tmp_path / "x.yaml"))
    with pytest.raises(rp.UsageError) as e:
        rp.simulate(missing)
    assert str(e.value) == line
    assert not os.path.exists(tmp_path / "x.yaml")
